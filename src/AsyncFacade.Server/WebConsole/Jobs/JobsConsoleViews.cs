using System.Text.Json;
using AsyncFacade.Server.Async;
using AsyncFacade.Server.Export;
using AsyncFacade.Server.Import;
using AsyncFacade.Server.Jobs;
using Microsoft.AspNetCore.WebUtilities;

namespace AsyncFacade.Server.WebConsole.Jobs;

/// <summary>
/// Turns job records into what the jobs view shows. Progress and state come from <see cref="AsyncStatus"/>, so a row
/// says exactly what the job's status URL says; requests are redacted before they leave the server.
/// </summary>
internal sealed class JobsConsoleViews(IJobStore store, AsyncStatus status)
{
    public async Task<JobSummary> SummaryAsync(JobRecord record, CancellationToken cancellationToken)
    {
        var job = Seen(record);
        var progress = job.State.IsTerminal() ? job.Progress : await status.ProgressAsync(job, cancellationToken);
        return new JobSummary(job.Id, JobLabel.Describe(job), job.Kind, job.Owner, job.State.ToWire(), progress, job.CreatedAt, job.UpdatedAt, job.ExpiresAt);
    }

    public async Task<JobDetail> DetailAsync(JobRecord record, CancellationToken cancellationToken)
    {
        var job = Seen(record);
        var request = job.Request;
        var units = job.Kind == ExportJobs.Kind ? await UnitsAsync(job, cancellationToken) : [];
        return new JobDetail(await SummaryAsync(record, cancellationToken), job.Mode, AsyncResults.StatusUrl(job), job.StartedAt, job.CompletedAt,
            new JobRequestView(request.Method, SecretRedaction.Url(request.Url), job.BaseUrl, SecretRedaction.Headers(request.Headers), request.BodyKey is not null,
                job.CallbackUrl is null ? null : SecretRedaction.Url(job.CallbackUrl), request.Scopes?.Scope),
            job.State == JobState.Completed ? ResultOf(job) : null, OutcomeOf(job.Outcome), units);
    }

    /// <summary>As its status URL shows it (a simulated expiry passed: expired, though the record is still there).</summary>
    private JobRecord Seen(JobRecord record) => status.AsSeen(record) ?? record with { State = JobState.Expired };

    /// <summary>An export's units in plan order (a planned unit not created yet reads as queued).</summary>
    private async Task<IReadOnlyList<JobUnitView>> UnitsAsync(JobRecord job, CancellationToken cancellationToken)
    {
        if (job.Checkpoint is null)
        {
            return []; // still planning
        }
        var plan = JsonSerializer.Deserialize<ExportState>(job.Checkpoint)!;
        var records = (await store.ListChildrenAsync(job.Id, cancellationToken)).ToDictionary(u => u.Id, StringComparer.Ordinal);
        return plan.Units.Select(unit =>
        {
            var id = ExportJobs.UnitId(job.Id, unit.Index);
            var record = records.GetValueOrDefault(id);
            return new JobUnitView(id, unit.Type, SliceOf(unit), (record?.State ?? JobState.Queued).ToWire(), ExportProgressSource.Resources(record),
                unit.Expected, record?.StartedAt, record?.CompletedAt, FirstDiagnostics(OutcomeOf(record?.Outcome)));
        }).ToList();
    }

    private static string? SliceOf(ExportUnit unit)
    {
        var parts = new List<string>();
        if (unit.BlockSearches is not null)
        {
            parts.Add("patient blocks");
        }
        if (unit.FileStem.StartsWith(unit.Type + "-", StringComparison.Ordinal))
        {
            parts.Add(unit.FileStem[(unit.Type.Length + 1)..].Replace("part", "part ", StringComparison.Ordinal));
        }
        if (unit.Searches.Count > 0 && unit.Searches[0].Split('?', 2) is [_, var query]
            && QueryHelpers.ParseQuery(query).TryGetValue("_lastUpdated", out var bounds) && parts.Count > 0)
        {
            // Only for a split type: an unsplit one's bound is the export's own window, not a slice.
            parts.Add("_lastUpdated " + string.Join(" ", bounds.ToArray()));
        }
        return parts.Count == 0 ? null : string.Join(", ", parts);
    }

    private static string? ResultOf(JobRecord job)
    {
        if (job.Result is null)
        {
            return null;
        }
        try
        {
            return job.Kind switch
            {
                ExportJobs.Kind when JsonSerializer.Deserialize<ExportResult>(job.Result) is { } export =>
                    FormattableString.Invariant($"manifest ready: {export.Output.Count} files, {export.Output.Sum(f => f.Count):N0} resources, {export.Errors.Count} error files") +
                    (export.Deleted is { Count: > 0 } deleted ? FormattableString.Invariant($", {deleted.Count} deleted files") : ""),
                ImportJobs.Kind when JsonSerializer.Deserialize<ImportResult>(job.Result) is { } import =>
                    FormattableString.Invariant($"manifest ready: {import.Output.Count} inputs, {import.Output.Sum(o => o.Count):N0} resources written, {import.Error.Count} error reports"),
                InteractionJobs.Kind when JsonSerializer.Deserialize<InteractionResult>(job.Result) is { } interaction =>
                    FormattableString.Invariant($"the upstream answered {interaction.Status} ({interaction.BodyLength:N0} bytes); served as {job.Mode}"),
                _ => "completed",
            };
        }
        catch (JsonException)
        {
            return "completed (its result was written by another version)";
        }
    }

    private static JsonElement? OutcomeOf(string? outcome)
    {
        if (outcome is null)
        {
            return null;
        }
        using var document = JsonDocument.Parse(outcome);
        return document.RootElement.Clone();
    }

    private static string? FirstDiagnostics(JsonElement? outcome) =>
        outcome is { } o && o.TryGetProperty("issue", out var issues) && issues.ValueKind == JsonValueKind.Array && issues.GetArrayLength() > 0
            && issues[0].TryGetProperty("diagnostics", out var text) ? text.GetString() : null;
}
