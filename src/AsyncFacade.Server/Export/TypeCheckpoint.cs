namespace AsyncFacade.Server.Export;

/// <summary>
/// How far a unit got: which of its searches and which page comes next, the files already committed, the open file
/// with the lines and bytes it held at the last checkpoint (anything after that is cut away), and the error lines so
/// far (a resumed unit must still report what the interrupted run could not export). A finished unit's result too.
/// </summary>
/// <param name="Blocks">Patient blocks of the page at <paramref name="Next"/> already written (organizeOutputBy=Patient).</param>
public sealed record TypeCheckpoint(int Search, string? Next, IReadOnlyList<ExportFile> Files, ExportFile? Open, bool Done,
    IReadOnlyList<string>? Errors = null, int Blocks = 0)
{
    public static readonly TypeCheckpoint Start = new(0, null, [], null, false);

    /// <summary>Resources in its files, the open one included.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public long Resources => Files.Sum(f => f.Count) + (Open?.Count ?? 0);
}
