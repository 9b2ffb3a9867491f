using System.Text.Json;
using AsyncFacade.Server.Jobs;
using AsyncFacade.Server.Storage;
using AsyncFacade.Server.Upstream;
using Microsoft.Extensions.Options;

namespace AsyncFacade.Server.Export;

/// <summary>
/// Runs one unit of an export: pages its searches and copies every matching entry as raw JSON into rolling NDJSON
/// files under the parent export, saving a checkpoint after every page. A failing page ends the unit with an error
/// line (what came before it stays exported); the rest of the export goes on. The result is the final checkpoint.
/// </summary>
internal sealed class ExportUnitHandler(UpstreamClient upstream, IOutputStore output, IOptions<ExportOptions> options, ILogger<ExportUnitHandler> logger)
    : IJobHandler
{
    public async Task<string?> RunAsync(JobContext context, CancellationToken cancellationToken)
    {
        var (unit, start) = JsonSerializer.Deserialize<ExportUnitCheckpoint>(context.Checkpoint!)!;
        // The ids an overlapping unit has seen are not checkpointed: it resumes from its start, never with duplicates.
        if (unit.DropDuplicates && !start.Done)
        {
            start = TypeCheckpoint.Start;
        }
        TypeCheckpoint end;
        try
        {
            end = await ExportFromAsync(context, unit, start, cancellationToken);
        }
        catch (ExportRestartException)
        {
            // Its files are written again under the same names, replacing what is left of them.
            end = await ExportFromAsync(context, unit, TypeCheckpoint.Start, cancellationToken);
        }
        return JsonSerializer.Serialize(end);
    }

    private async Task<TypeCheckpoint> ExportFromAsync(JobContext context, ExportUnit unit, TypeCheckpoint start, CancellationToken cancellationToken)
    {
        if (start.Done)
        {
            return start;
        }
        var exportId = context.Job.ParentId!;
        var errors = new List<string>(start.Errors ?? []);
        var searches = unit.Searches;
        await using var file = new RollingNdjsonFile(output, exportId, unit.Type, unit.FileStem, options.Value.MaxResourcesPerFile, start,
            ElementsFilter.For(unit.Type, unit.Elements), unit.DropDuplicates);
        Task SaveAsync(TypeCheckpoint position) => SaveCheckpointAsync(context, unit, position, cancellationToken);

        for (var search = start.Search; search < searches.Count; search++)
        {
            for (var next = search == start.Search && start.Next is not null ? start.Next : searches[search]; next is not null;)
            {
                var url = next;
                var page = await CopyPageAsync(url, file, cancellationToken);
                if (page.Reason is { } reason)
                {
                    ExportLog.TypeFailed(logger, exportId, unit.Type, url, reason);
                    errors.Add(ExportErrors.Line(unit.Type, $"Exporting {unit.Type} stopped at {url}: {reason}. Resources before that point were exported."));
                    break;
                }
                next = page.Next;
                // After the page is flushed: a crash from here on resumes at `next` and cuts the file back to this length.
                await SaveAsync(new TypeCheckpoint(search, next, file.Committed, file.Open, false, errors));
            }
            await SaveAsync(new TypeCheckpoint(search + 1, null, file.Committed, file.Open, false, errors));
        }
        var done = new TypeCheckpoint(searches.Count, null, await file.CompleteAsync(cancellationToken), null, true, errors);
        await SaveAsync(done);
        return done;
    }

    /// <returns>The next page's URL, or why the unit cannot go on.</returns>
    private async Task<(string? Next, string? Reason)> CopyPageAsync(string url, RollingNdjsonFile file, CancellationToken cancellationToken)
    {
        using var response = await upstream.TryGetAsync(url, cancellationToken);
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
            await using var page = await response.Content.ReadAsStreamAsync(cancellationToken);
            var result = await file.WritePageAsync(page, cancellationToken);
            return (RelativeToUpstream(result.NextUrl), null);
        }
        catch (BundlePageException ex)
        {
            return (null, ex.Message);
        }
    }

    private static async Task SaveCheckpointAsync(JobContext context, ExportUnit unit, TypeCheckpoint position, CancellationToken cancellationToken)
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
    private string? RelativeToUpstream(string? url) =>
        url is not null && url.StartsWith(upstream.BaseUrl + "/", StringComparison.Ordinal) ? url[(upstream.BaseUrl.Length + 1)..] : url;
}
