namespace AsyncFacade.Client;

/// <summary>
/// Any FHIR interaction to run asynchronously: a method, a URL relative to the FHIR base (or absolute), an optional body.
/// The body is kept in memory because a kick-off may be sent again (after a 429 or an expired token); kick-off bodies are small.
/// </summary>
public sealed record AsyncRequest(HttpMethod Method, string Url)
{
    public ReadOnlyMemory<byte>? Body { get; init; }

    public string ContentType { get; init; } = "application/fhir+json";

    /// <summary>`async-mode` token (`bundle`, `redirect`); null: the server's default.</summary>
    public string? AsyncMode { get; init; }

    /// <summary>Accept header; Bulk Data kick-offs need `application/fhir+json`.</summary>
    public string Accept { get; init; } = "application/fhir+json";

    /// <summary>Extra request headers (e.g. `X-Simulate` on a reference test server).</summary>
    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();

    public static AsyncRequest Get(string url) => new(HttpMethod.Get, url);
}
