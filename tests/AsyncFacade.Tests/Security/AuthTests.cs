using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using AsyncFacade.Tests.Infrastructure;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace AsyncFacade.Tests.Security;

/// <summary>
/// `Auth:Enabled` with a test JWKS (an HS256 `oct` key): every rule over real HTTP, the bad tokens included. Tokens are
/// minted here as a SMART authorization server would, with `client_id`, `scope`, `aud` and `exp`.
/// </summary>
public sealed class AuthTests : IAsyncLifetime
{
    private const string Issuer = "https://issuer.test";
    private const string Audience = "https://facade.test/fhir";
    private static readonly byte[] Key = RandomNumberGenerator.GetBytes(32);

    private readonly CancellationToken ct = TestContext.Current.CancellationToken;
    private FacadeApplication app = null!;
    private HttpClient http = null!;

    public ValueTask InitializeAsync()
    {
        app = new FacadeApplication(Settings()).Start();
        http = app.CreateRawClient();
        return ValueTask.CompletedTask;
    }

    private static Dictionary<string, string?> Settings() => new()
    {
        ["Auth:Enabled"] = "true",
        ["Auth:ValidIssuer"] = Issuer,
        ["Auth:Audience"] = Audience,
        ["Auth:TokenEndpoint"] = "https://issuer.test/token",
        ["Auth:Jwks"] = $$"""{"keys":[{"kty":"oct","kid":"test","alg":"HS256","k":"{{Base64UrlEncoder.Encode(Key)}}"}]}""",
    };

    public async ValueTask DisposeAsync()
    {
        http.Dispose();
        await app.DisposeAsync();
    }

