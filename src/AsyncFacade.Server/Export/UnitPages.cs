using System.Text.Json;
using AsyncFacade.Server.Jobs;
using AsyncFacade.Server.Upstream;

namespace AsyncFacade.Server.Export;

/// <summary>What every export unit does with a page: copy it into its file, checkpoint, report a search that stopped.</summary>
internal static class UnitPages
{
    /// <summary>The error line for a search that stopped (logged too).</summary>
    public static string Failed(ILogger logger, string exportId, string type, string url, string reason)
    {
        ExportLog.TypeFailed(logger, exportId, type, url, reason);
        return ExportErrors.Line(type, Hl7.Fhir.Model.OperationOutcome.IssueType.Transient, $"Exporting {type} stopped at {url}: {reason}. Resources before that point were exported.");
    }

    /// <summary>
    /// Copies one upstream page into the file. A page cut off or garbled on its way is fetched again within the
    /// upstream retry budget: nothing of it was written (the copier validates a whole page before writing).
    /// </summary>
    /// <returns>The next page's URL (relative to the upstream base when under it), or why the search cannot go on.</returns>
    public static async Task<(string? Next, string? Reason)> CopyAsync(UpstreamClient upstream, string url, RollingNdjsonFile file,
        CancellationToken cancellationToken, string? pageType = null, bool roll = true)
    {
        var budget = upstream.NewRetryBudget();
        while (true)
        {
            string failure;
            using (var response = await upstream.TryGetAsync(url, cancellationToken))
            {
                if (response is null)
                {
                    return (null, "the upstream could not be reached");
                }
                if (!response.IsSuccessStatusCode)
                {
                    return (null, $"the upstream answered {(int)response.StatusCode} {response.ReasonPhrase}");
                }
                try
                {
                    await using var page = await upstream.ReadBodyAsync(response, cancellationToken);
                    var result = await file.WritePageAsync(page, cancellationToken, pageType, roll);
                    return (RelativeToUpstream(upstream, result.NextUrl), null);
                }
                catch (BundlePageException ex) when (ex.Transient)
                {
                    failure = ex.Message;
                }
                catch (BundlePageException ex)
                {
                    return (null, ex.Message);
                }
            }
            if (!await budget.WaitAsync(null, upstream.Time, cancellationToken))
            {
                return (null, $"{failure} It was still failing after {budget.Retries} retries");
            }
        }
    }

    public static async Task SaveCheckpointAsync(JobContext context, ExportUnit unit, TypeCheckpoint position, CancellationToken cancellationToken)
    {
        if (!await context.SaveCheckpointAsync(JsonSerializer.Serialize(new ExportUnitCheckpoint(unit, position)), cancellationToken))
        {
            // Cancelled or taken over: stop writing; whoever holds the unit now owns its files.
            throw new OperationCanceledException("This run no longer holds the export unit.");
        }
    }

    /// <summary>
    /// Next links under the upstream's base are kept relative to it: a resumed run (perhaps on another node, or with
    /// the embedded upstream on a new port) resolves them against the base it has now.
    /// </summary>
    public static string? RelativeToUpstream(UpstreamClient upstream, string? url) =>
        url is not null && url.StartsWith(upstream.BaseUrl + "/", StringComparison.Ordinal) ? url[(upstream.BaseUrl.Length + 1)..] : url;
}
