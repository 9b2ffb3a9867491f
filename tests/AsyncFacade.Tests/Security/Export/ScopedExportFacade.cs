using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using AsyncFacade.Tests.Infrastructure;

namespace AsyncFacade.Tests.Security.Export;

/// <summary>
/// The scoped facade (auth on, an HS256 test JWKS, untouched sample data) with the calls the export scope tests make:
/// kick-off with a token, wait for the manifest, read every exported line, count what the upstream itself holds.
/// </summary>
public sealed class ScopedExportFacade : Scopes.ScopedFacade
{
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
}
