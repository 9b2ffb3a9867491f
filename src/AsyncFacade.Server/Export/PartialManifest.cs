using System.Text.Json;
using AsyncFacade.Server.Async;
using AsyncFacade.Server.Jobs;

namespace AsyncFacade.Server.Export;

/// <summary>
/// `allowPartialManifests`: while the export runs, its status answers 202 with a manifest of the files that are ready,
/// one page per finished unit in the order the export saw them finish (`?page=N`, `link` next once the next page
/// exists). A page once served never changes, except for the link, as the spec requires; the finished export serves
/// the same pages plus a last one with error[] and deleted[] (only known at the end).
/// </summary>
internal sealed class PartialManifest(IJobStore store, ManifestLinks links, ManifestResponder manifests)
    : IJobPartialResult
{
    public async Task<IResult?> PartialAsync(JobRecord job, CancellationToken cancellationToken)
    {
        if (job.Result is not null)
        {
            return manifests.StillRunning(job); // done, but a simulated duration says it is not yet
        }
        if (job.Checkpoint is null || JsonSerializer.Deserialize<ExportState>(job.Checkpoint) is not { PartialManifests: true, Finished: { Count: > 0 } finished } state)
        {
            return null;
        }
        var units = (await store.ListChildrenAsync(job.Id, cancellationToken)).ToDictionary(u => u.Id, StringComparer.Ordinal);
        var pages = finished
            .Select(i => units.GetValueOrDefault(ExportJobs.UnitId(job.Id, i)))
            .Select(unit => unit is { State: JobState.Completed, Result: { } result } ? JsonSerializer.Deserialize<TypeCheckpoint>(result)!.Files : [])
            .Where(files => files.Count > 0)
            .ToList();
        return new ManifestResponder.PagedResult(
            page => page > pages.Count ? null : Page(job, state, pages, page),
            missing: Results.StatusCode(StatusCodes.Status202Accepted));
    }

    private IResult Page(JobRecord job, ExportState state, List<IReadOnlyList<ExportFile>> pages, int page)
    {
        var manifest = new ExportManifest(job, job.CreatedAt, ExportJobs.KickOffUrl(job), pages[page - 1], [], null, page < pages.Count ? page + 1 : null)
        {
            OrganizedBy = state.OrganizedBy,
        };
        return links.Manifest(job, manifest.FileNames, manifest.ToJson, StatusCodes.Status202Accepted);
    }
}
