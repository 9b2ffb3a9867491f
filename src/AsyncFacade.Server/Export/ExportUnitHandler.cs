using System.Text.Json;
using AsyncFacade.Server.Jobs;
using AsyncFacade.Server.Storage;
using AsyncFacade.Server.Telemetry;
using AsyncFacade.Server.Upstream;
using Microsoft.Extensions.Options;

namespace AsyncFacade.Server.Export;

/// <summary>
/// Runs one unit of an export: pages its searches and copies every matching entry as raw JSON into rolling NDJSON
/// files under the parent export, saving a checkpoint after every page. A failing page ends the unit with an error
/// line (what came before it stays exported); the rest of the export goes on. The result is the final checkpoint.
/// </summary>
internal sealed class ExportUnitHandler(UpstreamClient upstream, IOutputStore output, PatientBlockWriter blocks, IOptions<ExportOptions> options,
    FacadeMetrics metrics, ILogger<ExportUnitHandler> logger)
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
        var searches = unit.Searches;
        await using var file = new RollingNdjsonFile(output, exportId, unit.Type, unit.FileStem, options.Value.MaxResourcesPerFile, start,
            ElementsFilter.For(unit.Type, unit.Elements), unit.DropDuplicates);
        Task SaveAsync(TypeCheckpoint position) => UnitPages.SaveCheckpointAsync(context, unit, position, cancellationToken);

        for (var search = start.Search; search < searches.Count; search++)
        {
            for (var next = search == start.Search && start.Next is not null ? start.Next : searches[search]; next is not null;)
            {
                var url = next;
                var page = await UnitPages.CopyAsync(upstream, url, file, cancellationToken);
                if (page.Reason is { } reason)
                {
                    errors.Add(UnitPages.Failed(logger, exportId, unit.Type, url, reason));
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
}
