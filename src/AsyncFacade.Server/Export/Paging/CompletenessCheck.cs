using AsyncFacade.Server.Upstream;
using Hl7.Fhir.Model;

namespace AsyncFacade.Server.Export.Paging;

/// <summary>
/// Before a unit's result goes into a manifest, each of its searches is counted by the upstream on the same query and
/// window (`_total=accurate` with `_count=0` where the CapabilityStatement advertises it, else `_summary=count`) and
/// compared with what was written: completeness is verified, never assumed. A count that cannot be had leaves the search
/// unverified (logged, not an error); fewer written than counted is an `incomplete` error line naming type, window and
/// both counts.
/// </summary>
internal sealed class CompletenessCheck(UpstreamClient upstream, ILogger<CompletenessCheck> logger)
{
    /// <summary>What the upstream counts for the search, or null when it cannot say.</summary>
    public async Task<long?> CountAsync(string search, UnitPaging paging, CancellationToken cancellationToken)
    {
        // `_total=accurate` first: it is the one most servers advertise; `_summary=count` where only that is, and also where
        // neither is: few servers list result parameters (Medplum, HAPI and Firely answer `_summary=count` unlisted), and a
        // count request that is refused costs one GET and leaves the search unverified, as no count would.
        foreach (var bySummary in new[] { false, true }.Where(s => s ? paging.CountBySummary || !paging.CountByTotal : paging.CountByTotal))
        {
            using var answer = await upstream.GetJsonAsync(SearchUrls.Count(search, bySummary), cancellationToken);
            if (answer.Json?.RootElement.TryGetProperty("total", out var total) == true && total.TryGetInt64(out var count) && count >= 0)
            {
                return count;
            }
        }
        return null;
    }

    /// <summary>
    /// Checks one finished (or stopped) search. Returns the error line for a shortfall, or null when the search is whole or
    /// cannot be verified.
    /// </summary>
    /// <param name="stopped">Why the search stopped early (a refused next link that could not be replaced), if it did.</param>
    /// <param name="planned">The count planning got for this very search and window, if any: reaching it needs no second count (the
    /// window is in the past; resources can only leave it), falling short of it is counted again (a deletion meanwhile is no loss).</param>
    public async Task<(string? Line, long Missing)> VerifyAsync(string exportId, string type, string search, UnitPaging? paging, long written, string? stopped,
        long? planned, CancellationToken cancellationToken)
    {
        if (stopped is null && written >= planned)
        {
            return (null, 0);
        }
        var expected = paging is not null ? await CountAsync(search, paging, cancellationToken) : null;
        var window = SearchUrls.Window(search);
        if (expected is null)
        {
            if (stopped is null)
            {
                ExportLog.Unverified(logger, exportId, type, window, written);
                return (null, 0);
            }
            ExportLog.Incomplete(logger, exportId, type, window, -1, written);
            return (ExportErrors.Line(type, OperationOutcome.IssueType.Incomplete,
                $"{type} ({window}) is incomplete: {written} resources were exported, then {stopped}, and the search could not be resumed; " +
                "the upstream cannot count it, so how many are missing is unknown."), 0);
        }
        if (written >= expected)
        {
            return (null, 0);
        }
        ExportLog.Incomplete(logger, exportId, type, window, expected.Value, written);
        var why = stopped is null ? "" : $" The search stopped: {stopped}.";
        return (ExportErrors.Line(type, OperationOutcome.IssueType.Incomplete,
            $"{type} ({window}) is incomplete: the upstream counts {expected} resources, {written} were exported ({expected - written} missing).{why}"),
            expected.Value - written);
    }
}
