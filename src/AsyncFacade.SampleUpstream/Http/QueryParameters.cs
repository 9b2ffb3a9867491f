using System.Text;
using Microsoft.Extensions.Primitives;

namespace AsyncFacade.SampleUpstream.Http;

/// <summary>
/// Search parameters from a query string or a form body, flattened in arrival order, plus the parts every
/// paged operation shares: <c>_count</c>, <c>_cursor</c>, strict handling and building self/next links.
/// </summary>
internal sealed class QueryParameters
{
    /// <summary>Parameters accepted and ignored everywhere (formatting hints a JSON-only server can skip).</summary>
    private static readonly HashSet<string> Ignored = new(StringComparer.Ordinal) { "_format", "_pretty" };

    private QueryParameters(List<KeyValuePair<string, string>> items, bool strict)
    {
        Items = items;
        Strict = strict;
    }

    public IReadOnlyList<KeyValuePair<string, string>> Items { get; }

    /// <summary><c>Prefer: handling=strict</c>: unknown parameters are errors instead of being ignored.</summary>
    public bool Strict { get; }

    public string? Cursor { get; private set; }

    public static QueryParameters From(IEnumerable<KeyValuePair<string, StringValues>> source, bool strict)
    {
        var items = new List<KeyValuePair<string, string>>();
        foreach (var (name, values) in source)
        {
            foreach (var value in values)
            {
                items.Add(new(name, value ?? string.Empty));
            }
        }
        return new QueryParameters(items, strict);
    }

    public static bool IsStrict(HttpRequest request)
    {
        foreach (var prefer in request.Headers["Prefer"])
        {
            if (prefer?.Contains("handling=strict", StringComparison.OrdinalIgnoreCase) == true)
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>
    /// Reads the shared parameters and hands every other one to <paramref name="handle"/>, which returns false
    /// for names it does not know. Returns the first error.
    /// </summary>
    public FhirError? Parse(int defaultCount, int maxCount, out int count, Func<string, string, (bool Known, FhirError? Error)> handle)
    {
        count = defaultCount;
        foreach (var (name, value) in Items)
        {
            switch (name)
            {
                case "_count":
                    if (!int.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var parsed))
                    {
                        return FhirError.Invalid($"_count must be a non-negative integer, not '{value}'.");
                    }
                    // Silently capped like production servers do; clients must follow next links, not trust _count.
                    count = Math.Min(parsed, maxCount);
                    break;
                case "_cursor":
                    Cursor = value;
                    break;
                default:
                    if (Ignored.Contains(name))
                    {
                        break;
                    }
                    var (known, error) = handle(name, value);
                    if (error is not null)
                    {
                        return error;
                    }
                    if (!known && Strict)
                    {
                        return FhirError.NotSupported($"Unknown search parameter '{name}' (Prefer: handling=strict).");
                    }
                    break;
            }
        }
        return null;
    }

    /// <summary>
    /// Parameters that say where a page starts rather than what matches, in every link style (see
    /// <see cref="Profiles.PagingLinkStyle"/>): links drop the request's own and append the next page's.
    /// </summary>
    public static readonly IReadOnlySet<string> PagingNames = new HashSet<string>(StringComparer.Ordinal)
    {
        "_cursor", "ct", "_offset", "_skip", "_page", "_getpages", "_getpagesoffset", "_bundletype",
    };

    /// <summary>An absolute URL for <paramref name="path"/> with every parameter except paging ones, then the given cursor.</summary>
    public string Link(string baseUrl, string path, string? cursor) => Link(baseUrl, path, "_cursor", cursor);

    /// <summary>
    /// An absolute URL for <paramref name="path"/>: <paramref name="first"/> (when given), every parameter of the request
    /// except the paging ones (<see cref="PagingNames"/>) in arrival order, then <paramref name="pagingName"/>=<paramref name="pagingValue"/>.
    /// </summary>
    public string Link(string baseUrl, string path, string pagingName, string? pagingValue, KeyValuePair<string, string>? first = null)
    {
        var builder = new StringBuilder(baseUrl.Length + path.Length + 64).Append(baseUrl).Append('/').Append(path);
        var separator = '?';
        if (first is { } leading)
        {
            builder.Append(separator).Append(Uri.EscapeDataString(leading.Key)).Append('=').Append(Uri.EscapeDataString(leading.Value));
            separator = '&';
        }
        foreach (var (name, value) in Items)
        {
            if (PagingNames.Contains(name) || (first is { } skip && name == skip.Key))
            {
                continue;
            }
            builder.Append(separator).Append(Uri.EscapeDataString(name)).Append('=').Append(Uri.EscapeDataString(value));
            separator = '&';
        }
        if (pagingValue is not null)
        {
            builder.Append(separator).Append(pagingName).Append('=').Append(Uri.EscapeDataString(pagingValue));
        }
        return builder.ToString();
    }

    /// <summary>The value of the last <paramref name="name"/> parameter, or null.</summary>
    public string? Last(string name)
    {
        string? found = null;
        foreach (var (key, value) in Items)
        {
            if (key == name)
            {
                found = value;
            }
        }
        return found;
    }
}
