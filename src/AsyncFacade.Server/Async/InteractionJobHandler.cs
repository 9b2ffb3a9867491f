using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using AsyncFacade.Server.Fhir;
using AsyncFacade.Server.Jobs;
using AsyncFacade.Server.Storage;
using AsyncFacade.Server.Upstream;
using Hl7.Fhir.Model;
using Polly.Timeout;

namespace AsyncFacade.Server.Async;

/// <summary>
/// Runs one FHIR interaction asynchronously: sends the stored request to the upstream and streams the answer,
/// whatever its status, to storage (a `$everything` can be hundreds of MB). An upstream error status is a
/// completed job whose result carries that status; only an upstream that cannot be reached fails the job.
/// </summary>
internal sealed class InteractionJobHandler(UpstreamClient upstream, IOutputStore output, ILogger<InteractionJobHandler> logger) : IJobHandler
{
    public async Task<string?> RunAsync(JobContext context, CancellationToken cancellationToken)
    {
        var job = context.Job;
        if (context.Resumed && !IsSafeToRepeat(job.Request))
        {
            // The interrupted run may already have created or changed something upstream: sending it again could
            // apply it twice. Say so instead; the client can check and retry knowingly.
            throw new JobFailedException(Outcomes.Create(OperationOutcome.IssueType.Exception,
                $"The job was interrupted while the upstream was handling {job.Request.Method} {Path(job.Request.Url)}; it may or may not have " +
                "been applied, so it was not sent again. Check the upstream before retrying."), "interrupted non-idempotent request");
        }
        await context.ReportProgressAsync($"waiting for the upstream ({job.Request.Method} {Path(job.Request.Url)})", cancellationToken);

        // A GET, PUT or DELETE whose answer was cut off on its way is sent again, within the upstream retry budget.
        var budget = upstream.NewRetryBudget();
        while (true)
        {
            using var request = await BuildRequestAsync(job, cancellationToken);
            HttpResponseMessage response;
            try
            {
                response = await upstream.SendAsync(request, cancellationToken);
            }
            catch (Exception ex) when (UpstreamClient.IsUnreachable(ex, cancellationToken))
            {
                AsyncLog.UpstreamFailed(logger, job.Id, ex);
                var timedOut = ex is TimeoutRejectedException or TaskCanceledException;
                throw new JobFailedException(Outcomes.Create(
                    timedOut ? OperationOutcome.IssueType.Timeout : OperationOutcome.IssueType.Transient,
                    timedOut ? "The upstream FHIR server did not answer in time." : "The upstream FHIR server could not be reached. Try again later."),
                    ex.Message);
            }

            UpstreamBodyException cutOff;
            using (response)
            {
                if (response.StatusCode is HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable)
                {
                    // Still refused once the retries allowed by Upstream:RetryBudgetSeconds are spent: nothing was done upstream.
                    var throttled = response.StatusCode == HttpStatusCode.TooManyRequests;
                    throw new JobFailedException(Outcomes.Create(
                        throttled ? OperationOutcome.IssueType.Throttled : OperationOutcome.IssueType.Transient,
                        $"The upstream FHIR server answered {(int)response.StatusCode} {response.ReasonPhrase} until the retry budget ran out; try again later."),
                        $"upstream {(int)response.StatusCode}");
                }
                try
                {
                    return await StoreAsync(job, response, context, cancellationToken);
                }
                catch (UpstreamBodyException ex)
                {
                    cutOff = ex;
                }
            }
            AsyncLog.UpstreamFailed(logger, job.Id, cutOff);
            if (!IsSafeToRepeat(job.Request) || !await budget.WaitAsync(null, upstream.Time, cancellationToken))
            {
                throw new JobFailedException(Outcomes.Create(OperationOutcome.IssueType.Transient,
                    "The upstream FHIR server's answer was cut off before it was complete" +
                    (IsSafeToRepeat(job.Request) ? $", {budget.Retries + 1} times; try again later." : "; the request may or may not have been applied, so it was not sent again.")),
                    cutOff.Message);
            }
        }
    }

