using System.Text;
using System.Text.Json;
using AsyncFacade.SampleUpstream.Generation;

namespace AsyncFacade.SampleUpstream.Search;

/// <summary>
/// A token search value (R4 search.html#token): comma-separated alternatives, each `code`, `system|code`, `|code` (a
/// coding without system) or `system|` (any code of the system).
/// </summary>
internal sealed class TokenFilter
{
    private readonly List<(string? System, string? Code)> alternatives = [];

    private TokenFilter()
    {
    }

    /// <summary>Null when the value holds no token.</summary>
    public static TokenFilter? Parse(string value)
    {
        var filter = new TokenFilter();
        foreach (var part in value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var bar = part.IndexOf('|');
            filter.alternatives.Add(bar < 0 ? (null, part) : (part[..bar], part[(bar + 1)..] is { Length: > 0 } code ? code : null));
        }
        return filter.alternatives.Count == 0 ? null : filter;
    }

    public bool Matches(Coded coding) => Matches(Encoding.UTF8.GetString(coding.System), Encoding.UTF8.GetString(coding.Code));

    /// <summary>Whether a stored resource's <paramref name="element"/> (a CodeableConcept or an array of them) has a matching coding.</summary>
    public bool Matches(byte[] json, string element)
    {
        using var document = JsonDocument.Parse(json);
        if (!document.RootElement.TryGetProperty(element, out var value))
        {
            return false;
        }
        var concepts = value.ValueKind == JsonValueKind.Array ? value.EnumerateArray().ToList() : [value];
        foreach (var concept in concepts)
        {
            if (concept.ValueKind != JsonValueKind.Object || !concept.TryGetProperty("coding", out var codings) || codings.ValueKind != JsonValueKind.Array)
            {
                continue;
            }
            foreach (var coding in codings.EnumerateArray())
            {
                if (coding.ValueKind == JsonValueKind.Object && Matches(StringOf(coding, "system"), StringOf(coding, "code")))
                {
                    return true;
                }
            }
        }
        return false;
    }

    private bool Matches(string? system, string? code) =>
        alternatives.Exists(a => (a.Code is null || a.Code == code) && (a.System is null || (a.System.Length == 0 ? system is null : a.System == system)));

    private static string? StringOf(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
