using System.Net;
using System.Text;
using System.Text.Json;

namespace AsyncFacade.Tests.SampleUpstream;

/// <summary>Small readers for the Bundle and OperationOutcome JSON the tests assert on.</summary>
internal static class BundleJson
{
    public static async Task<JsonElement> GetAsync(HttpClient client, string url, CancellationToken cancellationToken, HttpStatusCode expected = HttpStatusCode.OK)
    {
        using var response = await client.GetAsync(url, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        Assert.True(expected == response.StatusCode, $"GET {url} answered {(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    public static async Task<JsonElement> SendAsync(HttpClient client, HttpMethod method, string url, string? json, CancellationToken cancellationToken, HttpStatusCode expected)
    {
        using var request = new HttpRequestMessage(method, url);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/fhir+json");
        }
        using var response = await client.SendAsync(request, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        Assert.True(expected == response.StatusCode, $"{method} {url} answered {(int)response.StatusCode}: {body}");
        return body.Length == 0 ? default : JsonDocument.Parse(body).RootElement.Clone();
    }

    public static List<JsonElement> Resources(JsonElement bundle)
    {
        var result = new List<JsonElement>();
        if (bundle.TryGetProperty("entry", out var entries))
        {
            foreach (var entry in entries.EnumerateArray())
            {
                if (entry.TryGetProperty("resource", out var resource))
                {
                    result.Add(resource);
                }
            }
        }
        return result;
    }

    public static List<string> Ids(JsonElement bundle) => Resources(bundle).ConvertAll(r => r.GetProperty("id").GetString()!);

    public static string? Link(JsonElement bundle, string relation)
    {
        if (!bundle.TryGetProperty("link", out var links))
        {
            return null;
        }
        foreach (var link in links.EnumerateArray())
        {
            if (link.GetProperty("relation").GetString() == relation)
            {
                return link.GetProperty("url").GetString();
            }
        }
        return null;
    }

    public static string IssueCode(JsonElement outcome)
    {
        Assert.Equal("OperationOutcome", outcome.GetProperty("resourceType").GetString());
        return outcome.GetProperty("issue")[0].GetProperty("code").GetString()!;
    }

    public static string? Reference(JsonElement resource, string property) =>
        resource.TryGetProperty(property, out var value) ? value.GetProperty("reference").GetString() : null;

    /// <summary>Follows next links from <paramref name="firstUrl"/> and returns every page.</summary>
    public static async Task<List<JsonElement>> AllPagesAsync(HttpClient client, string firstUrl, CancellationToken cancellationToken)
    {
        var pages = new List<JsonElement>();
        for (string? url = firstUrl; url is not null; url = Link(pages[^1], "next"))
        {
            pages.Add(await GetAsync(client, url, cancellationToken));
        }
        return pages;
    }
}
