using static AsyncFacade.Tests.BadInput.Hostile;

namespace AsyncFacade.Tests.BadInput;

/// <summary>
/// With auth on (<see cref="AuthBadInputFacade"/>): the FHIR API without a good token or with too few scopes, bad token
/// requests to the built-in issuer (answered in OAuth's error format), and wrong methods on the issuer's and SMART's documents.
/// </summary>
internal static class AuthCorpus
{
    private const string AssertionType = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

    /// <summary>One request per FHIR endpoint family, each fine but for the token; jobs are the reader's.</summary>
    private static readonly BadRequest[] FhirRequests =
    [
        ExportCorpus.BulkGet("auth-fhir", "system export", "/fhir/$export?_type=Patient"),
        ExportCorpus.BulkGet("auth-fhir", "system export POST", "/fhir/$export") with
        {
            Method = "POST", Body = ExportCorpus.Parameters(("_type", "valueString", "Patient")), ContentType = FhirJson,
        },
        ExportCorpus.BulkGet("auth-fhir", "patient export", "/fhir/Patient/$export"),
        ExportCorpus.BulkGet("auth-fhir", "group export", "/fhir/Group/grp-0/$export"),
        new BadRequest("auth-fhir | import", "POST", "/fhir/$import").WithHeader("Prefer", "respond-async")
            .WithBody(Import.ImportCalls.Parameters(("Patient", "{importDir}/inside.ndjson"))),
        new BadRequest("auth-fhir | async read", "GET", "/fhir/Patient/pat-1").WithHeader("Prefer", "respond-async"),
        new BadRequest("auth-fhir | async update", "PUT", "/fhir/Patient/pat-1").WithHeader("Prefer", "respond-async")
            .WithBody("""{"resourceType":"Patient","id":"pat-1"}"""),
        new BadRequest("auth-fhir | async batch", "POST", "/fhir").WithHeader("Prefer", "respond-async")
            .WithBody("""{"resourceType":"Bundle","type":"batch","entry":[{"request":{"method":"DELETE","url":"Patient/pat-3"}}]}"""),
        new BadRequest("auth-fhir | update", "PUT", "/fhir/Patient/pat-1").WithBody("""{"resourceType":"Patient","id":"pat-1"}"""),
        new BadRequest("auth-fhir | delete", "DELETE", "/fhir/Patient/pat-1"),
        new BadRequest("auth-fhir | status", "GET", "/fhir/_async/{interaction}"),
        new BadRequest("auth-fhir | cancel", "DELETE", "/fhir/_async/{export}"),
        new BadRequest("auth-fhir | poll status", "GET", "/fhir/$export-poll-status?_jobId={export}"),
        new BadRequest("auth-fhir | result", "GET", "/fhir/_async/{interaction}/result"),
        new BadRequest("auth-fhir | file", "GET", "/fhir/_async/{export}/files/{file}"),
    ];

    private static readonly (string What, string? Authorization)[] BadCredentials =
    [
        ("no token", null),
        ("garbage token", "Bearer not-a-jwt"),
        ("forged token", "Bearer {forgedToken}"),
        ("truncated token", "Bearer {readerToken}x"),
        ("empty bearer", "Bearer "),
        ("basic credentials", "Basic cmVhZGVyOnNlY3JldA=="),
    ];

    public static IEnumerable<BadRequest> All() => Fhir().Concat(Context()).Concat(Limits()).Concat(Token()).Concat(Documents());

    /// <summary>
    /// Async:MaxActiveJobsPerOwner: `busy` already has as many queued jobs as the host allows (see <see cref="AuthBadInputFacade"/>),
    /// so each kind of kick-off is 429 `throttled` and leaves no job and no stored body behind.
    /// </summary>
    public static IEnumerable<BadRequest> Limits()
    {
        foreach (var request in new[] { FhirRequests[0], FhirRequests[1], FhirRequests[4], FhirRequests[5], FhirRequests[6], FhirRequests[7] })
        {
            yield return request.WithHeader("Authorization", "Bearer {busyToken}") with
            {
                Name = request.Name.Replace("auth-fhir", "auth-limits") + " by a client at its active-job limit", Status = 429,
            };
        }
    }

    public static IEnumerable<BadRequest> Fhir()
    {
        foreach (var request in FhirRequests)
        {
            foreach (var (what, authorization) in BadCredentials)
            {
                var bad = request with { Name = $"{request.Name} with {what}", Status = 401 };
                yield return authorization is null ? bad : bad.WithHeader("Authorization", authorization);
            }
        }

        // A valid token that may read patients only: other types, writes and the reader's jobs are out of reach.
        foreach (var (request, status) in new (BadRequest, int)[]
                 {
                     (ExportCorpus.BulkGet("auth-fhir", "export of observations", "/fhir/$export?_type=Observation"), 403),
                     (FhirRequests[4], 403),
                     (FhirRequests[6], 403),
                     (FhirRequests[7], 403),
                     (FhirRequests[8], 403),
                     (FhirRequests[9], 403),
                     (new BadRequest("auth-fhir | async read of an observation", "GET", "/fhir/Observation/obs-1").WithHeader("Prefer", "respond-async"), 403),
                     (FhirRequests[10], 404),
                     (FhirRequests[11], 404),
                     (FhirRequests[12], 404),
                     (FhirRequests[13], 404),
                     (FhirRequests[14], 404),
                 })
        {
            yield return request.WithHeader("Authorization", "Bearer {patientToken}") with { Name = request.Name + " by another client", Status = status };
        }
    }

