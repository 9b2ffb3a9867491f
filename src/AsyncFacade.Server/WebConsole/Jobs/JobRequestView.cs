namespace AsyncFacade.Server.WebConsole.Jobs;

/// <summary>The kick-off request as the job keeps it, with credentials redacted (<see cref="SecretRedaction"/>).</summary>
/// <param name="Url">Relative to <paramref name="FhirBase"/>.</param>
/// <param name="HasBody">The body was saved in the output store (it is not shown).</param>
/// <param name="Scope">The caller's SMART scopes when auth was on.</param>
public sealed record JobRequestView(string Method, string Url, string FhirBase, IReadOnlyDictionary<string, string> Headers, bool HasBody,
    string? CallbackUrl, string? Scope);
