using System.Text.Json;
using AsyncFacade.Server.Fhir;
using AsyncFacade.Server.Jobs;
using AsyncFacade.Server.Storage;
using Hl7.Fhir.Model;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;

namespace AsyncFacade.Server.Export;

/// <summary>
/// Coordinates one `$export` in short runs, never holding a worker while the work is done elsewhere. The first run
/// plans the units and saves the plan; every run then creates the units that do not exist yet, hands up to
/// Export:MaxParallelism of them to Hangfire and waits (<see cref="JobWaitingException"/>); each finishing unit wakes
/// it. When every unit has finished, the last run writes the `deleted[]` and error files, and its result is the
/// manifest. Every step is idempotent: a run may be repeated or interrupted at any point.
/// </summary>
internal sealed class ExportJobHandler(IJobStore store, JobQueue queue, ExportPlanner planner, DeletedResources deletions, IOutputStore output,
    TimeProvider time, IOptions<ExportOptions> options, IOptions<JobsOptions> jobsOptions, ILogger<ExportJobHandler> logger)
    : IJobHandler
{
    public async Task<string?> RunAsync(JobContext context, CancellationToken cancellationToken)
    {
        var job = context.Job;
        var state = context.Checkpoint is { } saved ? JsonSerializer.Deserialize<ExportState>(saved)! : null;
        if (state is null)
        {
            await context.ReportProgressAsync("planning", cancellationToken);
            state = await planner.PlanAsync(await ReadRequestAsync(job, cancellationToken), job.CreatedAt, job.Request.Scopes?.Parse(), cancellationToken);
            // Saved before any unit exists: a resumed run finds the same plan, never a second one.
            await SaveAsync(context, state, cancellationToken);
        }

        var units = (await store.ListChildrenAsync(job.Id, cancellationToken)).ToDictionary(u => u.Id, StringComparer.Ordinal);
        foreach (var unit in state.Units.Where(u => !units.ContainsKey(ExportJobs.UnitId(job.Id, u.Index))))
        {
            var record = await CreateUnitAsync(job, unit, cancellationToken);
            units[record.Id] = record;
        }
        var finished = units.Values.Count(u => u.State.IsTerminal());
        state = RecordFinished(job, state, units);
        if (finished == state.Units.Count)
        {
            return await FinishAsync(context, state, units, cancellationToken);
        }

        state = Submit(job, state, units);
        await SaveAsync(context, state, cancellationToken);
        throw new JobWaitingException($"exporting: {finished} of {state.Units.Count} parts done",
            async token => (await store.ListChildrenAsync(job.Id, token)).Count(u => u.State.IsTerminal()) > finished);
    }

    /// <summary>
    /// Keeps Export:MaxParallelism units of this export in Hangfire at a time. A unit handed over long ago and still
    /// queued is handed over again (its Hangfire job was lost); a duplicate delivery finds it claimed and does nothing.
    /// </summary>
    private ExportState Submit(JobRecord job, ExportState state, Dictionary<string, JobRecord> units)
    {
        var submitted = state.Units.Take(state.Submitted).Select(u => units[ExportJobs.UnitId(job.Id, u.Index)]).ToList();
        var lostBefore = time.GetUtcNow() - jobsOptions.Value.OrphanAfter;
        foreach (var lost in submitted.Where(u => u.State == JobState.Queued && u.UpdatedAt < lostBefore))
        {
            queue.Resubmit(lost);
        }
        var free = options.Value.MaxParallelism - submitted.Count(u => !u.State.IsTerminal());
        var next = state.Submitted;
        for (; next < state.Units.Count && free > 0; next++, free--)
        {
            queue.Resubmit(units[ExportJobs.UnitId(job.Id, state.Units[next].Index)]);
        }
        return state with { Submitted = next };
    }

    /// <summary>Appends the units seen finished for the first time: partial manifest pages, once served, never change order.</summary>
    private static ExportState RecordFinished(JobRecord job, ExportState state, Dictionary<string, JobRecord> units)
    {
        if (!state.PartialManifests)
        {
            return state;
        }
        var seen = state.Finished ?? [];
        var newly = state.Units.Where(u => units[ExportJobs.UnitId(job.Id, u.Index)].State.IsTerminal() && !seen.Contains(u.Index)).Select(u => u.Index);
        return state with { Finished = [.. seen, .. newly] };
    }

    private async Task<JobRecord> CreateUnitAsync(JobRecord job, ExportUnit unit, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var record = new JobRecord
        {
            Id = ExportJobs.UnitId(job.Id, unit.Index),
            ParentId = job.Id,
            Owner = job.Owner,
            Kind = ExportJobs.UnitKind,
            // The parent's headers go along: a simulated upstream fault applies to every call of the export.
            Request = new JobRequest("GET", $"{job.Request.Url} (part {unit.Index})", job.Request.Headers),
            Mode = job.Mode,
            BaseUrl = job.BaseUrl,
            State = JobState.Queued,
            Progress = "queued",
            Checkpoint = JsonSerializer.Serialize(new ExportUnitCheckpoint(unit, TypeCheckpoint.Start)),
            CreatedAt = now,
            UpdatedAt = now,
        };
        try
        {
            await store.CreateAsync(record, cancellationToken);
            return record;
        }
        catch (InvalidOperationException)
        {
            // Created by an earlier, interrupted run of this export.
            return await store.GetAsync(record.Id, cancellationToken) ?? throw new OperationCanceledException("The export's units are gone.");
        }
    }

    /// <summary>Every unit has finished: collect their files and errors in plan order, add `deleted[]` and the error file.</summary>
    private async Task<string> FinishAsync(JobContext context, ExportState state, Dictionary<string, JobRecord> units, CancellationToken cancellationToken)
    {
        var job = context.Job;
        var errors = new List<string>(state.Errors);
        var outputs = new List<ExportFile>();
        var pages = new List<int>();
        long missing = 0;
        // Partial manifests list units as they were seen finishing; otherwise in plan order (types ordinal, parts in order).
        foreach (var unit in state.PartialManifests ? state.Finished!.Select(i => state.Units[i]) : state.Units)
        {
            var record = units[ExportJobs.UnitId(job.Id, unit.Index)];
            if (record is { State: JobState.Completed, Result: { } result })
            {
                var end = JsonSerializer.Deserialize<TypeCheckpoint>(result)!;
                outputs.AddRange(end.Files);
                errors.AddRange(end.Errors ?? []);
                missing += end.Missing;
                if (end.Files.Count > 0)
                {
                    pages.Add(end.Files.Count);
                }
            }
            else
            {
                // The unit's own outcome says what kind of failure it was (refused credentials are `login`, not worth a retry).
                var issue = record.Outcome is { } outcome ? JsonSerializer.Deserialize<OperationOutcome>(outcome, FhirJson.Lenient)?.Issue.FirstOrDefault() : null;
                errors.Add(ExportErrors.Line(unit.Type, issue?.Code ?? OperationOutcome.IssueType.Transient,
                    $"Exporting {unit.Type} ({unit.FileStem}) {record.State.ToWire()}: {issue?.Diagnostics ?? "no reason given"}. Its resources are missing from this export."));
            }
        }

        IReadOnlyList<ExportFile>? deleted = null;
        if (state is { DeletedTypes: { } historyTypes, Since: { } since })
        {
            await context.ReportProgressAsync("exporting: reading deletions", cancellationToken);
            var file = await deletions.WriteAsync(job.Id, historyTypes, state.TypeHistoryTypes ?? historyTypes, since, job.CreatedAt, options.Value.PageSize,
                errors.Add, cancellationToken);
            deleted = file is null ? [] : [file];
        }
        if (Simulation.SimulatedBehaviour.Of(job)?.ErrorFile == true)
        {
            errors.Add(ExportErrors.Line("Patient", OperationOutcome.IssueType.Transient, $"Simulated error ({Simulation.SimulatedBehaviour.Header}: error-file): this line stands for a resource that could not be exported."));
        }
        var errorFiles = await WriteErrorsAsync(job.Id, errors, cancellationToken);
        ExportLog.Finished(logger, job.Id, outputs.Sum(f => f.Count), outputs.Count, errors.Count);
        if (missing > 0)
        {
            ExportLog.FinishedIncomplete(logger, job.Id, missing);
        }
        return JsonSerializer.Serialize(new ExportResult(job.CreatedAt, ExportJobs.KickOffUrl(job), outputs, errorFiles, deleted, state.PartialManifests ? pages : null, state.OrganizedBy, missing));
    }

    private async Task<IReadOnlyList<ExportFile>> WriteErrorsAsync(string jobId, List<string> errors, CancellationToken cancellationToken)
    {
        if (errors.Count == 0)
        {
            return [];
        }
        const string name = "OperationOutcome-errors-1.ndjson";
        await using var writer = await output.CreateAsync(ExportJobs.FileKey(jobId, name), cancellationToken);
        foreach (var line in errors)
        {
            await writer.Content.WriteAsync(System.Text.Encoding.UTF8.GetBytes(line + "\n"), cancellationToken);
        }
        await writer.CommitAsync(cancellationToken);
        return [new ExportFile("OperationOutcome", name, errors.Count)];
    }

    private static async Task SaveAsync(JobContext context, ExportState state, CancellationToken cancellationToken)
    {
        if (!await context.SaveCheckpointAsync(JsonSerializer.Serialize(state), cancellationToken))
        {
            throw new OperationCanceledException("This run no longer holds the export.");
        }
    }

    private async Task<ExportRequest> ReadRequestAsync(JobRecord job, CancellationToken cancellationToken)
    {
        var (level, groupId) = ExportLevels.FromPath(job.Request.Url);
        var lenient = job.Request.Headers.ContainsKey("Prefer");
        ExportRequest? request;
        ExportRequestError? error;
        if (job.Request.BodyKey is { } key)
        {
            await using var stored = await output.OpenReadAsync(key, cancellationToken)
                ?? throw new JobFailedException(Outcomes.Create(OperationOutcome.IssueType.Exception, "The kick-off body of this export is gone."), "missing body");
            using var reader = new StreamReader(stored.Content);
            request = ExportRequestParser.ParseParameters(level, groupId, await reader.ReadToEndAsync(cancellationToken), lenient, out error);
        }
        else
        {
            var query = job.Request.Url.Contains('?') ? job.Request.Url[job.Request.Url.IndexOf('?')..] : "";
            request = ExportRequestParser.Parse(level, groupId, new QueryCollection(QueryHelpers.ParseQuery(query)), lenient, out error);
        }
        return request ?? throw new JobFailedException(Outcomes.Create(OperationOutcome.IssueType.Invalid, error?.Message ?? "Invalid export request."), "invalid");
    }
}
