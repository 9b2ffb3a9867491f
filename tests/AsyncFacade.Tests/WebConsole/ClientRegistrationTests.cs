using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using AsyncFacade.Tests.Infrastructure;
using AsyncFacade.Tests.Security;
using Microsoft.IdentityModel.Tokens;

namespace AsyncFacade.Tests.WebConsole;

/// <summary>`/auth/clients` on a reference test server: registrations that get tokens for /fhir, and every way to be refused.</summary>
public sealed class ClientRegistrationTests(LaunchFacade fixture) : IClassFixture<LaunchFacade>
{
    private readonly CancellationToken ct = TestContext.Current.CancellationToken;

    private HttpClient Http() => fixture.App.CreateRawClient();

    [Fact]
    public async Task A_registered_es384_client_gets_a_token_with_its_own_lifetime_that_opens_the_FHIR_API()
    {
        using var http = Http();
        var key = AuthIssuerClientKey.Es384();

        var client = await Registrations.RegisterAsync(http, new { name = "my client", jwks = JsonDocument.Parse(key.PublicJwks).RootElement, scopes = "system/Patient.read", tokenLifetimeSeconds = 120 }, ct);

        var clientId = client.GetProperty("clientId").GetString()!;
        Assert.StartsWith("reg-", clientId);
        Assert.Equal(fixture.TokenUrl, client.GetProperty("tokenUrl").GetString());
        Assert.Equal(new Uri(fixture.App.ServerAddress, "fhir").ToString(), client.GetProperty("fhirBaseUrl").GetString());
        Assert.Equal(LaunchFacade.Audience, client.GetProperty("audience").GetString());
        Assert.Equal(key.KeyId, client.GetProperty("keyIds")[0].GetString());
        var token = await Registrations.TokenBodyAsync(http, fixture.TokenUrl, clientId, key, "system/Patient.read", ct);
        Assert.Equal(120, token.GetProperty("expires_in").GetInt32());

        using var kickOff = new HttpRequestMessage(HttpMethod.Get, "/fhir/$export?_type=Patient");
        kickOff.Headers.Add("Prefer", "respond-async");
        kickOff.Headers.Accept.ParseAdd("application/fhir+json");
        kickOff.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token.GetProperty("access_token").GetString());
        using var accepted = await http.SendAsync(kickOff, ct);
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        using var cancel = new HttpRequestMessage(HttpMethod.Delete, accepted.Content.Headers.ContentLocation);
        cancel.Headers.Authorization = kickOff.Headers.Authorization;
        await http.SendAsync(cancel, ct);
    }

    [Fact]
    public async Task A_jwks_given_as_a_string_registers_an_rs384_client()
    {
        using var http = Http();
        var key = AuthIssuerClientKey.Rsa();

        var client = await Registrations.RegisterAsync(http, new { jwks = key.PublicJwks, scopes = "system/*.read" }, ct);

        var token = await Registrations.TokenBodyAsync(http, fixture.TokenUrl, client.GetProperty("clientId").GetString()!, key, "system/Observation.read", ct);
        Assert.Equal("system/Observation.read", token.GetProperty("scope").GetString());
        Assert.Equal(300, client.GetProperty("tokenLifetimeSeconds").GetInt32());
    }

    [Fact]
    public async Task Registrations_are_listed_and_a_deleted_client_gets_no_more_tokens()
    {
        using var http = Http();
        var key = AuthIssuerClientKey.Es384();
        var clientId = (await Registrations.RegisterAsync(http, new { name = "to delete", jwks = key.PublicJwks, scopes = "system/*.read" }, ct))
            .GetProperty("clientId").GetString()!;

        var listed = await FhirAssert.JsonAsync(await http.GetAsync("/auth/clients", ct));
        Assert.Contains(listed.EnumerateArray(), c => c.GetProperty("clientId").GetString() == clientId && c.GetProperty("name").GetString() == "to delete");

        Assert.Equal(HttpStatusCode.NoContent, (await http.DeleteAsync($"/auth/clients/{clientId}", ct)).StatusCode);

        listed = await FhirAssert.JsonAsync(await http.GetAsync("/auth/clients", ct));
        Assert.DoesNotContain(listed.EnumerateArray(), c => c.GetProperty("clientId").GetString() == clientId);
        using var refused = await Registrations.TokenAsync(http, fixture.TokenUrl, clientId, key, "system/*.read", ct);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        await FhirAssert.OperationOutcomeAsync(await http.DeleteAsync($"/auth/clients/{clientId}", ct), HttpStatusCode.NotFound, "not-found");
    }

    [Fact]
    public async Task A_jwks_url_client_is_fetched_through_the_guard_and_refetched_when_it_rotates_its_key()
    {
        using var http = Http();
        var first = AuthIssuerClientKey.Es384();
        fixture.Jwks.Jwks = first.PublicJwks;
        var url = fixture.Jwks.Url("jwks");

        var client = await Registrations.RegisterAsync(http, new { jwksUrl = url, scopes = "system/*.read" }, ct);
        var clientId = client.GetProperty("clientId").GetString()!;
        Assert.Equal(url, client.GetProperty("jwksUrl").GetString());
        await Registrations.TokenBodyAsync(http, fixture.TokenUrl, clientId, first, "system/*.read", ct);

        // A new kid the cached set does not have: fetched again (the refetch interval is 10 s after the last fetch).
        var rotated = AuthIssuerClientKey.Es384();
        fixture.Jwks.Jwks = rotated.PublicJwks;
        var status = await Eventually.WaitForAsync(async () =>
        {
            // One try a second: the token endpoint's per-client limit (60 a minute) must not be what ends the wait.
            await Task.Delay(TimeSpan.FromSeconds(1), ct);
            using var response = await Registrations.TokenAsync(http, fixture.TokenUrl, clientId, rotated, "system/*.read", ct);
            return response.StatusCode;
        }, s => s != HttpStatusCode.Unauthorized, TimeSpan.FromSeconds(20), "the rotated key to be fetched");
        Assert.Equal(HttpStatusCode.OK, status);
    }

    [Theory]
    [InlineData("not json", "jwks is not valid JSON")]
    [InlineData("""{"kty":"EC"}""", "jwks must be a JWKS object with a \"keys\" array")]
    [InlineData("""{"keys":[{"kty":"oct","k":"c2VjcmV0"}]}""", "jwks key 0 is a symmetric (oct) key")]
    [InlineData("""{"keys":[{"kty":"OKP","crv":"Ed25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}]}""", "jwks holds no public key usable for RS384")]
    public async Task A_malformed_or_unsupported_jwks_is_refused_with_the_reason(string jwks, string expected)
    {
        using var http = Http();

        var outcome = await FhirAssert.OperationOutcomeAsync(await Registrations.PostAsync(http, new { jwks, scopes = "system/*.read" }, ct), HttpStatusCode.BadRequest, "invalid");

        Assert.Contains(expected, Diagnostics(outcome));
    }

    [Fact]
    public async Task An_rsa_1024_key_and_a_key_with_private_parts_are_refused()
    {
        using var http = Http();
        var small = RSA.Create(1024).ExportParameters(false);
        var weak = JsonSerializer.Serialize(new { keys = new[] { new { kty = "RSA", n = Base64UrlEncoder.Encode(small.Modulus), e = Base64UrlEncoder.Encode(small.Exponent) } } });
        var ec = ECDsa.Create(ECCurve.NamedCurves.nistP384).ExportParameters(true);
        var withPrivate = JsonSerializer.Serialize(new { keys = new[] { new { kty = "EC", crv = "P-384", x = Base64UrlEncoder.Encode(ec.Q.X), y = Base64UrlEncoder.Encode(ec.Q.Y), d = Base64UrlEncoder.Encode(ec.D) } } });

        var weakOutcome = await FhirAssert.OperationOutcomeAsync(await Registrations.PostAsync(http, new { jwks = weak, scopes = "system/*.read" }, ct), HttpStatusCode.BadRequest, "invalid");
        var privateOutcome = await FhirAssert.OperationOutcomeAsync(await Registrations.PostAsync(http, new { jwks = withPrivate, scopes = "system/*.read" }, ct), HttpStatusCode.BadRequest, "invalid");

        Assert.Contains("is an RSA key of 1024 bits; at least 2048 are required", Diagnostics(weakOutcome));
        Assert.Contains("holds private key parts; register the public key only", Diagnostics(privateOutcome));
    }

    [Theory]
    [InlineData("http://127.0.0.1:{port}/jwks", "forbidden", "127.0.0.1")]
    [InlineData("https://127.0.0.1:{port}/jwks", "forbidden", "non-public address")]
    [InlineData("https://10.1.2.3/jwks", "forbidden", "non-public address")]
    [InlineData("ftp://example.org/jwks", "forbidden", "must be an absolute https URL")]
    [InlineData("https://user:pw@example.org/jwks", "forbidden", "user information")]
    [InlineData("http://localhost:{port}/moved", "invalid", "answered 302 (redirects are not followed)")]
    [InlineData("http://localhost:{port}/big", "invalid", "returned more than 65536 bytes")]
    [InlineData("http://localhost:{port}/missing", "invalid", "answered 404")]
    public async Task A_jwks_url_outside_the_ssrf_rules_or_that_does_not_serve_a_jwks_is_refused(string url, string code, string expected)
    {
        using var http = Http();
        fixture.Jwks.Jwks = AuthIssuerClientKey.Es384().PublicJwks;

        var body = new { jwksUrl = url.Replace("{port}", fixture.Jwks.Address.Port.ToString()), scopes = "system/*.read" };
        var outcome = await FhirAssert.OperationOutcomeAsync(await Registrations.PostAsync(http, body, ct), HttpStatusCode.BadRequest, code);

        Assert.Contains(expected, Diagnostics(outcome));
    }

    [Theory]
    [InlineData("""{"scopes":"system/*.read"}""", "give exactly one of jwks")]
    [InlineData("""{"jwks":{"keys":[]},"jwksUrl":"https://example.org/jwks","scopes":"system/*.read"}""", "give exactly one of jwks")]
    [InlineData("""{"jwks":"{}"}""", "scopes must list at least one scope")]
    [InlineData("""{"jwks":"{}","scopes":"system/*.write"}""", "'system/*.write' is not allowed for a self-registered client")]
    [InlineData("""{"jwks":"{}","scopes":"openid"}""", "'openid' is not allowed")]
    [InlineData("""{"jwks":"{}","scopes":"system/*.read","tokenLifetimeSeconds":301}""", "tokenLifetimeSeconds must be between 1 and 300")]
    [InlineData("""{"jwks":"{}","scopes":"system/*.read","tokenLifetimeSeconds":0}""", "tokenLifetimeSeconds must be between 1 and 300")]
    [InlineData("""{"jwks":"{}","scopes":"system/*.read","name":"line\nbreak"}""", "name must not contain control characters")]
    [InlineData("""{"jwks":"{}","scopes":"system/*.read","tokenLifetimeSeconds":"soon"}""", "The body is not a registration")]
    [InlineData("""{"jwks":""", "The body is not a registration")]
    [InlineData("""[]""", "The body is not a registration")]
    public async Task Missing_or_out_of_range_fields_are_refused_before_any_key_is_read(string json, string expected)
    {
        using var http = Http();
        using var content = new StringContent(json, Encoding.UTF8, "application/json");

        var outcome = await FhirAssert.OperationOutcomeAsync(await http.PostAsync("/auth/clients", content, ct), HttpStatusCode.BadRequest, "invalid");

        Assert.Contains(expected, Diagnostics(outcome));
    }

    [Fact]
    public async Task A_name_with_markup_is_kept_as_plain_text()
    {
        using var http = Http();
        const string name = "<img src=x onerror=alert(1)>";

        var client = await Registrations.RegisterAsync(http, new { name, jwks = AuthIssuerClientKey.Es384().PublicJwks, scopes = "system/*.read" }, ct);

        Assert.Equal(name, client.GetProperty("name").GetString());
    }

    [Fact]
    public async Task An_oversize_body_is_413_and_a_form_body_is_415()
    {
        using var http = Http();
        using var big = new StringContent("{\"name\":\"" + new string('a', 70_000) + "\"}", Encoding.UTF8, "application/json");
        using var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["jwks"] = "{}" });

        await FhirAssert.OperationOutcomeAsync(await http.PostAsync("/auth/clients", big, ct), HttpStatusCode.RequestEntityTooLarge, "too-long");
        await FhirAssert.OperationOutcomeAsync(await http.PostAsync("/auth/clients", form, ct), HttpStatusCode.UnsupportedMediaType, "not-supported");
    }

    [Fact]
    public async Task The_launch_document_lists_every_simulated_behaviour_and_the_issuer_settings()
    {
        using var http = Http();

        var launch = await FhirAssert.JsonAsync(await http.GetAsync("/console/api/launch", ct));

        var behaviours = launch.GetProperty("simulation").GetProperty("behaviours").EnumerateArray().Select(b => b.GetProperty("name").GetString()).ToList();
        Assert.Equal(["duration", "no-retry-after", "retry-after-date", "poll-429", "in-progress-200", "fail", "expire", "require-token", "partial", "error-file"], behaviours);
        Assert.EndsWith("/sim/{behaviours}/fhir", launch.GetProperty("simulation").GetProperty("baseUrlTemplate").GetString());
        var issuer = launch.GetProperty("issuer");
        Assert.Equal("Open", issuer.GetProperty("registration").GetString());
        Assert.True(issuer.GetProperty("mayRegister").GetBoolean());
        Assert.Equal(fixture.TokenUrl, issuer.GetProperty("tokenUrl").GetString());
        Assert.Equal(LaunchFacade.Audience, issuer.GetProperty("audience").GetString());
        Assert.Equal(300, issuer.GetProperty("maxTokenLifetimeSeconds").GetInt32());
        Assert.Equal("system/*.read", issuer.GetProperty("allowedScopes")[0].GetString());
        Assert.True(launch.GetProperty("authEnabled").GetBoolean());
    }

    [Fact]
    public async Task The_launch_page_is_served_at_the_root_with_the_strict_policy()
    {
        using var http = Http();

        using var page = await http.GetAsync("/", ct);

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("console/assets/launch.js", await page.Content.ReadAsStringAsync(ct));
        Assert.Contains("script-src 'self'", page.Headers.GetValues("Content-Security-Policy").Single());
    }

    private static string Diagnostics(JsonElement outcome) => outcome.GetProperty("issue")[0].GetProperty("diagnostics").GetString()!;
}
