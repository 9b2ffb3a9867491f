using System.Net;
using System.Text.Json;
using AsyncFacade.Server.Upstream;
using Hl7.Fhir.Model;
using Microsoft.Extensions.Options;

namespace AsyncFacade.Server.Import;

/// <summary>
/// Writes one batch to the upstream as a batch or transaction Bundle and says which entries failed. A Bundle the upstream
/// rejects as a whole (a transaction with one bad entry, a 413, a server that fails the lot) is split in halves until the
/// bad entries stand alone. The upstream client does not retry POSTs (one may have been applied); a Bundle of PUTs by id
/// is idempotent, so it is retried here on 429/502/503/504 and network failures, honouring Retry-After.
/// </summary>
internal sealed class ImportBatchWriter(UpstreamClient upstream, IOptions<ImportOptions> options, IOptions<UpstreamOptions> upstreamOptions, TimeProvider time)
{
    public async Task WriteAsync(ImportBatch batch, IReadOnlyList<BatchEntry> entries, string type, List<(BatchEntry Entry, ImportProblem Problem)> failures,
        CancellationToken cancellationToken)
    {
        var (responses, rejection) = await SendAsync(batch, entries, type, cancellationToken);
        if (responses is not null)
        {
            using (responses)
            {
                ReadResponses(responses.RootElement, entries, failures);
            }
            return;
        }
        if (rejection!.Splittable && entries.Count > 1)
        {
            var half = entries.Count / 2;
            await WriteAsync(batch, Slice(entries, 0, half), type, failures, cancellationToken);
            await WriteAsync(batch, Slice(entries, half, entries.Count - half), type, failures, cancellationToken);
            return;
        }
        failures.AddRange(entries.Select(e => (e, rejection.Problem)));
    }

    private async Task<(JsonDocument? Responses, Rejection? Rejection)> SendAsync(ImportBatch batch, IReadOnlyList<BatchEntry> entries, string type,
        CancellationToken cancellationToken)
    {
        var idempotent = entries.All(e => e.Id is not null);
        var budget = new RetryBudget(upstreamOptions.Value);
        while (true)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(upstream.BaseUrl))
            {
                Content = new BundleContent(batch, entries, type, options.Value.BundleType),
            };
            // Real servers echo every resource unless told not to; only the statuses are needed.
            request.Headers.TryAddWithoutValidation("Prefer", "return=minimal");
            HttpResponseMessage response;
            try
            {
                // Not the job's token: a cancel takes effect between batches, never half-way through one.
                response = await upstream.SendAsync(request, CancellationToken.None);
            }
            // Refused credentials are not "unreachable": they fail the whole job with `login` (UpstreamAuthException).
            catch (Exception ex) when (ex is (HttpRequestException and not Upstream.Credentials.UpstreamAuthException)
                                           or Polly.Timeout.TimeoutRejectedException or TaskCanceledException)
            {
                if (!idempotent || !await budget.WaitAsync(null, time, cancellationToken))
                {
                    return (null, Rejection.Unavailable($"the upstream could not be reached ({ex.GetType().Name}): {ex.Message}"));
                }
                continue;
            }
            using (response)
            {
                var status = (int)response.StatusCode;
                if (response.IsSuccessStatusCode)
                {
                    try
                    {
                        await using var body = await response.Content.ReadAsStreamAsync(CancellationToken.None);
                        return (await JsonDocument.ParseAsync(body, cancellationToken: CancellationToken.None), null);
                    }
                    catch (Exception ex) when (ex is JsonException or IOException)
                    {
                        // The answer was cut off or garbled: the Bundle may have been applied. PUTs by id can be sent again.
                        if (idempotent && await budget.WaitAsync(null, time, cancellationToken))
                        {
                            continue;
                        }
                        return (null, Rejection.Unavailable($"the upstream's answer to the {options.Value.BundleType} was cut off or not JSON " +
                            $"({ex.GetType().Name}); the lines may or may not have been written."));
                    }
                }
                // 429 and 503 say the request was not processed, so even a batch with creates may be sent again.
                var transient = response.StatusCode is HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable
                    || (idempotent && response.StatusCode is HttpStatusCode.BadGateway or HttpStatusCode.GatewayTimeout);
                if (transient && await budget.WaitAsync(response, time, cancellationToken))
                {
                    continue;
                }
                var problem = await UpstreamOutcome.ReadAsync(response, $"the upstream rejected the {options.Value.BundleType} ({status} {response.ReasonPhrase})");
                // Splitting finds bad entries; it cannot help when the upstream refuses us (auth) or is away.
                var splittable = status is 400 or 409 or 412 or 413 or 422 or 500;
                return (null, new Rejection(transient ? problem with { Code = OperationOutcome.IssueType.Transient } : problem, splittable));
            }
        }
    }

    private static void ReadResponses(JsonElement bundle, IReadOnlyList<BatchEntry> entries, List<(BatchEntry, ImportProblem)> failures)
    {
        if (bundle.ValueKind != JsonValueKind.Object || !bundle.TryGetProperty("entry", out var list) || list.ValueKind != JsonValueKind.Array
            || list.GetArrayLength() != entries.Count)
        {
            var problem = new ImportProblem(OperationOutcome.IssueType.Exception, "the upstream's answer is not a response Bundle with one entry per request; the line may or may not have been written.");
            failures.AddRange(entries.Select(e => (e, problem)));
            return;
        }
        var i = 0;
        foreach (var entry in list.EnumerateArray())
        {
            var response = entry.TryGetProperty("response", out var r) ? r : default;
            var status = response.ValueKind == JsonValueKind.Object && response.TryGetProperty("status", out var s) && s.ValueKind == JsonValueKind.String
                ? s.GetString()! : "";
            if (!status.StartsWith('2'))
            {
                var outcome = response.ValueKind == JsonValueKind.Object && response.TryGetProperty("outcome", out var o) ? o : default;
                failures.Add((entries[i], UpstreamOutcome.Read(outcome, $"the upstream answered {(status.Length > 0 ? status : "no status")}")));
            }
            i++;
        }
    }

    private static BatchEntry[] Slice(IReadOnlyList<BatchEntry> entries, int start, int count) => entries.Skip(start).Take(count).ToArray();

    private sealed record Rejection(ImportProblem Problem, bool Splittable)
    {
        public static Rejection Unavailable(string reason) => new(new ImportProblem(OperationOutcome.IssueType.Transient, reason), false);
    }
}
