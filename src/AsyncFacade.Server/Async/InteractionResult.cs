namespace AsyncFacade.Server.Async;

/// <summary>
/// What an async interaction produced, stored as the job's result: the upstream's status, the headers that
/// matter (already rewritten to the facade's base) and where its body was saved.
/// </summary>
public sealed record InteractionResult(int Status, IReadOnlyDictionary<string, string> Headers, string? BodyKey, long BodyLength, bool BodyIsJson)
{
    /// <summary>Headers kept from the upstream answer: enough to replay it and to fill Bundle.entry.response.</summary>
    public static readonly string[] KeptHeaders = ["Content-Type", "Location", "Content-Location", "ETag", "Last-Modified"];

    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;
}
