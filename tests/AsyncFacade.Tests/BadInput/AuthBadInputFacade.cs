using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.RegularExpressions;
using AsyncFacade.Server.Jobs;
using AsyncFacade.Tests.Infrastructure;
using AsyncFacade.Tests.Security;
using Microsoft.IdentityModel.Tokens;

namespace AsyncFacade.Tests.BadInput;

/// <summary>
/// The corpus host with `Auth:Enabled` and the built-in issuer: `reader` (RS384, system/*.read) owns the host's jobs,
/// `patient-reader` (ES384, system/Patient.read) may only read patients. Adds `{readerToken}`, `{patientToken}`, `{forgedToken}`
/// and `{assertion:kind}` (a fresh client assertion, bad in the way its kind says) to the placeholders. `busy` holds as many
/// queued jobs as Async:MaxActiveJobsPerOwner allows (`{busyToken}`); `flooder`'s token requests are spent by `{assertion:flooded}`.
/// A second trusted issuer (<see cref="PatientAppIssuer"/>, an ES384 JWKS) signs tokens with a patient or user context, as an
/// EHR's authorization server would: `{patientScopedToken}` (patient/*.cruds for pat-1), `{noPatientContextToken}`,
/// `{badPatientClaimToken}` (a `patient` claim that is no FHIR id), `{practitionerUserToken}` (user/*.rs, fhirUser
/// Practitioner) and `{unenforceableFilterToken}` (a v2 filter on `_include`).
/// </summary>
public sealed partial class AuthBadInputFacade() : BadInputFacade(FacadeStore.InMemory)
{
    public const string Reader = "reader";
    public const string PatientReader = "patient-reader";
    public const string Busy = "busy";
    public const string Flooder = "flooder";
    private const int MaxActiveJobs = 2;
    private const string PatientAppIssuer = "https://ehr-auth.test";

    private readonly AuthIssuerClientKey readerKey = AuthIssuerClientKey.Rsa();
    private readonly AuthIssuerClientKey patientReaderKey = AuthIssuerClientKey.Es384();
    private readonly AuthIssuerClientKey strangerKey = AuthIssuerClientKey.Rsa();
    private readonly AuthIssuerClientKey busyKey = AuthIssuerClientKey.Rsa();
    private readonly AuthIssuerClientKey flooderKey = AuthIssuerClientKey.Rsa();
    private readonly AuthIssuerClientKey patientAppIssuerKey = AuthIssuerClientKey.Es384();

    private string TokenUrl => new Uri(App.ServerAddress, "auth/token").ToString();

    public override string Resolve(string text) =>
        base.Resolve(AssertionPlaceholder().Replace(text, match => Assertion(match.Groups[1].Value)));

    protected override IDictionary<string, string?> Settings()
    {
        var settings = base.Settings();
        settings["Auth:Enabled"] = "true";
        settings["Auth:Audience"] = "https://facade.test/fhir";
        settings["Auth:Issuer:Enabled"] = "true";
        settings["Auth:Issuer:Clients:0:ClientId"] = Reader;
        settings["Auth:Issuer:Clients:0:Jwks"] = readerKey.PublicJwks;
        settings["Auth:Issuer:Clients:0:Scopes"] = "system/*.read";
        settings["Auth:Issuer:Clients:1:ClientId"] = PatientReader;
        settings["Auth:Issuer:Clients:1:Jwks"] = patientReaderKey.PublicJwks;
        settings["Auth:Issuer:Clients:1:Scopes"] = "system/Patient.read";
        settings["Auth:Issuer:Clients:2:ClientId"] = Busy;
        settings["Auth:Issuer:Clients:2:Jwks"] = busyKey.PublicJwks;
        settings["Auth:Issuer:Clients:2:Scopes"] = "system/*.read system/*.write";
        settings["Auth:Issuer:Clients:3:ClientId"] = Flooder;
        settings["Auth:Issuer:Clients:3:Jwks"] = flooderKey.PublicJwks;
        settings["Auth:Issuer:Clients:3:Scopes"] = "system/*.read";
        settings["Auth:Jwks"] = patientAppIssuerKey.PublicJwks;
        settings["Auth:ValidIssuer"] = PatientAppIssuer;
        settings["Async:MaxActiveJobsPerOwner"] = MaxActiveJobs.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return settings;
    }

