using System.Text.Json;
using AsyncFacade.Server.Jobs;
using AsyncFacade.Server.Storage;
using AsyncFacade.Server.Telemetry;
using AsyncFacade.Server.Export.Paging;
using Microsoft.Extensions.Options;

namespace AsyncFacade.Server.Export;

/// <summary>
/// Runs one unit of an export: pages its searches (through <see cref="SearchPager"/>) and copies every matching entry as
/// raw JSON into rolling NDJSON files under the parent export, saving a checkpoint after every page. Each search is then
/// counted by the upstream and compared with what was written (<see cref="CompletenessCheck"/>). A search that fails
/// ends with an error line whose code says whether retrying may help (what came before it stays exported); the rest of
/// the export goes on. The result is the final checkpoint.
/// </summary>
internal sealed class ExportUnitHandler(SearchPager pager, CompletenessCheck completeness, IOutputStore output, PatientBlockWriter blocks,
    IOptions<ExportOptions> options, FacadeMetrics metrics, TimeProvider time, ILogger<ExportUnitHandler> logger)
    : IJobHandler
{
    public async Task<string?> RunAsync(JobContext context, CancellationToken cancellationToken)
    {
        var (unit, start) = JsonSerializer.Deserialize<ExportUnitCheckpoint>(context.Checkpoint!)!;
        using var activity = FacadeTelemetry.StartExportUnit(unit);
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
        // Counted once per unit, at its end: a unit interrupted and resumed is not counted twice.
        var resources = end.Files.Sum(f => f.Count);
        metrics.ResourcesExported(resources, unit.Type);
        activity?.SetTag("asyncfacade.export.resources", resources);
        return JsonSerializer.Serialize(end);
    }

    /// <summary>The cursor of a checkpoint saved before the pager: its next link; with one search, all its files are that search's.</summary>
    private static SearchCursor Legacy(TypeCheckpoint start, int searches) =>
        start.Next is { } next ? new SearchCursor(CursorMode.Link, next, Written: searches == 1 ? start.Resources : 0) : SearchCursor.First;

    private async Task<TypeCheckpoint> ExportFromAsync(JobContext context, ExportUnit unit, TypeCheckpoint start, CancellationToken cancellationToken)
    {
        if (start.Done)
        {
            return start;
        }
        if (unit.BlockSearches is not null)
        {
            return await blocks.ExportFromAsync(context, unit, start, cancellationToken);
        }
        var exportId = context.Job.ParentId!;
        var errors = new List<string>(start.Errors ?? []);
        var missing = start.Missing;
        var searches = unit.Searches;
        await using var file = new RollingNdjsonFile(output, exportId, unit.Type, unit.FileStem, options.Value.MaxResourcesPerFile, start,
            ElementsFilter.For(unit.Type, unit.Elements), unit.DropDuplicates);
        var cadence = new CheckpointCadence(file, TimeSpan.FromMilliseconds(options.Value.CheckpointIntervalMilliseconds), time);
        Task SaveAsync(int search, SearchCursor? cursor) => cadence.SaveAsync(context, unit,
            f => new TypeCheckpoint(search, cursor, f.Committed, f.Open, false, errors, 0, missing), cancellationToken);

        for (var search = start.Search; search < searches.Count; search++)
        {
            var cursor = search == start.Search ? start.Cursor ?? Legacy(start, searches.Count) : SearchCursor.First;
            // A legacy cursor of a unit with several searches does not know what this search wrote before: not verified.
            var verify = !(search == start.Search && start.Cursor is null && start.Next is not null && searches.Count > 1);
            (cursor, var stopped, var paged) = await PageSearchAsync(exportId, unit, searches[search], cursor, file, errors,
                c => cadence.Due ? SaveAsync(search, c) : Task.CompletedTask, c => SaveAsync(search, c), cancellationToken);
            verify &= paged;
            // ORed `_typeFilter` searches overlap (duplicates are dropped), so one search's count says nothing about what it wrote.
            if (verify && !unit.DropDuplicates)
            {
                var (line, shortfall) = await completeness.VerifyAsync(exportId, unit.Type, searches[search], unit.Paging, cursor.Written, stopped,
                    searches.Count == 1 ? unit.Expected : null, cancellationToken);
                if (line is not null)
                {
                    errors.Add(line);
                    missing += shortfall;
                }
            }
            await SaveAsync(search + 1, null);
        }
        var done = new TypeCheckpoint(searches.Count, null, await file.CompleteAsync(cancellationToken), null, true, errors, 0, missing);
        await UnitPages.SaveCheckpointAsync(context, unit, done, cancellationToken);
        return done;
    }

    /// <summary>
    /// Pages one search to its end, offering the cursor for a checkpoint after every page (<paramref name="saveIfDue"/>) and
    /// saving it at the end. Returns where it stopped, why when a later page was refused beyond recovery (the count then
    /// says how much is missing), and false when it ended with an error line of its own (refused at once, or transient),
    /// which needs no count.
    /// </summary>
    private async Task<(SearchCursor Cursor, string? Stopped, bool Paged)> PageSearchAsync(string exportId, ExportUnit unit, string search, SearchCursor cursor,
        RollingNdjsonFile file, List<string> errors, Func<SearchCursor, Task> saveIfDue, Func<SearchCursor, Task> save, CancellationToken cancellationToken)
    {
        while (true)
        {
            switch (await pager.NextAsync(search, unit.Paging, cursor, (page, trail, token) => file.WritePageAsync(page, trail, token), cancellationToken))
            {
                case PageOutcome.Page page:
                    cursor = page.Cursor;
                    // Flushed, then saved: a crash from then on resumes at the cursor and cuts the file back to that length.
                    await saveIfDue(cursor);
                    break;
                case PageOutcome.End end:
                    await save(end.Cursor);
                    return (end.Cursor, null, true);
                case PageOutcome.Refused { FirstPage: true } refused:
                    errors.Add(UnitPages.Refused(logger, exportId, unit, refused));
                    return (cursor, null, false);
                case PageOutcome.Refused refused:
                    return (cursor, $"the upstream refused {refused.Url} ({refused.Reason})", true);
                case PageOutcome.Transient transient:
                    errors.Add(UnitPages.Failed(logger, exportId, unit.Type, transient.Url, transient.Reason));
                    return (cursor, null, false);
            }
        }
    }
}
