namespace AsyncFacade.Server.Export;

/// <summary>
/// How far one type's export got: which of its searches and which page comes next, the files already committed,
/// and the open file with the lines and bytes it held at the last checkpoint (anything after that is cut away).
/// </summary>
public sealed record TypeCheckpoint(int Search, string? Next, IReadOnlyList<ExportFile> Files, ExportFile? Open, bool Done)
{
    public static readonly TypeCheckpoint Start = new(0, null, [], null, false);
}
