using System.Text.Json.Serialization;

namespace AsyncFacade.Server.Export.Paging;

/// <summary>
/// Where a search stands, saved in the unit's checkpoint after every page so a restart resumes there: the server's next
/// link as given (offset, `_cursor`, `ct` token, `_getpages` id or an odd path: never rebuilt), or, when the server
/// refused or forgot its link, a "resume from `_lastUpdated` ≥ LastMs" bound with the ids already written in that last
/// millisecond. The bound needs a search the server sorts by `_lastUpdated`; <see cref="Sorted"/> says whether every page
/// so far came that way (checked entry by entry, not trusted).
/// </summary>
/// <param name="Next">The next link (relative to the upstream base when under it) in <see cref="CursorMode.Link"/> and <see cref="CursorMode.Instant"/>.</param>
/// <param name="LastMs">`meta.lastUpdated` of the last entry written, in whole Unix milliseconds; null before the first or when unsorted.</param>
/// <param name="AtLast">Ids written at <paramref name="LastMs"/> (a re-issued query returns them again; they are left out).</param>
/// <param name="Written">Resources written by this search so far (the completeness check compares it with the upstream's count).</param>
/// <param name="Recoveries">Times a refused next link was replaced by a bounded query.</param>
/// <param name="WrittenAtRecovery">Written when it last recovered; with <paramref name="LastMsAtRecovery"/>: a recovery that got
/// nowhere since the one before (nothing written, no millisecond passed) does not try again, so it cannot loop.</param>
/// <param name="SortRefused">The first page was refused with `_sort=_lastUpdated` (not advertised): the search goes on unsorted.</param>
public sealed record SearchCursor(
    [property: JsonConverter(typeof(JsonStringEnumConverter<CursorMode>))] CursorMode Mode,
    string? Next = null, long? LastMs = null, IReadOnlyList<string>? AtLast = null, bool Sorted = false, long Written = 0,
    int Recoveries = 0, long WrittenAtRecovery = -1, long? LastMsAtRecovery = null, bool SortRefused = false)
{
    public static readonly SearchCursor First = new(CursorMode.First);

    [JsonIgnore]
    public bool IsEnd => Mode == CursorMode.End;
}
