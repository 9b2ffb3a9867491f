using AsyncFacade.Server.Export.Paging;

namespace AsyncFacade.Server.Export;

/// <summary>
/// How far a unit got: which of its searches and where in it (the pager's cursor), the files already committed, the open
/// file with the lines and bytes it held at the last checkpoint (anything after that is cut away), and the error lines so
/// far (a resumed unit must still report what the interrupted run could not export). A finished unit's result too.
/// </summary>
/// <param name="Cursor">Where the current search stands; null: at its first page.</param>
/// <param name="Blocks">Patient blocks of the page at <paramref name="Cursor"/> already written (organizeOutputBy=Patient).</param>
/// <param name="Missing">Resources the upstream counts that the unit could not export (its `incomplete` error lines say where).</param>
public sealed record TypeCheckpoint(int Search, SearchCursor? Cursor, IReadOnlyList<ExportFile> Files, ExportFile? Open, bool Done,
    IReadOnlyList<string>? Errors = null, int Blocks = 0, long Missing = 0)
{
    public static readonly TypeCheckpoint Start = new(0, null, [], null, false);

    /// <summary>
    /// The next link of a checkpoint saved before the pager had a cursor (read, never written): a unit interrupted across
    /// an upgrade resumes where it was instead of starting its search again over a file that already holds its first pages.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public string? Next { get; init; }

    /// <summary>Resources in its files, the open one included.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public long Resources => Files.Sum(f => f.Count) + (Open?.Count ?? 0);
}