    /// <summary>Tokens with a patient or user context (SMART scopes as SMART defines them): what they may not reach.</summary>
    public static IEnumerable<BadRequest> Context()
    {
        const string family = "auth-context";
        BadRequest Get(string what, string url) => new($"{family} | {what}", "GET", url);
        var cases = new (string Token, BadRequest Request, int Status)[]
        {
            ("patientScopedToken", ExportCorpus.BulkGet(family, "system export by a patient-scoped token", "/fhir/$export"), 403),
            ("patientScopedToken", ExportCorpus.BulkGet(family, "group export by a patient-scoped token", "/fhir/Group/grp-0/$export"), 403),
            ("patientScopedToken", ExportCorpus.BulkGet(family, "patient export naming another patient", "/fhir/Patient/$export") with
            {
                Method = "POST", Body = """{"resourceType":"Parameters","parameter":[{"name":"patient","valueReference":{"reference":"Patient/pat-2"}}]}""", ContentType = FhirJson,
            }, 403),
            ("patientScopedToken", FhirRequests[4] with { Name = $"{family} | import by a patient-scoped token" }, 403),
            ("patientScopedToken", Get("another patient", "/fhir/Patient/pat-2"), 403),
            ("patientScopedToken", Get("another patient's observation", "/fhir/Observation/obs-100"), 404),
            ("patientScopedToken", Get("another patient's observation, async", "/fhir/Observation/obs-100").WithHeader("Prefer", "respond-async"), 404),
            ("patientScopedToken", Get("_include", "/fhir/Observation?_include=Observation:performer"), 403),
            ("patientScopedToken", Get("_revinclude in any case", "/fhir/Patient?_REVINCLUDE=Observation:subject"), 403),
            ("patientScopedToken", Get("system search", "/fhir?_type=Observation"), 403),
            ("patientScopedToken", FhirRequests[7] with { Name = $"{family} | async batch by a patient-scoped token" }, 403),
            ("patientScopedToken", new BadRequest($"{family} | create for another patient", "POST", "/fhir/Observation")
                .WithBody("""{"resourceType":"Observation","status":"final","code":{"text":"x"},"subject":{"reference":"Patient/pat-2"}}"""), 403),
            ("patientScopedToken", Get("method override header", "/fhir/Patient/pat-1").WithHeader("X-HTTP-Method-Override", "DELETE"), 400),
            ("noPatientContextToken", Get("patient scope without a patient", "/fhir/Patient/pat-1"), 403),
            ("noPatientContextToken", ExportCorpus.BulkGet(family, "patient export without a patient", "/fhir/Patient/$export"), 403),
            ("badPatientClaimToken", Get("patient claim that is no id", "/fhir/Patient/pat-1"), 403),
            ("practitionerUserToken", ExportCorpus.BulkGet(family, "system export by a practitioner user", "/fhir/$export"), 403),
            ("unenforceableFilterToken", Get("scope filter on _include", "/fhir/Observation?patient=pat-1"), 403),
        };
        foreach (var (token, request, status) in cases)
        {
            yield return request.WithHeader("Authorization", $"Bearer {{{token}}}") with { Status = status };
        }
    }

