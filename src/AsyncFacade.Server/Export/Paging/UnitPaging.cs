namespace AsyncFacade.Server.Export.Paging;

/// <summary>
/// How a unit pages and verifies its searches, chosen at planning from the upstream's CapabilityStatement (real servers
/// answer unknown parameters with 400, so nothing is sent that is not advertised).
/// </summary>
/// <param name="Sort">Ask `_sort=_lastUpdated`: servers then page by cursor (Medplum drops its offset cap), and a refused or
/// expired next link can be replaced by a `_lastUpdated` bound without loss or duplicates.</param>
/// <param name="SortAdvertised">The CapabilityStatement lists `_sort` (R4 asks servers to list control parameters such as
/// `_sort` in searchParam; few do). Not listed, `_sort` is still tried, because HAPI, Medplum, the Microsoft server and
/// Firely all take `_sort=_lastUpdated` without listing it, but a first page refused with it is asked again without it.</param>
/// <param name="CountByTotal">`_total=accurate` with `_count=0` counts the search.</param>
/// <param name="CountBySummary">`_summary=count` counts the search (advertised; it is also tried when nothing is).</param>
public sealed record UnitPaging(bool Sort, bool SortAdvertised, bool CountByTotal, bool CountBySummary)
{
    /// <summary>
    /// The `Prefer` header of every page request: `handling=strict|lenient` for a unit whose searches carry a `_typeFilter`,
    /// so the upstream applies the client's choice (strict: refuse what it cannot apply) to every page, not only at kick-off.
    /// </summary>
    public string? Prefer { get; init; }
}
