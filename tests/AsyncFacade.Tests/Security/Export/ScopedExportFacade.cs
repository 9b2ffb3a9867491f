using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using AsyncFacade.Tests.Infrastructure;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace AsyncFacade.Tests.Security.Export;

/// <summary>
/// A facade with auth on (an HS256 test JWKS) in front of the untouched sample data, and the calls the export scope
/// tests make: kick-off with a token, wait for the manifest, read every exported line.
/// </summary>
public sealed class ScopedExportFacade : IAsyncLifetime
{
    public const string Issuer = "https://issuer.test";
    public const string Audience = "https://facade.test/fhir";
    private static readonly byte[] Key = RandomNumberGenerator.GetBytes(32);

    public FacadeApplication App { get; private set; } = null!;

    public HttpClient Http { get; private set; } = null!;

    public ValueTask InitializeAsync()
    {
        App = new FacadeApplication(new Dictionary<string, string?>
        {
            ["Auth:Enabled"] = "true",
            ["Auth:ValidIssuer"] = Issuer,
            ["Auth:Audience"] = Audience,
            ["Auth:TokenEndpoint"] = "https://issuer.test/token",
            ["Auth:Jwks"] = $$"""{"keys":[{"kty":"oct","kid":"test","alg":"HS256","k":"{{Base64UrlEncoder.Encode(Key)}}"}]}""",
        }).Start();
        Http = App.CreateRawClient();
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await App.DisposeAsync();
    }

    public static string Token(string scope, string? patient = null, string? fhirUser = null, string clientId = "export-client")
    {
        var claims = new Dictionary<string, object> { ["client_id"] = clientId, ["scope"] = scope, ["sub"] = clientId };
        if (patient is not null)
        {
            claims["patient"] = patient;
        }
        if (fhirUser is not null)
        {
            claims["fhirUser"] = fhirUser;
        }
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = Audience,
            Claims = claims,
            Expires = DateTime.UtcNow.AddMinutes(5),
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(Key) { KeyId = "test" }, SecurityAlgorithms.HmacSha256),
        });
    }

    public Task<HttpResponseMessage> KickOffAsync(string url, string token, string? prefer = null, string? parametersBody = null)
    {
        var request = new HttpRequestMessage(parametersBody is null ? HttpMethod.Get : HttpMethod.Post, url);
        request.Headers.TryAddWithoutValidation("Prefer", prefer is null ? "respond-async" : "respond-async, " + prefer);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (parametersBody is not null)
        {
            request.Content = new StringContent(parametersBody, Encoding.UTF8, "application/fhir+json");
        }
        return Http.SendAsync(request, TestContext.Current.CancellationToken);
    }

    public async Task<JsonElement> ManifestAsync(HttpResponseMessage accepted, string token)
    {
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        var status = accepted.Content.Headers.ContentLocation!.AbsolutePath;
        return await Eventually.WaitForAsync(async () =>
        {
            using var response = await GetAsync(status, token);
            return response.StatusCode == HttpStatusCode.OK ? await FhirAssert.JsonAsync(response) : default;
        }, m => m.ValueKind == JsonValueKind.Object, TimeSpan.FromSeconds(60), "the export");
    }

    /// <summary>Every line of the manifest's <paramref name="section"/> files (`output` or `error`), parsed.</summary>
    public async Task<List<JsonElement>> LinesAsync(JsonElement manifest, string section, string token)
    {
        var lines = new List<JsonElement>();
        foreach (var file in manifest.GetProperty(section).EnumerateArray())
        {
            using var response = await GetAsync(new Uri(file.GetProperty("url").GetString()!).PathAndQuery, token);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
            lines.AddRange(text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonDocument.Parse(line).RootElement.Clone()));
        }
        return lines;
    }

    /// <summary>The upstream's own count for a search (the embedded sample upstream, asked directly).</summary>
    public async Task<int> UpstreamCountAsync(string search)
    {
        var upstream = new Uri(App.ServerAddress, "upstream/fhir/");
        var total = 0;
        var next = new Uri(upstream, search + (search.Contains('?') ? "&" : "?") + "_count=1000").ToString();
        while (next is not null)
        {
            using var response = await Http.GetAsync(next, TestContext.Current.CancellationToken);
            var page = await FhirAssert.JsonAsync(response);
            total += page.TryGetProperty("entry", out var entries) ? entries.GetArrayLength() : 0;
            next = page.GetProperty("link").EnumerateArray().Where(l => l.GetProperty("relation").GetString() == "next")
                .Select(l => l.GetProperty("url").GetString()).FirstOrDefault();
        }
        return total;
    }

    private Task<HttpResponseMessage> GetAsync(string url, string token)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return Http.SendAsync(request, TestContext.Current.CancellationToken);
    }
}
