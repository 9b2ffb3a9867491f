using System.Text;

namespace AsyncFacade.Server.Security.Scopes;

/// <summary>
/// One SMART resource scope: `{level}/{type|*}.{permissions}[?{query}]`. v1 permissions are `read`, `write` and `*`;
/// v2 ones are letters from `cruds` in that order, optionally followed by a search filter (SMART App Launch 2
/// §Finer-grained resource constraints using search parameters): `patient/Observation.rs?category=laboratory`.
/// </summary>
/// <param name="Query">The v2 search filter (`category=laboratory`), as written in the scope; null without one.</param>
public sealed record SmartScope(ScopeLevel Level, string Type, ScopePermissions Permissions, string? Query)
{
    /// <summary>
    /// Search parameters a filter may use besides the type's own (which start with a letter): the common ones that
    /// select resources. Result parameters (`_include`, `_count`, `_elements`…) shape an answer instead of narrowing
    /// it, so a filter naming one is not a restriction this server can enforce: such a scope grants nothing.
    /// </summary>
    private static readonly HashSet<string> FilterableCommonParameters =
        new(["_id", "_lastUpdated", "_tag", "_profile", "_security", "_source"], StringComparer.Ordinal);

    /// <summary>The scope, or null for one that grants no resource access (`openid`, `launch`, a malformed or unenforceable scope).</summary>
    public static SmartScope? TryParse(string text)
    {
        var slash = text.IndexOf('/');
        if (slash <= 0 || ParseLevel(text[..slash]) is not { } level)
        {
            return null;
        }
        var question = text.IndexOf('?', slash);
        var body = question < 0 ? text[(slash + 1)..] : text[(slash + 1)..question];
        var query = question < 0 ? null : text[(question + 1)..];
        var dot = body.LastIndexOf('.');
        if (dot <= 0 || dot == body.Length - 1)
        {
            return null;
        }
        var type = body[..dot];
        if (type != "*" && !Export.FhirResourceTypes.IsKnown(type))
        {
            return null;
        }
        var permissions = ParsePermissions(body[(dot + 1)..], out var v2);
        if (permissions == ScopePermissions.None || (query is not null && (!v2 || !IsEnforceableFilter(query))))
        {
            return null; // v1 scopes carry no filter; an unusable filter must not widen into the whole type
        }
        return new SmartScope(level, type, permissions, query);
    }

    /// <summary>The v2 form of a scope that would grant <paramref name="permissions"/> on <paramref name="type"/> (`system/Observation.rs`).</summary>
    public static string Describe(ScopeLevel level, string type, ScopePermissions permissions)
    {
        var text = new StringBuilder(level.ToString().ToLowerInvariant()).Append('/').Append(type).Append('.');
        foreach (var (letter, permission) in Letters)
        {
            if (permissions.HasFlag(permission))
            {
                text.Append(letter);
            }
        }
        return text.ToString();
    }

    public override string ToString() => Describe(Level, Type, Permissions) + (Query is null ? "" : "?" + Query);

    private static readonly (char Letter, ScopePermissions Permission)[] Letters =
        [('c', ScopePermissions.Create), ('r', ScopePermissions.Read), ('u', ScopePermissions.Update), ('d', ScopePermissions.Delete), ('s', ScopePermissions.Search)];

    private static ScopeLevel? ParseLevel(string text) => text switch
    {
        "system" => ScopeLevel.System,
        "user" => ScopeLevel.User,
        "patient" => ScopeLevel.Patient,
        _ => null,
    };

    private static ScopePermissions ParsePermissions(string text, out bool v2)
    {
        v2 = false;
        switch (text)
        {
            case "read":
                return ScopePermissions.ReadAndSearch;
            case "write":
                return ScopePermissions.Write;
            case "*":
                return ScopePermissions.All;
        }
        // v2: each letter at most once and in the order c, r, u, d, s (SMART App Launch 2 §Scopes for requesting clinical data).
        var permissions = ScopePermissions.None;
        var next = 0;
        foreach (var c in text)
        {
            var index = Array.FindIndex(Letters, next, l => l.Letter == c);
            if (index < 0)
            {
                return ScopePermissions.None;
            }
            permissions |= Letters[index].Permission;
            next = index + 1;
        }
        v2 = true;
        return permissions;
    }

    /// <summary>`name=value(&amp;name=value)*`, each name a search parameter that selects resources.</summary>
    private static bool IsEnforceableFilter(string query)
    {
        if (query.Length == 0)
        {
            return false;
        }
        foreach (var pair in query.Split('&'))
        {
            var equals = pair.IndexOf('=');
            if (equals <= 0 || equals == pair.Length - 1)
            {
                return false;
            }
            var name = pair[..equals].Split(':')[0];
            if (name.Length == 0 || (name[0] == '_' ? !FilterableCommonParameters.Contains(name) : !char.IsAsciiLetter(name[0])))
            {
                return false;
            }
        }
        return true;
    }
}
