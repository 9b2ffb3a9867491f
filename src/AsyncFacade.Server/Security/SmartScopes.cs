namespace AsyncFacade.Server.Security;

/// <summary>
/// The access a token's SMART scopes grant, per resource type: v1 (`system/Patient.read`, `system/*.write`,
/// `system/*.*`) and v2 (`system/Observation.rs`, `system/*.cruds`). `user/` and `patient/` scopes count like
/// `system/` ones here: a backend service has no user, and patient context is not enforced by the facade.
/// </summary>
public sealed class SmartScopes
{
    private readonly List<(string Type, bool Read, bool Write)> grants = [];

    private SmartScopes()
    {
    }

    public static SmartScopes Parse(string? scope)
    {
        var scopes = new SmartScopes();
        foreach (var item in (scope ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var slash = item.IndexOf('/');
            var dot = item.LastIndexOf('.');
            if (slash <= 0 || dot <= slash + 1 || item[..slash] is not ("system" or "user" or "patient"))
            {
                continue; // openid, launch, fhirUser…: no resource access
            }
            var type = item[(slash + 1)..dot];
            var permission = item[(dot + 1)..].Split('?')[0];
            var (read, write) = permission switch
            {
                "read" => (true, false),
                "write" => (false, true),
                "*" => (true, true),
                _ when permission.Length > 0 && permission.All(c => "cruds".Contains(c)) =>
                    (permission.Contains('r') || permission.Contains('s'), permission.Contains('c') || permission.Contains('u') || permission.Contains('d')),
                _ => (false, false),
            };
            scopes.grants.Add((type, read, write));
        }
        return scopes;
    }

    public bool CanRead(string type) => grants.Any(g => g.Read && (g.Type == "*" || g.Type == type));

    /// <summary>The types named in read scopes (a `*` scope is not listed: check <c>CanRead("*")</c>).</summary>
    public IReadOnlyList<string> ReadableTypes => [.. grants.Where(g => g.Read && g.Type != "*").Select(g => g.Type).Distinct().Order(StringComparer.Ordinal)];

    public bool CanWrite(string type) => grants.Any(g => g.Write && (g.Type == "*" || g.Type == type));
}
