using System.Net;
using System.Text.Json;
using AsyncFacade.Client.Bulk;
using Hl7.Fhir.Model;

namespace AsyncFacade.Client;

/// <summary>Turns one status response into a <see cref="JobStatus"/>: the async pattern's and Bulk Data's rules in one place.</summary>
internal static class StatusReader
{
    // Issue codes that say "try again later" (FHIR IssueType, transient branch); every other error code is terminal.
    private static readonly HashSet<OperationOutcome.IssueType> TransientCodes =
    [
        OperationOutcome.IssueType.Transient, OperationOutcome.IssueType.Throttled, OperationOutcome.IssueType.Timeout,
        OperationOutcome.IssueType.LockError, OperationOutcome.IssueType.NoStore, OperationOutcome.IssueType.Incomplete,
    ];

    // Status values some servers put in a 200 body of an unfinished job (Task.status, ad hoc JSON).
    private static readonly HashSet<string> RunningStatuses = new(StringComparer.OrdinalIgnoreCase) { "in-progress", "queued", "running", "accepted", "requested", "ready", "received" };

    public static async Task<JobStatus> ReadAsync(Uri statusUrl, HttpResponseMessage response, TimeProvider time, CancellationToken cancellationToken)
    {
        var status = response.StatusCode;
        var retryAfter = ResponseHeaders.RetryAfter(response, time);
        var progress = ResponseHeaders.Progress(response);
        var body = await ReadBodyAsync(response, cancellationToken);
        var resource = body.Length > 0 && ResponseHeaders.IsJson(response.Content.Headers) ? FhirJson.TryParse(body) : null;
        var outcome = resource as OperationOutcome;
        JobStatus Status(JobState state) => new(state, status) { Progress = progress, RetryAfter = retryAfter, Outcome = outcome };

        switch ((int)status)
        {
            case 202:
                return Status(JobState.InProgress);
            case 303 or 302 or 307:
                var location = response.Headers.Location is { } l ? new Uri(statusUrl, l) : null;
                return Status(JobState.Completed) with { Result = new JobResult(statusUrl, status) { Location = location, Expires = ResponseHeaders.Expires(response) } };
            case >= 200 and < 300:
                if (StillRunning(body, resource, progress))
                {
                    return Status(JobState.InProgress);
                }
                return Status(JobState.Completed) with { Result = Completed(statusUrl, response, body, resource) };
            case 429:
                return Status(JobState.Throttled);
            case 404 or 410:
                return Status(JobState.Failed) with { Error = $"The job at {statusUrl} is gone ({(int)status}): never existed, cancelled, deleted or expired." };
            default:
                var transient = outcome is not null ? IsTransient(outcome) : status is HttpStatusCode.ServiceUnavailable or HttpStatusCode.BadGateway or HttpStatusCode.GatewayTimeout;
                return Status(transient || status == HttpStatusCode.ServiceUnavailable ? JobState.TransientError : JobState.Failed)
                    with { Error = outcome is null ? $"The status request answered {(int)status} {response.ReasonPhrase}." : null };
        }
    }

    /// <summary>An outcome is transient when every error issue has a transient code.</summary>
    public static bool IsTransient(OperationOutcome outcome)
    {
        var errors = outcome.Issue.Where(i => i.Severity is OperationOutcome.IssueSeverity.Error or OperationOutcome.IssueSeverity.Fatal or null).ToList();
        return errors.Count > 0 && errors.All(i => i.Code is { } code && TransientCodes.Contains(code));
    }

    public static string Describe(OperationOutcome? outcome) =>
        outcome is null ? "" : string.Join("; ", outcome.Issue.Select(i => $"{FhirJson.Literal(i.Code)}: {i.Diagnostics ?? i.Details?.Text}"));

    public static BulkManifest? TryManifest(ReadOnlySpan<byte> body)
    {
        try
        {
            return JsonSerializer.Deserialize<BulkManifest>(body);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    // A 200 is only a result when nothing in it says "still running" (some servers answer 200 + an in-progress outcome).
    private static bool StillRunning(byte[] body, Resource? resource, string? progress)
    {
        if (resource is OperationOutcome outcome)
        {
            var informational = outcome.Issue.Count > 0 && outcome.Issue.All(i => i.Severity is OperationOutcome.IssueSeverity.Information or OperationOutcome.IssueSeverity.Warning);
            return informational && (progress is not null || outcome.Issue.Any(i => (i.Diagnostics ?? i.Details?.Text ?? "").TrimStart().StartsWith("in-progress", StringComparison.OrdinalIgnoreCase)));
        }
        if (resource is Hl7.Fhir.Model.Task task)
        {
            return task.Status is Hl7.Fhir.Model.Task.TaskStatus.InProgress or Hl7.Fhir.Model.Task.TaskStatus.Accepted or Hl7.Fhir.Model.Task.TaskStatus.Requested
                or Hl7.Fhir.Model.Task.TaskStatus.Ready or Hl7.Fhir.Model.Task.TaskStatus.Received;
        }
        if (resource is null && body.Length > 0)
        {
            try
            {
                using var document = JsonDocument.Parse(body);
                return document.RootElement.ValueKind == JsonValueKind.Object && !document.RootElement.TryGetProperty("output", out _) &&
                    document.RootElement.TryGetProperty("status", out var s) && s.ValueKind == JsonValueKind.String && RunningStatuses.Contains(s.GetString()!);
            }
            catch (JsonException)
            {
                return false;
            }
        }
        return false;
    }

    private static JobResult Completed(Uri statusUrl, HttpResponseMessage response, byte[] body, Resource? resource)
    {
        var result = new JobResult(statusUrl, response.StatusCode) { Expires = ResponseHeaders.Expires(response) };
        return resource switch
        {
            Bundle bundle => result with { Bundle = bundle },
            not null => result with { Resource = resource },
            null when body.Length > 0 && TryManifest(body) is { } manifest => result with { Manifest = manifest },
            _ => result,
        };
    }

    // Status bodies are small (an outcome, a manifest page, a Bundle); a finished interaction's body is the upstream's answer.
    private static async Task<byte[]> ReadBodyAsync(HttpResponseMessage response, CancellationToken cancellationToken) =>
        await response.Content.ReadAsByteArrayAsync(cancellationToken);
}
