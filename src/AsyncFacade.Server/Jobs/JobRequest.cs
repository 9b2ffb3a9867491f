namespace AsyncFacade.Server.Jobs;

/// <summary>
/// The kick-off request as the job needs it again: method, URL relative to the FHIR base, the headers that
/// matter and, for large bodies, the output-store key where the body was saved (never the body itself).
/// </summary>
public sealed record JobRequest(string Method, string Url, IReadOnlyDictionary<string, string> Headers, string? BodyKey = null)
{
    /// <summary>The caller's SMART claims when auth is on; null when it is off (everything is allowed).</summary>
    public CallerScopes? Scopes { get; init; }

    public static readonly IReadOnlyDictionary<string, string> NoHeaders = new Dictionary<string, string>();
}