    public static IEnumerable<BadRequest> Token()
    {
        const string family = "auth-token";
        var valid = new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials", ["scope"] = "system/*.read", ["client_assertion_type"] = AssertionType, ["client_assertion"] = "{assertion:valid}",
        };
        BadRequest Post(string what, string? body, string? contentType = "application/x-www-form-urlencoded", int status = 400) =>
            new BadRequest($"{family} | {what}", "POST", "/auth/token") with { Body = body, ContentType = contentType, Status = status, Refusal = RefusalBody.OAuthError };
        // A change replaces a field, removes it (null), or with a name ending in '+' adds a second one.
        BadRequest Form(string what, int status, params (string Name, string? Value)[] changes)
        {
            var fields = valid.Select(f => (Name: f.Key, Value: f.Value)).ToList();
            foreach (var (name, value) in changes)
            {
                if (!name.EndsWith('+'))
                {
                    fields.RemoveAll(f => f.Name == name);
                }
                if (value is not null)
                {
                    fields.Add((name.TrimEnd('+'), value));
                }
            }
            // Placeholders stay as they are: what they become (a JWT) needs no escaping.
            return Post(what, string.Join('&', fields.Select(f => $"{f.Name}={(f.Value.StartsWith("{assertion:", StringComparison.Ordinal) ? f.Value : Uri.EscapeDataString(f.Value))}")), status: status);
        }

        yield return Post("no body", null);
        yield return Post("JSON body", """{"grant_type":"client_credentials"}""", "application/json");
        yield return Post("text body", "grant_type=client_credentials", "text/plain");
        yield return Post("multipart body", "--x\r\nContent-Disposition: form-data; name=\"grant_type\"\r\n\r\nclient_credentials\r\n--x--", "multipart/form-data; boundary=x");
        yield return Post("form without a Content-Type", "grant_type=client_credentials", null);
        yield return Post("form declared as UTF-16", "grant_type=client_credentials", "application/x-www-form-urlencoded; charset=utf-16");
        yield return Post("JSON sent as a form", """{"grant_type":"client_credentials","scope":"system/*.read"}""");
        yield return Post("body over 16 KB", "grant_type=client_credentials&scope=" + new string('s', 20_000));
        yield return Post("100 KB body", "grant_type=client_credentials&x=" + HundredKb);
        yield return Post("17 fields", string.Join('&', Enumerable.Range(0, 17).Select(i => $"f{i}=1")));
        yield return Post("field name over 64 characters", new string('k', 100) + "=1&grant_type=client_credentials");
        yield return Form("no grant_type", 400, ("grant_type", null));
        yield return Form("empty grant_type", 400, ("grant_type", ""));
        yield return Form("grant_type twice", 400, ("grant_type+", "client_credentials"));
        foreach (var grant in new[] { "password", "authorization_code", "refresh_token", "CLIENT_CREDENTIALS", "urn:ietf:params:oauth:grant-type:jwt-bearer" })
        {
            yield return Form("grant_type " + grant, 400, ("grant_type", grant));
        }
        yield return Form("no client_assertion_type", 400, ("client_assertion_type", null));
        yield return Form("client_assertion_type saml", 400, ("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:saml2-bearer"));
        yield return Form("client_secret instead of an assertion", 400, ("client_assertion_type", null), ("client_assertion", null), ("client_id", "reader"), ("client_secret", "secret"));
        yield return Form("no client_assertion", 400, ("client_assertion", null));
        yield return Form("empty client_assertion", 400, ("client_assertion", ""));
        yield return Form("client_assertion twice", 400, ("client_assertion+", "{assertion:valid}"));
        yield return Form("no scope", 400, ("scope", null));
        yield return Form("empty scope", 400, ("scope", ""));
        yield return Form("scope not granted", 400, ("scope", "system/*.write"));
        yield return Form("user scope", 400, ("scope", "user/*.read"));
        yield return Form("scope with NUL", 400, ("scope", "system/*.read\0"));
        foreach (var (what, assertion) in new[]
                 {
                     ("garbage", "not-a-jwt"), ("three empty parts", ".."), ("three junk parts", "a.b.c"), ("15 KB of junk", new string('x', 15_000)),
                     ("algorithm none", "{assertion:alg-none}"), ("HS256", "{assertion:hs256}"), ("expired", "{assertion:expired}"),
                     ("expiring in an hour", "{assertion:far-expiry}"), ("without exp", "{assertion:no-expiry}"), ("not yet valid", "{assertion:not-yet-valid}"),
                     ("for another audience", "{assertion:wrong-audience}"), ("for the FHIR base", "{assertion:fhir-audience}"),
                     ("iss not sub", "{assertion:iss-not-sub}"), ("without jti", "{assertion:no-jti}"), ("of an unknown client", "{assertion:unknown-client}"),
                     ("signed by an unregistered key", "{assertion:unregistered-key}"), ("signed by another client's key", "{assertion:other-clients-key}"),
                 })
        {
            yield return Form("assertion " + what, 401, ("client_assertion", assertion));
        }
        // Auth:Issuer:TokenRequestsPerMinutePerClient: the placeholder spends `flooder`'s budget first (see AuthBadInputFacade).
        yield return Form("assertion of a client over its rate limit", 429, ("client_assertion", "{assertion:flooded}"));
        foreach (var method in new[] { "GET", "PUT", "PATCH", "DELETE" })
        {
            yield return new BadRequest($"{family} | {method}", method, "/auth/token?grant_type=client_credentials") with { Status = 405 };
        }
    }

    public static IEnumerable<BadRequest> Documents()
    {
        foreach (var (family, path) in new[] { ("auth-jwks", "/.well-known/jwks.json"), ("auth-smart-configuration", "/fhir/.well-known/smart-configuration") })
        {
            foreach (var method in new[] { "POST", "PUT", "PATCH", "DELETE" })
            {
                yield return new BadRequest($"{family} | {method}", method, path).WithBody("""{"keys":[]}""", "application/json") with { Status = 405 };
                yield return new BadRequest($"{family} | {method} with a token and respond-async", method, path).WithBody("""{"keys":[]}""", "application/json")
                    .WithHeader("Authorization", "Bearer {readerToken}").WithHeader("Prefer", "respond-async") with { Status = 405 };
            }
            yield return new BadRequest($"{family} | sub-path", "GET", path + "/extra");
        }
    }
}