    protected override async Task<HttpClient> ControlClientAsync(CancellationToken cancellationToken)
    {
        var readerToken = await TokenAsync(readerKey, Reader, "system/*.read", cancellationToken);
        Define("{readerToken}", readerToken);
        Define("{patientToken}", await TokenAsync(patientReaderKey, PatientReader, "system/Patient.read", cancellationToken));
        // Well formed, with the facade's audience and the reader's scopes, but signed by a key nobody trusts.
        Define("{forgedToken}", AuthIssuerClientKey.Sign(new Dictionary<string, object?>
        {
            ["iss"] = "https://facade.test", ["aud"] = "https://facade.test/fhir", ["client_id"] = Reader, ["sub"] = Reader,
            ["scope"] = "system/*.read", ["exp"] = DateTimeOffset.UtcNow.AddMinutes(5).ToUnixTimeSeconds(),
        }, new SigningCredentials(strangerKey.PrivateKey, strangerKey.Algorithm)));
        Define("{busyToken}", await TokenAsync(busyKey, Busy, "system/*.read system/*.write", cancellationToken));
        Define("{patientScopedToken}", PatientAppToken("patient/*.cruds", ("patient", "pat-1")));
        Define("{noPatientContextToken}", PatientAppToken("patient/*.cruds"));
        Define("{badPatientClaimToken}", PatientAppToken("patient/*.cruds", ("patient", "../Patient/pat-1")));
        Define("{practitionerUserToken}", PatientAppToken("user/*.rs", ("fhirUser", "Practitioner/prac-1")));
        Define("{unenforceableFilterToken}", PatientAppToken("patient/Observation.rs?_include=Observation:subject", ("patient", "pat-1")));
        // Queued records no worker will take (they were never handed to Hangfire): `busy` stays at its limit for the whole run.
        var store = App.GetRequiredService<IJobStore>();
        for (var i = 0; i < MaxActiveJobs; i++)
        {
            var now = DateTimeOffset.UtcNow;
            await store.CreateAsync(new JobRecord
            {
                Id = Guid.NewGuid().ToString("N"), Owner = Busy, Kind = "interaction", Request = new JobRequest("GET", "Patient/pat-1", new Dictionary<string, string>()),
                CreatedAt = now, UpdatedAt = now,
            }, cancellationToken);
        }
        var control = App.CreateRawClient();
        control.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", readerToken);
        return control;
    }

    private string PatientAppToken(string scope, params (string Name, string Value)[] context)
    {
        var claims = new Dictionary<string, object?>
        {
            ["iss"] = PatientAppIssuer, ["aud"] = "https://facade.test/fhir", ["client_id"] = "patient-app", ["sub"] = "patient-app",
            ["scope"] = scope, ["exp"] = DateTimeOffset.UtcNow.AddMinutes(30).ToUnixTimeSeconds(),
        };
        foreach (var (name, value) in context)
        {
            claims[name] = value;
        }
        return AuthIssuerClientKey.Sign(claims, new SigningCredentials(patientAppIssuerKey.PrivateKey, patientAppIssuerKey.Algorithm));
    }

