using System.Text.Json;

namespace AsyncFacade.Server.Fhir;

/// <summary>
/// `Bundle.link` of a small, parsed Bundle (a count, a read-back page, a probe), read leniently: a link without a relation
/// or a url is skipped, never fatal. Export pages are read as bytes instead (<see cref="Export.BundleLinkReader"/>).
/// </summary>
internal static class BundleLinks
{
    /// <returns>The url of the first link with <paramref name="relation"/> (`next`, `self`), or null.</returns>
    public static string? Url(JsonElement bundle, string relation)
    {
        if (bundle.ValueKind != JsonValueKind.Object || !bundle.TryGetProperty("link", out var links) || links.ValueKind != JsonValueKind.Array)
        {
            return null;
        }
        foreach (var link in links.EnumerateArray())
        {
            if (link.ValueKind == JsonValueKind.Object && link.TryGetProperty("relation", out var r) && r.ValueKind == JsonValueKind.String && r.GetString() == relation
                && link.TryGetProperty("url", out var url) && url.ValueKind == JsonValueKind.String)
            {
                return url.GetString();
            }
        }
        return null;
    }
}
