using System.Text;
using System.Text.Json;
using AsyncFacade.Server.Fhir;
using AsyncFacade.Server.Jobs;
using AsyncFacade.Server.Storage;
using Hl7.Fhir.Model;
using Microsoft.AspNetCore.WebUtilities;

namespace AsyncFacade.Server.Async;

/// <summary>
/// Serves a finished interaction. Bundle mode: a `batch-response` Bundle whose one entry carries the upstream's
/// status, headers and body. Redirect mode: 303 to `/result`, which replays the upstream answer byte for byte.
/// The stored body is copied, never parsed: it may be hundreds of MB.
/// </summary>
internal sealed class InteractionResponder(IOutputStore output, IJobStore store) : IJobResultResponder
{
    public IResult Finished(JobRecord job) => job.Mode == PreferHeader.Redirect
        ? new Redirect303(AsyncResults.ResultUrl(job))
        : new BundleResult(job, output, store);

    /// <summary>The answer the synchronous interaction would have given (GET /_async/{id}/result).</summary>
    public IResult Replay(JobRecord job) => new ReplayResult(job, output, store);

    internal static InteractionResult? ResultOf(JobRecord job) =>
        job.Result is null ? null : JsonSerializer.Deserialize<InteractionResult>(job.Result);

    /// <summary>A job that failed reaching the upstream reads as the gateway error a synchronous call would have got.</summary>
    private static int FailureStatus(JobRecord job) =>
        job.Outcome?.Contains("\"timeout\"", StringComparison.Ordinal) == true ? StatusCodes.Status504GatewayTimeout : StatusCodes.Status502BadGateway;

    private static string OutcomeJson(JobRecord job, int status) =>
        job.Outcome ?? FhirJson.Serialize(Outcomes.Create(Outcomes.CodeFor(status), $"The upstream answered {status} {ReasonPhrases.GetReasonPhrase(status)}."));

    /// <summary>
    /// The record said done but the file is not here. Usually a DELETE (on any node) removed the job between this request's
    /// read of the record and now: then it is gone, as a poll after the DELETE would say. Otherwise storage was lost, or
    /// nodes do not share Storage:LocalPath. Said plainly before any byte of a 200 is sent, never as a truncated body.
    /// </summary>
    private static async Task MissingAsync(HttpContext httpContext, JobRecord job, string key, IJobStore store)
    {
        httpContext.Response.Headers.Clear();
        if (await store.GetAsync(job.Id, httpContext.RequestAborted) is not { State: JobState.Completed or JobState.Failed })
        {
            await AsyncResults.NotFound(job.Id).ExecuteAsync(httpContext);
            return;
        }
        await FhirResults.WriteErrorAsync(httpContext, StatusCodes.Status500InternalServerError, OperationOutcome.IssueType.Exception,
            $"The stored result ({key}) is missing on this node; every node must share the output storage (Storage:LocalPath).");
    }