    private async Task<string> TokenAsync(AuthIssuerClientKey key, string clientId, string scope, CancellationToken cancellationToken)
    {
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["scope"] = scope,
            ["client_assertion_type"] = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
            ["client_assertion"] = key.Assertion(clientId, TokenUrl),
        });
        using var response = await Http.PostAsync(TokenUrl, form, cancellationToken);
        return (await FhirAssert.JsonAsync(response)).GetProperty("access_token").GetString()!;
    }

    /// <summary>A client assertion for `reader`, fresh (new jti) on every use, bad in the way <paramref name="kind"/> says.</summary>
    private string Assertion(string kind)
    {
        var now = DateTimeOffset.UtcNow;
        return kind switch
        {
            "valid" => readerKey.Assertion(Reader, TokenUrl),
            "flooded" => Flood(),
            "expired" => readerKey.Assertion(Reader, TokenUrl, new Dictionary<string, object?> { ["exp"] = now.AddMinutes(-10).ToUnixTimeSeconds() }),
            "far-expiry" => readerKey.Assertion(Reader, TokenUrl, new Dictionary<string, object?> { ["exp"] = now.AddHours(1).ToUnixTimeSeconds() }),
            "no-expiry" => readerKey.Assertion(Reader, TokenUrl, new Dictionary<string, object?> { ["exp"] = null }),
            "not-yet-valid" => readerKey.Assertion(Reader, TokenUrl, new Dictionary<string, object?> { ["nbf"] = now.AddMinutes(3).ToUnixTimeSeconds() }),
            "wrong-audience" => readerKey.Assertion(Reader, "https://elsewhere.test/auth/token"),
            "fhir-audience" => readerKey.Assertion(Reader, new Uri(App.ServerAddress, "fhir").ToString()),
            "iss-not-sub" => readerKey.Assertion(Reader, TokenUrl, new Dictionary<string, object?> { ["sub"] = PatientReader }),
            "no-jti" => readerKey.Assertion(Reader, TokenUrl, new Dictionary<string, object?> { ["jti"] = null }),
            "unknown-client" => readerKey.Assertion("nobody", TokenUrl),
            "unregistered-key" => strangerKey.Assertion(Reader, TokenUrl),
            "other-clients-key" => patientReaderKey.Assertion(Reader, TokenUrl),
            "hs256" => AuthIssuerClientKey.Sign(Claims(now), new SigningCredentials(new SymmetricSecurityKey(RandomNumberGenerator.GetBytes(48)), SecurityAlgorithms.HmacSha256)),
            "alg-none" => Base64UrlEncoder.Encode("""{"alg":"none","typ":"JWT"}""") + "." + Base64UrlEncoder.Encode(JsonSerializer.Serialize(Claims(now))) + ".",
            _ => throw new ArgumentException($"No assertion kind '{kind}'.", nameof(kind)),
        };
    }

    /// <summary>
    /// Spends `flooder`'s token budget over real HTTP until the endpoint says 429, then gives a valid assertion of flooder's,
    /// which the case sends in the same window. Synchronous, as <see cref="Resolve"/> is; the requests change nothing.
    /// </summary>
    private string Flood()
    {
        for (var i = 0; i < 10_000; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, TokenUrl)
            {
                Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["client_id"] = Flooder, ["grant_type"] = "client_credentials" }),
            };
            using var response = Http.Send(request);
            if (response.StatusCode == System.Net.HttpStatusCode.TooManyRequests)
            {
                return flooderKey.Assertion(Flooder, TokenUrl);
            }
        }
        throw new InvalidOperationException("The token endpoint never rate-limited flooder.");
    }

    private Dictionary<string, object?> Claims(DateTimeOffset now) => new()
    {
        ["iss"] = Reader, ["sub"] = Reader, ["aud"] = TokenUrl, ["exp"] = now.AddMinutes(4).ToUnixTimeSeconds(), ["jti"] = Guid.NewGuid().ToString("N"),
    };

    [GeneratedRegex(@"\{assertion:([a-z0-9-]+)\}")]
    private static partial Regex AssertionPlaceholder();
}

[CollectionDefinition(Name)]
public sealed class AuthBadInputCollection : ICollectionFixture<AuthBadInputFacade>
{
    public const string Name = "Bad input corpus (auth on)";
}