    /// <summary>Streams the upstream's answer, whatever its status, to storage and describes it.</summary>
    private async Task<string> StoreAsync(JobRecord job, HttpResponseMessage response, JobContext context, CancellationToken cancellationToken)
    {
        AsyncLog.UpstreamAnswered(logger, job.Id, (int)response.StatusCode);
        await context.ReportProgressAsync($"storing the upstream's {(int)response.StatusCode} answer", cancellationToken);
        var rewriter = new BaseUrlRewriter(upstream.BaseUrl, job.BaseUrl);
        var headers = KeptHeaders(response, rewriter);
        var contentType = response.Content.Headers.ContentType?.ToString();
        var isJson = FhirMediaTypes.IsJson(contentType);

        var bodyKey = InteractionJobs.ResponseBodyKey(job.Id);
        long length;
        await using (var writer = await output.CreateAsync(bodyKey, cancellationToken))
        {
            await using var body = await upstream.ReadBodyAsync(response, cancellationToken);
            if (isJson)
            {
                await rewriter.CopyAsync(body, writer.Content, cancellationToken);
            }
            else
            {
                await body.CopyToAsync(writer.Content, cancellationToken);
            }
            length = writer.Length;
            await writer.CommitAsync(cancellationToken);
        }

        // Bundle mode splices the body into JSON as it is, so it must really be one JSON object (some servers mislabel).
        if (isJson && length > 0)
        {
            await using var stored = (await output.OpenReadAsync(bodyKey, cancellationToken))!;
            isJson = await JsonValidation.IsSingleObjectAsync(stored.Content, cancellationToken);
            if (!isJson && response.IsSuccessStatusCode)
            {
                // A success labelled JSON that is not: cut off on its way (or garbled by a proxy), like a dropped connection.
                throw new UpstreamBodyException("the upstream's JSON answer is not valid JSON");
            }
        }
        var result = new InteractionResult((int)response.StatusCode, headers, length > 0 ? bodyKey : null, length, isJson);
        return JsonSerializer.Serialize(result);
    }

    private async Task<HttpRequestMessage> BuildRequestAsync(JobRecord job, CancellationToken cancellationToken)
    {
        var request = new HttpRequestMessage(new HttpMethod(job.Request.Method), new Uri(job.Request.Url, UriKind.Relative));
        if (job.Request.BodyKey is { } key)
        {
            var body = await output.OpenReadAsync(key, cancellationToken)
                ?? throw new JobFailedException(Outcomes.Create(OperationOutcome.IssueType.Exception, "The request body of this job is gone."), "missing body");
            request.Content = new StreamContent(body.Content);
            request.Content.Headers.ContentLength = body.Length;
        }
        foreach (var (name, value) in job.Request.Headers)
        {
            if (name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase))
            {
                if (request.Content is not null && MediaTypeHeaderValue.TryParse(value, out var mediaType))
                {
                    request.Content.Headers.ContentType = mediaType;
                }
            }
            else if (!name.Equals(Simulation.SimulatedBehaviour.Header, StringComparison.OrdinalIgnoreCase))
            {
                request.Headers.TryAddWithoutValidation(name, value);
            }
        }
        return request;
    }

    private static Dictionary<string, string> KeptHeaders(HttpResponseMessage response, BaseUrlRewriter rewriter)
    {
        var kept = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var name in InteractionResult.KeptHeaders)
        {
            if (response.Headers.TryGetValues(name, out var values) || response.Content.Headers.TryGetValues(name, out values))
            {
                kept[name] = rewriter.Rewrite(string.Join(", ", values));
            }
        }
        return kept;
    }

    /// <summary>Reads, PUT and DELETE give the same result when repeated; POST (except a search) and PATCH may not.</summary>
    private static bool IsSafeToRepeat(JobRequest request) => request.Method.ToUpperInvariant() switch
    {
        "GET" or "HEAD" or "PUT" or "DELETE" => true,
        "POST" => Path(request.Url).EndsWith("_search", StringComparison.Ordinal),
        _ => false,
    };

    private static string Path(string url) => url.Split('?', 2)[0] is { Length: > 0 } path ? path : "/";
}
