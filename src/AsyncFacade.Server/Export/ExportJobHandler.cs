using System.Collections.Concurrent;
using System.Text.Json;
using AsyncFacade.Server.Fhir;
using AsyncFacade.Server.Jobs;
using AsyncFacade.Server.Storage;
using AsyncFacade.Server.Upstream;
using Hl7.Fhir.Model;
using Microsoft.AspNetCore.Http.Extensions;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;

namespace AsyncFacade.Server.Export;

/// <summary>
/// Runs one `$export`: types in parallel (Export:MaxParallelism), each paging its upstream searches and copying
/// every matching entry as raw JSON into rolling NDJSON files. A failure of one type or page becomes an entry in
/// the error file and the rest of the export completes.
/// </summary>
internal sealed class ExportJobHandler(UpstreamClient upstream, IOutputStore output, DeletedResources deletions, IOptions<ExportOptions> options,
    ILogger<ExportJobHandler> logger)
    : IJobHandler
{
    public async Task<string?> RunAsync(JobContext context, CancellationToken cancellationToken)
    {
        var job = context.Job;
        var request = await ReadRequestAsync(job, cancellationToken);
        var transactionTime = job.CreatedAt;
        var capabilities = await UpstreamCapabilities.ReadAsync(upstream, cancellationToken);
        var types = ExportPlan.Types(request, capabilities);
        var patients = await PatientsAsync(request, cancellationToken);

        var checkpoints = new ExportCheckpoints(context);
        var progress = new ExportProgress(types.Count, checkpoints.ResourcesSoFar);
        var errors = new ConcurrentQueue<string>();
        var files = new ConcurrentBag<ExportFile>();
        foreach (var type in request.Types.Where(t => !types.Contains(t)))
        {
            errors.Enqueue(ErrorLine(type, capabilities.SearchableTypes.Contains(type)
                ? $"{type} is not in the patient compartment (the upstream has no `patient` search for it); a {request.Level.ToString().ToLowerInvariant()}-level export leaves it out."
                : $"The upstream server does not support searching {type}; it was not exported."));
        }
        if (request.IncludeAssociatedData.Count > 0)
        {
            // Accepted so standard clients are not refused, and said plainly in the manifest's error file.
            errors.Enqueue(FhirJson.Serialize(Outcomes.Create(OperationOutcome.IssueType.NotSupported,
                $"includeAssociatedData ({string.Join(", ", request.IncludeAssociatedData)}) is not supported by this server; no associated data was exported.",
                OperationOutcome.IssueSeverity.Information, "includeAssociatedData")));
        }

        await Parallel.ForEachAsync(types, new ParallelOptions { MaxDegreeOfParallelism = options.Value.MaxParallelism, CancellationToken = cancellationToken },
            async (type, token) =>
            {
                var export = new TypeExport(type,
                    ExportPlan.Searches(type, request, transactionTime, patients, options.Value.PageSize, options.Value.PatientBatchSize,
                        capabilities.TotalTypes.Contains(type)).ToList(),
                    ElementsFilter.For(type, request.Elements),
                    DropDuplicates: request.TypeFilters.Count(f => f.Type == type) > 1);
                foreach (var file in await ExportTypeAsync(context, export, checkpoints, progress, errors, token))
                {
                    files.Add(file);
                }
                progress.TypeDone();
                await context.ReportProgressAsync(progress.Describe(), token);
            });

        IReadOnlyList<ExportFile>? deleted = null;
        if (request.Since is { } since)
        {
            var withHistory = types.Where(capabilities.HistoryTypes.Contains);
            var file = await deletions.WriteAsync(job.Id, withHistory, since, transactionTime, options.Value.PageSize,
                (type, reason) => errors.Enqueue(FailLine(job.Id, type, type + "/_history", reason)), cancellationToken);
            deleted = file is null ? [] : [file];
        }
        var errorFiles = await WriteErrorsAsync(job.Id, errors, cancellationToken);
        var outputs = files.OrderBy(f => f.Type, StringComparer.Ordinal).ThenBy(f => f.Name, StringComparer.Ordinal).ToList();
        ExportLog.Finished(logger, job.Id, progress.Resources, outputs.Count, errors.Count);
        var kickOffUrl = job.BaseUrl + "/" + job.Request.Url;
        return JsonSerializer.Serialize(new ExportResult(transactionTime, kickOffUrl, outputs, errorFiles, deleted));
    }

    private async Task<IReadOnlyList<ExportFile>> ExportTypeAsync(JobContext context, TypeExport export, ExportCheckpoints checkpoints,
        ExportProgress progress, ConcurrentQueue<string> errors, CancellationToken cancellationToken)
    {
        var start = checkpoints.For(export.Type);
        // The ids an overlapping type has seen are not checkpointed: it resumes from its start, never with duplicates.
        if (export.DropDuplicates && !start.Done)
        {
            start = TypeCheckpoint.Start;
        }
        try
        {
            return await ExportTypeFromAsync(context, export, start, checkpoints, progress, errors, cancellationToken);
        }
        catch (ExportRestartException)
        {
            // Its files are written again under the same names, replacing what is left of them.
            return await ExportTypeFromAsync(context, export, TypeCheckpoint.Start, checkpoints, progress, errors, cancellationToken);
        }
    }

    /// <summary>Pages the type's searches from the checkpoint on, saving a new checkpoint after every page.</summary>
    private async Task<IReadOnlyList<ExportFile>> ExportTypeFromAsync(JobContext context, TypeExport export, TypeCheckpoint start, ExportCheckpoints checkpoints, ExportProgress progress, ConcurrentQueue<string> errors, CancellationToken cancellationToken)
    {
        var typeErrors = new List<string>(start.Errors ?? []);
        if (start.Done)
        {
            typeErrors.ForEach(errors.Enqueue);
            return start.Files;
        }
        var (type, searches) = (export.Type, export.Searches);
        void Fail(string url, string reason) => typeErrors.Add(FailLine(context.Job.Id, type, url, reason));
        await using var file = new RollingNdjsonFile(output, context.Job.Id, type, options.Value.MaxResourcesPerFile, start, export.Elements, export.DropDuplicates);
        for (var search = start.Search; search < searches.Count; search++)
        {
            for (string? next = search == start.Search && start.Next is not null ? start.Next : searches[search].FirstPage; next is not null;)
            {
                var url = next;
                using var response = await TrySendAsync(url, cancellationToken);
                if (response is null)
                {
                    Fail(url, "the upstream could not be reached");
                    break;
                }
                if (!response.IsSuccessStatusCode)
                {
                    Fail(url, $"the upstream answered {(int)response.StatusCode} {response.ReasonPhrase}");
                    break;
                }
                try
                {
                    await using var page = await response.Content.ReadAsStreamAsync(cancellationToken);
                    var result = await file.WritePageAsync(page, cancellationToken);
                    if (url == searches[search].FirstPage && search == 0)
                    {
                        progress.Started(result.Total);
                    }
                    progress.Add(result.Copied);
                    next = RelativeToUpstream(result.NextUrl);
                }
                catch (BundlePageException ex)
                {
                    Fail(url, ex.Message);
                    break;
                }
                // After the page is flushed: a crash from here on resumes at `next` and cuts the file back to this length.
                await checkpoints.SaveAsync(type, new TypeCheckpoint(search, next, file.Committed, file.Open, false, typeErrors), cancellationToken);
                await context.ReportProgressAsync(progress.Describe(), cancellationToken);
            }
            await checkpoints.SaveAsync(type, new TypeCheckpoint(search + 1, null, file.Committed, file.Open, false, typeErrors), cancellationToken);
        }
        var files = await file.CompleteAsync(cancellationToken);
        await checkpoints.SaveAsync(type, new TypeCheckpoint(searches.Count, null, files, null, true, typeErrors), cancellationToken);
        typeErrors.ForEach(errors.Enqueue);
        return files;
    }

    /// <summary>
    /// Next links under the upstream's base are kept relative to it: a resumed run (perhaps on another node, or with
    /// the embedded upstream on a new port) resolves them against the base it has now.
    /// </summary>
    private string? RelativeToUpstream(string? url) =>
        url is not null && url.StartsWith(upstream.BaseUrl + "/", StringComparison.Ordinal) ? url[(upstream.BaseUrl.Length + 1)..] : url;

    /// <summary>One page request; null when the upstream cannot be reached (after the client's own retries).</summary>
    private async Task<HttpResponseMessage?> TrySendAsync(string url, CancellationToken cancellationToken)
    {
        try
        {
            return await upstream.SendAsync(new HttpRequestMessage(HttpMethod.Get, new Uri(url, UriKind.RelativeOrAbsolute)), cancellationToken);
        }
        catch (Exception ex) when (ex is HttpRequestException or Polly.Timeout.TimeoutRejectedException or Polly.CircuitBreaker.BrokenCircuitException
                                       || (ex is TaskCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return null;
        }
    }

    private string FailLine(string jobId, string type, string url, string reason)
    {
        ExportLog.TypeFailed(logger, jobId, type, url, reason);
        return ErrorLine(type, $"Exporting {type} stopped at {url}: {reason}. Resources before that point were exported.");
    }

    private async Task<IReadOnlyList<ExportFile>> WriteErrorsAsync(string jobId, ConcurrentQueue<string> errors, CancellationToken cancellationToken)
    {
        if (errors.IsEmpty)
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

    private static string ErrorLine(string type, string diagnostics) =>
        FhirJson.Serialize(Outcomes.Create(OperationOutcome.IssueType.Transient, diagnostics, expression: type));

    /// <summary>The patients a patient- or group-level export is limited to; null when it covers every patient.</summary>
    private async Task<IReadOnlyList<string>?> PatientsAsync(ExportRequest request, CancellationToken cancellationToken)
    {
        var fromParameter = request.Patients.Select(p => p.Split('/')[^1]).ToList();
        if (request.Level != ExportLevel.Group)
        {
            return fromParameter.Count > 0 ? fromParameter : null;
        }

        using var response = await upstream.GetAsync("Group/" + Uri.EscapeDataString(request.GroupId!), cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new JobFailedException(Outcomes.Create(
                response.StatusCode == System.Net.HttpStatusCode.NotFound ? OperationOutcome.IssueType.NotFound : OperationOutcome.IssueType.Transient,
                $"Group/{request.GroupId} could not be read from the upstream ({(int)response.StatusCode})."), "group unavailable");
        }
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        var group = await JsonSerializer.DeserializeAsync<Group>(body, FhirJson.Lenient, cancellationToken);
        var members = (group?.Member ?? []).Select(m => m.Entity?.Reference).OfType<string>()
            .Where(r => r.StartsWith("Patient/", StringComparison.Ordinal)).Select(r => r["Patient/".Length..]).Distinct().ToList();
        // `patient` at group level narrows the group to those of its members.
        return fromParameter.Count > 0 ? members.Intersect(fromParameter).ToList() : members;
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
