namespace AsyncFacade.Server.Security.Issuer;

/// <summary>
/// Which requested scopes a client may have. A requested scope is granted as written when one allowed scope covers
/// it: the same context (`system/`), the same resource type or `*`, and permissions that include the requested ones.
/// SMART v1 `read`/`write`/`*` and v2 `cruds` letters are compared through their v2 meaning (read = rs,
/// write = cud, * = cruds, SMART App Launch 2.0 §scopes). Anything else (a query suffix `?…`, `openid`, unknown
/// forms) is an opaque string granted only on exact match.
/// </summary>
internal static class AuthIssuerScopes
{
    private const string V2Order = "cruds";

    public static IReadOnlyList<string> Split(string? scopes) =>
        (scopes ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct(StringComparer.Ordinal).ToArray();

    public static IReadOnlyList<string> Grant(IEnumerable<string> requested, IReadOnlyList<string> allowed) =>
        requested.Where(r => allowed.Any(a => Covers(a, r))).ToArray();

    public static bool Covers(string allowed, string requested)
    {
        if (string.Equals(allowed, requested, StringComparison.Ordinal))
        {
            return true;
        }
        if (Parse(allowed) is not { } a || Parse(requested) is not { } r)
        {
            return false;
        }
        return a.Context == r.Context
            && (a.Resource == "*" || a.Resource == r.Resource)
            && r.Permissions.All(a.Permissions.Contains);
    }

    private static ParsedScope? Parse(string scope)
    {
        var slash = scope.IndexOf('/');
        var dot = scope.LastIndexOf('.');
        if (slash <= 0 || dot <= slash + 1 || dot == scope.Length - 1 || scope.Contains('?'))
        {
            return null;
        }
        var permissions = Permissions(scope[(dot + 1)..]);
        return permissions is null ? null : new ParsedScope(scope[..slash], scope[(slash + 1)..dot], permissions);
    }

    /// <summary>The v2 letters a permission part stands for, or null when it is neither v1 nor well-formed v2.</summary>
    private static string? Permissions(string part) => part switch
    {
        "read" => "rs",
        "write" => "cud",
        "*" => V2Order,
        _ when IsV2(part) => part,
        _ => null,
    };

    // v2 letters appear at most once and in the order c, r, u, d, s.
    private static bool IsV2(string part)
    {
        var last = -1;
        foreach (var letter in part)
        {
            var position = V2Order.IndexOf(letter);
            if (position <= last)
            {
                return false;
            }
            last = position;
        }
        return true;
    }

    private sealed record ParsedScope(string Context, string Resource, string Permissions);
}
