using System.IO.Pipelines;
using System.Net;
using System.Text.Json;
using AsyncFacade.Server.Upstream;
using Hl7.Fhir.Model;
using Microsoft.Extensions.Options;

namespace AsyncFacade.Server.Import;

/// <summary>
/// Writes one batch to the upstream as a batch or transaction Bundle and says exactly which entries failed. A Bundle the
/// upstream rejects as a whole (a transaction with one bad entry, a 413, a server that fails the lot) is split in halves
/// until the bad entries stand alone. The upstream client does not retry POSTs (one may have been applied); a Bundle of
/// PUTs by id is idempotent, so it is retried here on 429/502/503/504 and network failures, honouring Retry-After.
/// An answer that does not say per entry what happened (Medplum's empty `return=minimal` body, no entries, entries without
/// a status) is never taken as success or failure: the entries are read back (<see cref="ImportVerifier"/>), and those
/// not stored are sent again asking for OperationOutcomes, then one by one, so each error line carries the upstream's reason.
/// </summary>
internal sealed class ImportBatchWriter(UpstreamClient upstream, ImportVerifier verifier, IOptions<ImportOptions> options, IOptions<UpstreamOptions> upstreamOptions,
    TimeProvider time, ILogger<ImportBatchWriter> logger)
{
    public Task WriteAsync(ImportBatch batch, IReadOnlyList<BatchEntry> entries, string type, List<(BatchEntry Entry, ImportProblem Problem)> failures,
        CancellationToken cancellationToken) => WriteAsync(batch, entries, type, failures, asking: false, cancellationToken);

    /// <param name="asking">A resend of entries verified as not stored: the answer must give their reasons.</param>
    private async Task WriteAsync(ImportBatch batch, IReadOnlyList<BatchEntry> entries, string type, List<(BatchEntry Entry, ImportProblem Problem)> failures,
        bool asking, CancellationToken cancellationToken)
    {
        var reply = await SendAsync(batch, entries, type, asking, cancellationToken);
        if (reply.Rejection is { } rejection)
        {
            if (rejection.Splittable && entries.Count > 1)
            {
                var half = entries.Count / 2;
                await WriteAsync(batch, Slice(entries, 0, half), type, failures, asking, cancellationToken);
                await WriteAsync(batch, Slice(entries, half, entries.Count - half), type, failures, asking, cancellationToken);
                return;
            }
            if (!asking && !rejection.Explained && rejection.Splittable && entries[0].Id is not null)
            {
                // Refused without a word (a server that empties every answer to return=minimal, OperationOutcomes
                // included): once more, asking for the outcome, so the error line can carry the upstream's reason.
                await WriteAsync(batch, entries, type, failures, asking: true, cancellationToken);
                return;
            }
            failures.AddRange(entries.Select(e => (e, rejection.Problem)));
            return;
        }
        EntryVerdict[] verdicts;
        using (reply.Answer)
        {
            verdicts = reply.Answer is { } answer
                ? BatchAnswer.Read(answer.RootElement, entries.Count, type)
                : BatchAnswer.All(entries.Count, EntryVerdict.Unknown(reply.Silence!));
        }
        for (var i = 0; i < entries.Count; i++)
        {
            if (verdicts[i] is { State: EntryState.Failed, Problem: { } problem })
            {
                failures.Add((entries[i], problem));
            }
        }
        var unknown = Enumerable.Range(0, entries.Count).Where(i => verdicts[i].State == EntryState.Unknown).ToList();
        if (unknown.Count > 0)
        {
            await SettleUnknownAsync(batch, entries, verdicts, unknown, type, failures, asking, cancellationToken);
        }
    }

    /// <summary>Reads back the entries the answer left open; what is not stored is sent again (PUTs) or reported.</summary>
    private async Task SettleUnknownAsync(ImportBatch batch, IReadOnlyList<BatchEntry> entries, EntryVerdict[] verdicts, List<int> unknown, string type,
        List<(BatchEntry Entry, ImportProblem Problem)> failures, bool asking, CancellationToken cancellationToken)
    {
        var lookups = unknown.Where(i => (entries[i].Id ?? verdicts[i].LocationId) is not null)
            .Select(i => (entries[i].Id ?? verdicts[i].LocationId!, batch.Resource(entries[i]))).ToList();
        var (stored, checkProblem) = lookups.Count > 0
            // Not the job's token, like the write itself: the batch is settled whole before a cancel takes effect.
            ? await verifier.VerifyAsync(type, lookups, CancellationToken.None)
            : (new Dictionary<string, bool>(), null);
        ImportLog.ReadBack(logger, unknown.Count, type, verdicts[unknown[0]].Hint!, stored?.Count(p => p.Value) ?? 0);
        var resend = new List<BatchEntry>();
        foreach (var i in unknown)
        {
            var (entry, verdict) = (entries[i], verdicts[i]);
            var id = entry.Id ?? verdict.LocationId;
            if (id is null)
            {
                failures.Add((entry, new ImportProblem(OperationOutcome.IssueType.Incomplete, $"{verdict.Hint}; a line without an id cannot be read back, so " +
                    "whether it was created is not known (it was not sent again: that could create it twice).")));
            }
            else if (checkProblem is not null)
            {
                failures.Add((entry, checkProblem with { Reason = $"{verdict.Hint}, and {checkProblem.Reason}; the line may or may not have been written." }));
            }
            else if (stored!.TryGetValue(id, out var same) && same)
            {
                // Written: the upstream holds what was sent (whether or not it made a new version of it).
                continue;
            }
            else if (entry.Id is not null && verdict.Problem is null)
            {
                // Not stored, so sending it again is safe; the answer to that is where its reason comes from.
                resend.Add(entry);
            }
            else
            {
                // Not stored, and the entry's own outcome says why (or, for a create, nothing more can be learnt).
                failures.Add((entry, verdict.Problem ?? new ImportProblem(OperationOutcome.IssueType.Exception,
                    $"{verdict.Hint}, and {type}/{id} that it names {(stored.ContainsKey(id) ? "holds other content" : "is not stored")}.")));
            }
        }
        if (resend.Count == 0)
        {
            return;
        }
        if (!asking)
        {
            await WriteAsync(batch, resend, type, failures, asking: true, cancellationToken);
            return;
        }
        // Still no reason from a Bundle (a server whose batch answers never say): one PUT each, whose error body is an OperationOutcome.
        foreach (var entry in resend)
        {
            if (await PutAsync(batch, entry, type, cancellationToken) is { } problem)
            {
                failures.Add((entry, problem));
            }
        }
    }

    private async Task<ImportProblem?> PutAsync(ImportBatch batch, BatchEntry entry, string type, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, new Uri($"{type}/{entry.Id}", UriKind.Relative))
        {
            Content = new ReadOnlyMemoryContent(batch.Resource(entry)),
        };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/fhir+json") { CharSet = "utf-8" };
        request.Headers.TryAddWithoutValidation("Prefer", "return=OperationOutcome");
        try
        {
            using var response = await upstream.SendAsync(request, CancellationToken.None);
            if (response.IsSuccessStatusCode)
            {
                return null;
            }
            var problem = await UpstreamOutcome.ReadAsync(response, $"the upstream answered {(int)response.StatusCode} {response.ReasonPhrase}");
            // Throttled or failing now says nothing about the line: transient, whatever code the body chose.
            return (int)response.StatusCode is 429 or >= 500 ? problem with { Code = OperationOutcome.IssueType.Transient } : problem;
        }
        catch (Exception ex) when (UpstreamClient.IsUnreachable(ex, cancellationToken))
        {
            return new ImportProblem(OperationOutcome.IssueType.Transient, $"it was not stored, and sending it again failed ({ex.GetType().Name}): {ex.Message}");
        }
    }

    private async Task<Reply> SendAsync(ImportBatch batch, IReadOnlyList<BatchEntry> entries, string type, bool asking, CancellationToken cancellationToken)
    {
        var idempotent = entries.All(e => e.Id is not null);
        var budget = new RetryBudget(upstreamOptions.Value);
        while (true)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(upstream.BaseUrl))
            {
                Content = new BundleContent(batch, entries, type, options.Value.BundleType),
            };
            // Real servers echo every resource unless told not to; only the statuses are needed. A Bundle with creates, or
            // one sent to learn why entries were not stored, asks for outcomes instead: an empty minimal answer can be
            // checked by reading back by id, which a create has none of, and gives no reasons.
            request.Headers.TryAddWithoutValidation("Prefer", asking || !idempotent ? "return=OperationOutcome" : "return=minimal");
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
                    return Reply.Rejected(Rejection.Unavailable($"the upstream could not be reached ({ex.GetType().Name}): {ex.Message}"));
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
                        return await ReadAnswerAsync(response);
                    }
                    catch (Exception ex) when (ex is JsonException or IOException)
                    {
                        // The answer was cut off or garbled: the Bundle may have been applied. PUTs by id can be sent again;
                        // past the budget (or with creates in it), what was written is read back instead.
                        if (idempotent && await budget.WaitAsync(null, time, cancellationToken))
                        {
                            continue;
                        }
                        return Reply.Silent($"the upstream's answer to the {options.Value.BundleType} was cut off or not JSON ({ex.GetType().Name})");
                    }
                }
                // 429 and 503 say the request was not processed, so even a batch with creates may be sent again.
                var transient = response.StatusCode is HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable
                    || (idempotent && response.StatusCode is HttpStatusCode.BadGateway or HttpStatusCode.GatewayTimeout);
                if (transient && await budget.WaitAsync(response, time, cancellationToken))
                {
                    continue;
                }
                var fallback = $"the upstream rejected the {options.Value.BundleType} ({status} {response.ReasonPhrase})";
                var problem = await UpstreamOutcome.ReadAsync(response, fallback);
                // Splitting finds bad entries; it cannot help when the upstream refuses us (auth) or is away.
                var splittable = status is 400 or 409 or 412 or 413 or 422 or 500;
                return Reply.Rejected(new Rejection(transient ? problem with { Code = OperationOutcome.IssueType.Transient } : problem, splittable)
                {
                    Explained = problem.Reason != fallback + ".",
                });
            }
        }
    }

    /// <summary>The answer parsed whole (one batch's worth), or <see cref="Reply.Silent"/> when its body is empty.</summary>
    private static async Task<Reply> ReadAnswerAsync(HttpResponseMessage response)
    {
        await using var body = await response.Content.ReadAsStreamAsync(CancellationToken.None);
        var reader = PipeReader.Create(body, new StreamPipeReaderOptions(leaveOpen: true));
        try
        {
            // Medplum answers a return=minimal batch 200 with the FHIR content type and no body at all (issue 14, case 2).
            var first = await reader.ReadAsync(CancellationToken.None);
            if (first.IsCompleted && first.Buffer.IsEmpty)
            {
                return Reply.Silent($"the upstream answered {(int)response.StatusCode} with an empty body");
            }
            reader.AdvanceTo(first.Buffer.Start);
            return new Reply(await JsonDocument.ParseAsync(reader.AsStream(leaveOpen: true), cancellationToken: CancellationToken.None), null, null);
        }
        finally
        {
            await reader.CompleteAsync();
        }
    }

    private static BatchEntry[] Slice(IReadOnlyList<BatchEntry> entries, int start, int count) => entries.Skip(start).Take(count).ToArray();

    /// <summary>The upstream's answer to a Bundle: parsed, silent (nothing said per entry, and why), or a rejection of the whole.</summary>
    private sealed record Reply(JsonDocument? Answer, string? Silence, Rejection? Rejection)
    {
        public static Reply Silent(string why) => new(null, why, null);

        public static Reply Rejected(Rejection rejection) => new(null, null, rejection);
    }

    private sealed record Rejection(ImportProblem Problem, bool Splittable)
    {
        /// <summary>The answer gave a reason (an OperationOutcome with text), not only a status.</summary>
        public bool Explained { get; init; } = true;

        public static Rejection Unavailable(string reason) => new(new ImportProblem(OperationOutcome.IssueType.Transient, reason), false);
    }
}
