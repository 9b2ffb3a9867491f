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
internal sealed class InteractionResponder(IOutputStore output) : IJobResultResponder
{
    public IResult Finished(JobRecord job) => job.Mode == PreferHeader.Redirect
        ? new Redirect303(AsyncResults.ResultUrl(job))
        : new BundleResult(job, output);

    /// <summary>The answer the synchronous interaction would have given (GET /_async/{id}/result).</summary>
    public IResult Replay(JobRecord job) => new ReplayResult(job, output);

    internal static InteractionResult? ResultOf(JobRecord job) =>
        job.Result is null ? null : JsonSerializer.Deserialize<InteractionResult>(job.Result);

    /// <summary>A job that failed reaching the upstream reads as the gateway error a synchronous call would have got.</summary>
    private static int FailureStatus(JobRecord job) =>
        job.Outcome?.Contains("\"timeout\"", StringComparison.Ordinal) == true ? StatusCodes.Status504GatewayTimeout : StatusCodes.Status502BadGateway;

    private static string OutcomeJson(JobRecord job, int status) =>
        job.Outcome ?? FhirJson.Serialize(Outcomes.Create(Outcomes.CodeFor(status), $"The upstream answered {status} {ReasonPhrases.GetReasonPhrase(status)}."));

    /// <summary>
    /// The record says done but the file is not here: storage was lost, or nodes do not share Storage:LocalPath.
    /// Said plainly before any byte of a 200 is sent, never as a truncated body.
    /// </summary>
    private static Task MissingAsync(HttpContext httpContext, string key) =>
        FhirResults.WriteErrorAsync(httpContext, StatusCodes.Status500InternalServerError, OperationOutcome.IssueType.Exception,
            $"The stored result ({key}) is missing on this node; every node must share the output storage (Storage:LocalPath).");

    private sealed class Redirect303(string location) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.StatusCode = StatusCodes.Status303SeeOther;
            httpContext.Response.Headers.Location = location;
            return Task.CompletedTask;
        }
    }

    private sealed class BundleResult(JobRecord job, IOutputStore output) : IResult
    {
        public async Task ExecuteAsync(HttpContext httpContext)
        {
            var cancellationToken = httpContext.RequestAborted;
            var result = ResultOf(job);
            if (result?.BodyKey is { } key)
            {
                await using var check = await output.OpenReadAsync(key, cancellationToken);
                if (check is null)
                {
                    await MissingAsync(httpContext, key);
                    return;
                }
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
                    await CopyStoredAsync(result!.BodyKey!, body, cancellationToken);
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
                await CopyStoredAsync(result!.BodyKey!, body, cancellationToken);
            }
            else if (result?.BodyKey is { } binaryKey)
            {
                await WriteBinaryAsync(binaryKey, result.Header("Content-Type") ?? "application/octet-stream", body, cancellationToken);
            }
            await WriteAsync(body, "}]}", cancellationToken);
        }

        private async Task CopyStoredAsync(string key, Stream body, CancellationToken cancellationToken)
        {
            await using var stored = await output.OpenReadAsync(key, cancellationToken)
                ?? throw new InvalidOperationException($"Stored result {key} is missing.");
            await stored.Content.CopyToAsync(body, cancellationToken);
        }

        /// <summary>A non-JSON answer (an image, XML…) becomes a Binary resource, base64-encoded chunk by chunk.</summary>
        private async Task WriteBinaryAsync(string key, string contentType, Stream body, CancellationToken cancellationToken)
        {
            await WriteAsync(body, "," + "\"resource\":{\"resourceType\":\"Binary\",\"contentType\":" + Quote(contentType) + ",\"data\":\"", cancellationToken);
            await using var stored = await output.OpenReadAsync(key, cancellationToken)
                ?? throw new InvalidOperationException($"Stored result {key} is missing.");
            // A multiple of 3 bytes per chunk: base64 of the pieces concatenates to base64 of the whole.
            var chunk = new byte[3 * 16384];
            int read;
            while ((read = await stored.Content.ReadAtLeastAsync(chunk, chunk.Length, throwOnEndOfStream: false, cancellationToken)) > 0)
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

    private sealed class ReplayResult(JobRecord job, IOutputStore output) : IResult
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
                response.Headers.Clear();
                await MissingAsync(httpContext, result.BodyKey);
                return;
            }
            response.ContentLength = stored.Length;
            await stored.Content.CopyToAsync(response.Body, httpContext.RequestAborted);
        }
    }
}
