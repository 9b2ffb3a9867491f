namespace AsyncFacade.Tests.Docs;

/// <summary>One shell example of a doc page (see <see cref="MarkdownExamples"/> for the markers).</summary>
/// <param name="Page">The page's path from the repository root, with forward slashes (<c>docs/export.md</c>).</param>
/// <param name="Line">The line of its opening fence (1-based).</param>
/// <param name="Code">The block's text, without the fences and the fence's indentation.</param>
/// <param name="SkipReason">Set by <c>skip "reason"</c>: the block is not run.</param>
/// <param name="Server">Extra environment variables of the server the block runs against (empty: the default server).</param>
/// <param name="AllowHttpErrors">Set by <c>allow-http-errors</c>: curl may get answers of 400 and above.</param>
public sealed record DocExample(
    string Page,
    int Line,
    string Code,
    string? SkipReason,
    IReadOnlyDictionary<string, string> Server,
    bool AllowHttpErrors)
{
    /// <summary>Blocks with the same key run against one server.</summary>
    public string ServerKey => string.Join(' ', Server.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => p.Key + "=" + p.Value));

    public string Location => Page + ":" + Line;
}
