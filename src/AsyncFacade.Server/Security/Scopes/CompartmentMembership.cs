using System.Net;
using System.Text.Json;
using AsyncFacade.Server.Export;
using AsyncFacade.Server.Upstream;
using AsyncFacade.Server.Upstream.Credentials;

namespace AsyncFacade.Server.Security.Scopes;

/// <summary>
/// Whether one resource lies within a restriction, asked of the upstream before a read, update, patch or delete by id is
/// forwarded: `T?_id={id}&amp;patient=Patient/{p}&amp;{filter}&amp;_count=1` under `Prefer: handling=strict`. The answer's entry must
/// be the resource itself. `_summary=count` would be cheaper but could not show that `_id` was applied; `_elements=id` is
/// added where the upstream lists it.
/// </summary>
internal static class CompartmentMembership
{
    /// <returns>Null when the resource is within <paramref name="parameters"/>; <see cref="ScopeRefusal.NotFound"/> when it is not
    /// (or does not exist: the two are not told apart); another refusal when the upstream cannot say.</returns>
    public static async Task<ScopeRefusal?> CheckAsync(UpstreamClient upstream, UpstreamCapabilities capabilities, string type, string id,
        IReadOnlyList<KeyValuePair<string, string>> parameters, string neededScope, CancellationToken cancellationToken)
    {
        if (!Import.ResourceId.IsValid(id))
        {
            return ScopeRefusal.NotFound(type, id);
        }
        var check = new List<KeyValuePair<string, string>>([new("_id", id), .. parameters, new("_count", "1")]);
        if (capabilities.SearchParameters.GetValueOrDefault(type)?.Contains("_elements") == true)
        {
            check.Add(new("_elements", "id"));
        }
        var url = type + NarrowedRequest.AddParameters("", check);
        HttpResponseMessage? response;
        try
        {
            response = await upstream.TryGetAsync(url, "handling=strict", cancellationToken);
        }
        catch (UpstreamAuthException ex)
        {
            return ScopeRefusal.Unavailable($"The upstream could not be asked whether {type}/{id} is within the token's access: {ex.Message}");
        }
        using (response)
        {
            if (response is null || (int)response.StatusCode >= 500 || response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                return ScopeRefusal.Unavailable($"The upstream could not be asked whether {type}/{id} is within the token's access" +
                    (response is null ? "" : $" (it answered {(int)response.StatusCode})") + "; try again later.");
            }
            if (!response.IsSuccessStatusCode)
            {
                return ScopeRefusal.Forbidden($"The upstream refused the search that checks whether {type}/{id} is within the token's access " +
                    $"({(int)response.StatusCode} to {url}), so the token's restriction cannot be enforced on it.", neededScope);
            }
            try
            {
                await using var body = await upstream.ReadBodyAsync(response, cancellationToken);
                using var bundle = await JsonDocument.ParseAsync(body, cancellationToken: cancellationToken);
                return Contains(bundle.RootElement, type, id) ? null : ScopeRefusal.NotFound(type, id);
            }
            catch (Exception ex) when (ex is JsonException or UpstreamBodyException or InvalidOperationException)
            {
                return ScopeRefusal.Unavailable($"The upstream's answer to the check of {type}/{id} could not be read; try again later.");
            }
        }
    }

    private static bool Contains(JsonElement bundle, string type, string id) =>
        bundle.TryGetProperty("entry", out var entries) && entries.ValueKind == JsonValueKind.Array && entries.EnumerateArray().Any(entry =>
            entry.TryGetProperty("resource", out var resource)
            && resource.TryGetProperty("resourceType", out var resourceType) && resourceType.ValueEquals(type)
            && resource.TryGetProperty("id", out var resourceId) && resourceId.ValueEquals(id)
            && (!entry.TryGetProperty("search", out var search) || !search.TryGetProperty("mode", out var mode) || mode.ValueEquals("match")));
}
