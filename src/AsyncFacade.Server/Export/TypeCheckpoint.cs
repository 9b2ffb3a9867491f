namespace AsyncFacade.Server.Export;

/// <summary>
/// How far one type's export got: which of its searches and which page comes next, the files already committed,
/// the open file with the lines and bytes it held at the last checkpoint (anything after that is cut away), and
/// the error lines so far (a resumed export must still report what the interrupted run could not export).
/// </summary>
public sealed record TypeCheckpoint(int Search, string? Next, IReadOnlyList<ExportFile> Files, ExportFile? Open, bool Done,
    IReadOnlyList<string>? Errors = null)
{
    public static readonly TypeCheckpoint Start = new(0, null, [], null, false);
}
