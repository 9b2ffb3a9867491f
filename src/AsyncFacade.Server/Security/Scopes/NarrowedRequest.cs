using System.Text;
using Microsoft.AspNetCore.WebUtilities;

namespace AsyncFacade.Server.Security.Scopes;

/// <summary>
/// Changes a request in place before it is forwarded or kept in a job, so the pass-through and the async kick-off both
/// send the narrowed form: restriction parameters added to the query, `Prefer: handling=strict`.
/// </summary>
internal static class NarrowedRequest
{
    /// <summary>
    /// Result parameters that add resources to an answer beyond the ones that match (R4 search.html#include, #contained):
    /// the added ones are not narrowed by the restriction parameters, so a restricted search may not use them. `_query`
    /// too: a named query is the server's own search, which may not apply the other parameters at all. Compared ignoring
    /// case, in case the upstream does.
    /// </summary>
    private static readonly string[] Widening = ["_include", "_revinclude", "_contained", "_containedType", "_query"];

    /// <summary>The first widening parameter of the query or of a form-encoded `_search` body; null without one.</summary>
    public static async Task<string?> WideningParameterAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (FirstWidening(request.Query.Keys) is { } inQuery)
        {
            return inQuery;
        }
        if (!HttpMethods.IsPost(request.Method) || !request.HasFormContentType)
        {
            return null;
        }
        // Buffered, read, then rewound: the forwarder and the async kick-off send the same body on.
        request.EnableBuffering();
        var form = await request.ReadFormAsync(cancellationToken);
        request.Body.Position = 0;
        return FirstWidening(form.Keys);
    }

    /// <summary>Adds <paramref name="parameters"/> to the query string, leaving out those it has already (a next link followed through the facade carries them).</summary>
    public static void AddParameters(HttpRequest request, IEnumerable<KeyValuePair<string, string>> parameters) =>
        request.QueryString = new QueryString(AddParameters(request.QueryString.Value, parameters));

    /// <summary>The query (with or without its leading `?`) with <paramref name="parameters"/> added, as a `?…` string; for the query string and `If-None-Exist`.</summary>
    public static string AddParameters(string? query, IEnumerable<KeyValuePair<string, string>> parameters)
    {
        var text = (query ?? "").TrimStart('?');
        var existing = QueryHelpers.ParseQuery(text);
        var builder = new StringBuilder(text);
        foreach (var (name, value) in parameters)
        {
            if (existing.TryGetValue(name, out var values) && values.Contains(value))
            {
                continue;
            }
            builder.Append(builder.Length == 0 ? "" : "&").Append(Uri.EscapeDataString(name)).Append('=').Append(Uri.EscapeDataString(value));
        }
        return builder.Length == 0 ? "" : "?" + builder;
    }

    /// <summary>
    /// `Prefer: handling=strict` (R4 search.html#errors) in place of whatever handling the client asked for, so an upstream
    /// that knows the preference refuses a parameter it cannot apply instead of quietly ignoring it. Other preferences
    /// (respond-async, return=…) are kept in their order.
    /// </summary>
    public static void PreferStrictHandling(HttpRequest request)
    {
        var kept = request.Headers["Prefer"].SelectMany(value => SplitPreferences(value ?? ""))
            .Where(p => !p.Split(['=', ';'], 2)[0].Trim().Equals("handling", StringComparison.OrdinalIgnoreCase));
        request.Headers["Prefer"] = string.Join(", ", new[] { "handling=strict" }.Concat(kept));
    }

    private static string? FirstWidening(IEnumerable<string> names) =>
        names.FirstOrDefault(name => Widening.Contains(name.Split(':')[0], StringComparer.OrdinalIgnoreCase));

    /// <summary>RFC 7240 preferences of one header value, split at commas outside quoted strings.</summary>
    private static IEnumerable<string> SplitPreferences(string header)
    {
        var start = 0;
        var quoted = false;
        for (var i = 0; i <= header.Length; i++)
        {
            if (i < header.Length && header[i] == '"')
            {
                quoted = !quoted;
            }
            if (i == header.Length || (header[i] == ',' && !quoted))
            {
                if (header[start..i].Trim() is { Length: > 0 } preference)
                {
                    yield return preference;
                }
                start = i + 1;
            }
        }
    }
}