    [Fact]
    public async Task A_request_without_a_token_is_401_with_a_Bearer_challenge()
    {
        using var response = await http.GetAsync("/fhir/Patient?_count=1", ct);

        await FhirAssert.OperationOutcomeAsync(response, HttpStatusCode.Unauthorized, "login");
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().ToString());
    }

    public static TheoryData<string> BadTokens => new()
    {
        "expired", "wrong-audience", "wrong-issuer", "wrong-key", "alg-none", "garbage",
    };

    [Theory]
    [MemberData(nameof(BadTokens))]
    public async Task A_bad_token_is_401_invalid_token(string kind)
    {
        var token = kind switch
        {
            "expired" => Token("client-a", "system/*.read", expires: DateTime.UtcNow.AddMinutes(-5)),
            "wrong-audience" => Token("client-a", "system/*.read", audience: "https://elsewhere.test/fhir"),
            "wrong-issuer" => Token("client-a", "system/*.read", issuer: "https://evil.test"),
            "wrong-key" => Token("client-a", "system/*.read", key: RandomNumberGenerator.GetBytes(32)),
            "alg-none" => Base64UrlEncoder.Encode("""{"alg":"none","typ":"JWT"}""") + "." +
                          Base64UrlEncoder.Encode($$"""{"iss":"{{Issuer}}","aud":"{{Audience}}","client_id":"client-a","scope":"system/*.read","exp":{{DateTimeOffset.UtcNow.AddMinutes(5).ToUnixTimeSeconds()}}}""") + ".",
            _ => "not-a-jwt",
        };

        using var response = await SendAsync(HttpMethod.Get, "/fhir/Patient?_count=1", token);

        await FhirAssert.OperationOutcomeAsync(response, HttpStatusCode.Unauthorized, "login");
        Assert.Contains("invalid_token", response.Headers.WwwAuthenticate.Single().ToString());
    }

    [Fact]
    public async Task Scopes_decide_what_a_valid_token_may_read_and_write()
    {
        var token = Token("client-a", "system/Patient.read system/Observation.rs");

        Assert.Equal(HttpStatusCode.OK, (await SendAsync(HttpMethod.Get, "/fhir/Patient?_count=1", token)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(HttpMethod.Get, "/fhir/Observation?_count=1", token)).StatusCode);
        using var encounters = await SendAsync(HttpMethod.Get, "/fhir/Encounter?_count=1", token);
        await FhirAssert.OperationOutcomeAsync(encounters, HttpStatusCode.Forbidden, "forbidden");
        Assert.Contains("insufficient_scope", encounters.Headers.WwwAuthenticate.Single().ToString());
        using var create = await SendAsync(HttpMethod.Post, "/fhir/Patient", token, """{"resourceType":"Patient"}""");
        await FhirAssert.OperationOutcomeAsync(create, HttpStatusCode.Forbidden, "forbidden");
        using var transaction = await SendAsync(HttpMethod.Post, "/fhir", token, """{"resourceType":"Bundle","type":"batch"}""");
        await FhirAssert.OperationOutcomeAsync(transaction, HttpStatusCode.Forbidden, "forbidden");
    }

    [Fact]
    public async Task Metadata_and_SMART_discovery_need_no_token_and_describe_the_security()
    {
        var statement = await FhirAssert.JsonAsync(await http.GetAsync("/fhir/metadata", ct));
        var service = statement.GetProperty("rest")[0].GetProperty("security").GetProperty("service")[0].GetProperty("coding")[0];
        Assert.Equal("SMART-on-FHIR", service.GetProperty("code").GetString());

        using var discovery = await http.GetAsync("/fhir/.well-known/smart-configuration", ct);
        Assert.Equal(HttpStatusCode.OK, discovery.StatusCode);
        var configuration = await FhirAssert.JsonAsync(discovery);
        SmartConfigurationAssert.HasRequiredFields(configuration);
        Assert.Equal("https://issuer.test/token", configuration.GetProperty("token_endpoint").GetString());
        Assert.Contains("private_key_jwt", configuration.GetProperty("token_endpoint_auth_methods_supported").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public async Task Export_needs_read_on_every_type_and_its_job_and_files_belong_to_the_client()
    {
        var owner = Token("client-a", "system/Patient.read");
        var other = Token("client-b", "system/*.read");
        await FhirAssert.OperationOutcomeAsync(await KickOffAsync("/fhir/$export?_type=Observation", owner), HttpStatusCode.Forbidden, "forbidden");
        await FhirAssert.OperationOutcomeAsync(await KickOffAsync("/fhir/$export", Token("client-a", "system/Patient.write")), HttpStatusCode.Forbidden, "forbidden");

        using var accepted = await KickOffAsync("/fhir/$export?_type=Patient", owner);
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        var status = accepted.Content.Headers.ContentLocation!.AbsolutePath;
        var manifest = await ManifestAsync(status, owner);

        Assert.True(manifest.GetProperty("requiresAccessToken").GetBoolean());
        var file = new Uri(manifest.GetProperty("output")[0].GetProperty("url").GetString()!).AbsolutePath;
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(HttpMethod.Get, file, owner)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync(file, ct)).StatusCode);
        // Another client: the job and its files do not exist for it.
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(HttpMethod.Get, file, other)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(HttpMethod.Get, status, other)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(HttpMethod.Delete, status, other)).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await SendAsync(HttpMethod.Delete, status, owner)).StatusCode);
    }

    [Fact]
    public async Task An_async_interaction_keeps_no_caller_token_in_its_job_record()
    {
        using var accepted = await KickOffAsync("/fhir/Patient?_count=1", Token("client-a", "system/Patient.read"));
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);

        var job = await app.GetRequiredService<AsyncFacade.Server.Jobs.IJobStore>().GetAsync(accepted.Content.Headers.ContentLocation!.Segments[^1], ct);

        Assert.NotNull(job);
        Assert.Equal("client-a", job.Owner);
        Assert.False(job.Request.Headers.ContainsKey("Authorization"));
    }

    [Fact]
    public async Task Signed_file_urls_download_without_a_token_and_only_for_their_own_path()
    {
        var settings = Settings();
        settings["Auth:SignedFileUrls"] = "true";
        await using var signedApp = new FacadeApplication(settings).Start();
        var signedHttp = signedApp.CreateRawClient();
        var token = Token("client-a", "system/Patient.read");
        using var kickOff = new HttpRequestMessage(HttpMethod.Get, "/fhir/$export?_type=Patient");
        kickOff.Headers.TryAddWithoutValidation("Prefer", "respond-async");
        kickOff.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var accepted = await signedHttp.SendAsync(kickOff, ct);
        var status = accepted.Content.Headers.ContentLocation!.AbsolutePath;
        var manifest = await Eventually.WaitForAsync(async () =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, status);
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            using var response = await signedHttp.SendAsync(request, ct);
            return response.StatusCode == HttpStatusCode.OK ? await FhirAssert.JsonAsync(response) : default;
        }, m => m.ValueKind == System.Text.Json.JsonValueKind.Object, TimeSpan.FromSeconds(30), "the export");

        Assert.False(manifest.GetProperty("requiresAccessToken").GetBoolean());
        var url = new Uri(manifest.GetProperty("output")[0].GetProperty("url").GetString()!);
        Assert.Contains("signature=", url.Query);
        Assert.Equal(HttpStatusCode.OK, (await signedHttp.GetAsync(url.PathAndQuery, ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await signedHttp.GetAsync(url.AbsolutePath, ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await signedHttp.GetAsync(url.PathAndQuery.Replace("signature=", "signature=x"), ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await signedHttp.GetAsync(url.AbsolutePath.Replace("Patient-1", "Patient-2") + url.Query, ct)).StatusCode);
    }

    [Fact]
    public async Task Import_needs_write_on_every_input_type()
    {
        const string body = """{"resourceType":"Parameters","parameter":[{"name":"inputFormat","valueString":"application/fhir+ndjson"},{"name":"input","part":[{"name":"type","valueString":"Patient"},{"name":"url","valueUri":"https://data.example.org/p.ndjson"}]}]}""";
        using var request = new HttpRequestMessage(HttpMethod.Post, "/fhir/$import") { Content = new StringContent(body, Encoding.UTF8, "application/fhir+json") };
        request.Headers.TryAddWithoutValidation("Prefer", "respond-async");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token("client-a", "system/*.read"));

        using var response = await http.SendAsync(request, ct);

        await FhirAssert.OperationOutcomeAsync(response, HttpStatusCode.Forbidden, "forbidden");
    }

    private Task<System.Text.Json.JsonElement> ManifestAsync(string status, string token) =>
        Eventually.WaitForAsync(async () =>
        {
            using var response = await SendAsync(HttpMethod.Get, status, token);
            return response.StatusCode == HttpStatusCode.OK ? await FhirAssert.JsonAsync(response) : default;
        }, m => m.ValueKind == System.Text.Json.JsonValueKind.Object, TimeSpan.FromSeconds(30), "the export");

    private Task<HttpResponseMessage> KickOffAsync(string url, string token)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.TryAddWithoutValidation("Prefer", "respond-async");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return http.SendAsync(request, ct);
    }

    private Task<HttpResponseMessage> SendAsync(HttpMethod method, string url, string token, string? fhirBody = null)
    {
        var request = new HttpRequestMessage(method, url);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (fhirBody is not null)
        {
            request.Content = new StringContent(fhirBody, Encoding.UTF8, "application/fhir+json");
        }
        return http.SendAsync(request, ct);
    }

    private static string Token(string clientId, string scope, DateTime? expires = null, string audience = Audience, string issuer = Issuer, byte[]? key = null) =>
        new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            Claims = new Dictionary<string, object> { ["client_id"] = clientId, ["scope"] = scope, ["sub"] = clientId },
            NotBefore = (expires ?? DateTime.UtcNow.AddMinutes(5)).AddMinutes(-10),
            IssuedAt = (expires ?? DateTime.UtcNow.AddMinutes(5)).AddMinutes(-10),
            Expires = expires ?? DateTime.UtcNow.AddMinutes(5),
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(key ?? Key) { KeyId = "test" }, SecurityAlgorithms.HmacSha256),
        });
}