    private sealed class Redirect303(string location) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.StatusCode = StatusCodes.Status303SeeOther;
            httpContext.Response.Headers.Location = location;
            return Task.CompletedTask;
        }
    }

    private sealed class BundleResult(JobRecord job, IOutputStore output, IJobStore store) : IResult
    {
        public async Task ExecuteAsync(HttpContext httpContext)
        {
            var cancellationToken = httpContext.RequestAborted;
            var result = ResultOf(job);
            // Opened once, up front: a DELETE may remove the file any moment now, and the open stream still reads it whole.
            await using var stored = result?.BodyKey is { } key ? await output.OpenReadAsync(key, cancellationToken) : null;
            if (result?.BodyKey is { } missing && stored is null)
            {
                await MissingAsync(httpContext, job, missing, store);
                return;
            }
            var status = result?.Status ?? FailureStatus(job);
            var response = httpContext.Response;
            response.StatusCode = StatusCodes.Status200OK;
            response.ContentType = FhirMediaTypes.JsonUtf8;
            var body = response.Body;

            var entry = new StringBuilder("""{"resourceType":"Bundle","type":"batch-response","entry":[{"response":{"status":""");
            entry.Append(Quote($"{status} {ReasonPhrases.GetReasonPhrase(status)}"));
            AppendHeader(entry, "location", result?.Header("Location") ?? result?.Header("Content-Location"));
            AppendHeader(entry, "etag", result?.Header("ETag"));
            AppendHeader(entry, "lastModified", LastModified(result?.Header("Last-Modified")));
            await WriteAsync(body, entry.ToString(), cancellationToken);

            var hasJsonBody = result is { BodyKey: not null, BodyIsJson: true };
            if (status >= 400)
            {
                // A failure's body (normally an OperationOutcome) goes to response.outcome, as the async Bundle pattern asks.
                await WriteAsync(body, ""","outcome":""", cancellationToken);
                if (hasJsonBody)
                {
                    await stored!.Content.CopyToAsync(body, cancellationToken);
                }
                else
                {
                    await WriteAsync(body, OutcomeJson(job, status), cancellationToken);
                }
                await WriteAsync(body, "}}]}", cancellationToken);
                return;
            }

            await WriteAsync(body, "}", cancellationToken);
            if (hasJsonBody)
            {
                await WriteAsync(body, ""","resource":""", cancellationToken);
                await stored!.Content.CopyToAsync(body, cancellationToken);
            }
            else if (stored is not null)
            {
                await WriteBinaryAsync(stored.Content, result!.Header("Content-Type") ?? "application/octet-stream", body, cancellationToken);
            }
            await WriteAsync(body, "}]}", cancellationToken);
        }

        /// <summary>A non-JSON answer (an image, XML…) becomes a Binary resource, base64-encoded chunk by chunk.</summary>
        private static async Task WriteBinaryAsync(Stream stored, string contentType, Stream body, CancellationToken cancellationToken)
        {
            await WriteAsync(body, "," + "\"resource\":{\"resourceType\":\"Binary\",\"contentType\":" + Quote(contentType) + ",\"data\":\"", cancellationToken);
            // A multiple of 3 bytes per chunk: base64 of the pieces concatenates to base64 of the whole.
            var chunk = new byte[3 * 16384];
            int read;
            while ((read = await stored.ReadAtLeastAsync(chunk, chunk.Length, throwOnEndOfStream: false, cancellationToken)) > 0)
            {
                await WriteAsync(body, Convert.ToBase64String(chunk, 0, read), cancellationToken);
            }
            await WriteAsync(body, "\"}", cancellationToken);
        }

        private static void AppendHeader(StringBuilder entry, string name, string? value)
        {
            if (!string.IsNullOrEmpty(value))
            {
                entry.Append(",\"").Append(name).Append("\":").Append(Quote(value));
            }
        }

        // FHIR instants: HTTP dates (RFC 1123) are turned into ISO 8601.
        private static string? LastModified(string? httpDate) =>
            DateTimeOffset.TryParse(httpDate, out var parsed) ? parsed.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ssZ") : null;

        private static string Quote(string value) => JsonSerializer.Serialize(value, RelaxedEscaping);

        // Only JSON-required escapes: an ETag reads W/"1", not W/\u00221\u0022.
        private static readonly JsonSerializerOptions RelaxedEscaping = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

        private static Task WriteAsync(Stream body, string text, CancellationToken cancellationToken) =>
            body.WriteAsync(Encoding.UTF8.GetBytes(text), cancellationToken).AsTask();
    }

    private sealed class ReplayResult(JobRecord job, IOutputStore output, IJobStore store) : IResult
    {
        public async Task ExecuteAsync(HttpContext httpContext)
        {
            var response = httpContext.Response;
            var result = ResultOf(job);
            if (result is null)
            {
                var status = FailureStatus(job);
                response.StatusCode = status;
                response.ContentType = FhirMediaTypes.JsonUtf8;
                await response.WriteAsync(OutcomeJson(job, status), httpContext.RequestAborted);
                return;
            }

            response.StatusCode = result.Status;
            foreach (var (name, value) in result.Headers)
            {
                response.Headers[name] = value;
            }
            if (result.BodyKey is null)
            {
                return;
            }
            await using var stored = await output.OpenReadAsync(result.BodyKey, httpContext.RequestAborted);
            if (stored is null)
            {
                await MissingAsync(httpContext, job, result.BodyKey, store);
                return;
            }
            response.ContentLength = stored.Length;
            await stored.Content.CopyToAsync(response.Body, httpContext.RequestAborted);
        }
    }
}
