using System.Text;
using System.Text.Json;
using AsyncFacade.Server.Export.Paging;
using AsyncFacade.Server.Jobs;
using AsyncFacade.Server.Storage;
using AsyncFacade.Server.Upstream;
using Hl7.Fhir.Model;

namespace AsyncFacade.Server.Export;

/// <summary>
/// `deleted[]` of a `_since` export: resources deleted between `_since` and the transaction time. Read from each type's
/// `_history` where the upstream has it; otherwise from its system `_history`, keeping the entries of those types; where
/// neither exists (Medplum has neither), the error file says so per type (`not-supported`, informational), so an empty
/// `deleted[]` is never mistaken for "nothing was deleted". Each NDJSON line is a transaction Bundle with one DELETE entry,
/// as the Bulk Data manifest specifies. History pages are small (one at a time, parsed and let go).
/// </summary>
internal sealed class DeletedResources(HistoryPager history, IOutputStore output)
{
    public const string FileName = "Bundle-deleted-1.ndjson";

    /// <param name="typeHistory">Those of <paramref name="types"/> whose type `_history` the upstream advertises.</param>
    /// <param name="error">Receives error-file lines (one OperationOutcome each).</param>
    /// <returns>The deleted-resources file, or null when nothing was deleted.</returns>
    public async Task<ExportFile?> WriteAsync(string jobId, IReadOnlyList<string> types, IReadOnlyList<string> typeHistory, DateTimeOffset since,
        DateTimeOffset transactionTime, int pageSize, Action<string> error, CancellationToken cancellationToken)
    {
        var sinceParameter = "_since=" + Uri.EscapeDataString(ExportPlan.Instant(since)) + "&_count=" + pageSize;
        await using var writer = await output.CreateAsync(ExportJobs.FileKey(jobId, FileName), cancellationToken);
        var deletions = new Deletions(writer.Content, transactionTime);
        var withoutTypeHistory = new List<string>();
        foreach (var type in types)
        {
            if (!typeHistory.Contains(type))
            {
                withoutTypeHistory.Add(type);
                continue;
            }
            var read = await ReadHistoryAsync($"{type}/_history?{sinceParameter}", deletions, t => t == type, cancellationToken);
            if (read is { Refused: true })
            {
                withoutTypeHistory.Add(type); // listed but refused (404, 405…): the system history may still have it
            }
            else if (read is { Problem: { } problem })
            {
                error(ExportErrors.Line(type, OperationOutcome.IssueType.Transient,
                    $"Resources of {type} deleted since {ExportPlan.Instant(since)} could not all be listed in deleted[]: its history could not be read ({problem})."));
            }
        }
        if (withoutTypeHistory.Count > 0)
        {
            var wanted = withoutTypeHistory.ToHashSet(StringComparer.Ordinal);
            var read = await ReadHistoryAsync($"_history?{sinceParameter}", deletions, wanted.Contains, cancellationToken);
            if (read.Problem is { } problem)
            {
                foreach (var type in withoutTypeHistory)
                {
                    error(read.Refused
                        ? ExportErrors.Line(type, OperationOutcome.IssueType.NotSupported,
                            $"The upstream has no history for {type} (neither {type}/_history nor a system _history), so resources of {type} deleted since " +
                            $"{ExportPlan.Instant(since)} cannot be listed in deleted[].", OperationOutcome.IssueSeverity.Information)
                        : ExportErrors.Line(type, OperationOutcome.IssueType.Transient,
                            $"Resources of {type} deleted since {ExportPlan.Instant(since)} could not all be listed in deleted[]: the system history could not be read ({problem})."));
                }
            }
        }
        if (deletions.Count == 0)
        {
            return null; // disposed uncommitted: no empty file
        }
        await writer.CommitAsync(cancellationToken);
        return new ExportFile("Bundle", FileName, deletions.Count, writer.Length);
    }

    /// <summary>What reading one history gave: nothing wrong, a refusal (4xx: the interaction does not exist), or another problem.</summary>
    private sealed record HistoryRead(string? Problem, bool Refused);

    private async Task<HistoryRead> ReadHistoryAsync(string first, Deletions deletions, Func<string, bool> keep, CancellationToken cancellationToken) =>
        await history.ReadAllAsync(first, (page, token) => deletions.AddAsync(page, keep, token), cancellationToken) switch
        {
            PageOutcome.Refused refused => new HistoryRead(refused.Reason, Refused: true),
            PageOutcome.Transient transient => new HistoryRead(transient.Reason, Refused: false),
            _ => new HistoryRead(null, false),
        };

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    /// <summary>The deletions found so far, written as they are found; a resource deleted twice (or seen in two histories) is listed once.</summary>
    private sealed class Deletions(Stream ndjson, DateTimeOffset transactionTime)
    {
        private readonly HashSet<string> listed = new(StringComparer.Ordinal);

        public long Count => listed.Count;

        public async Task AddAsync(JsonElement bundle, Func<string, bool> keep, CancellationToken cancellationToken)
        {
            if (bundle.ValueKind != JsonValueKind.Object || !bundle.TryGetProperty("entry", out var entries) || entries.ValueKind != JsonValueKind.Array)
            {
                return;
            }
            foreach (var entry in entries.EnumerateArray())
            {
                if (DeletedReference(entry) is not { } reference || !keep(reference[..reference.IndexOf('/', StringComparison.Ordinal)])
                    || DeletedAfterTransaction(entry) || !listed.Add(reference))
                {
                    continue;
                }
                var line = """{"resourceType":"Bundle","type":"transaction","entry":[{"request":{"method":"DELETE","url":""" + JsonSerializer.Serialize(reference) + "}}]}\n";
                await ndjson.WriteAsync(Encoding.UTF8.GetBytes(line), cancellationToken);
            }
        }

        /// <summary>
        /// `Type/id` of a history entry that records a delete: `request.method` DELETE (HAPI, Firely, the Microsoft server),
        /// or no resource with a 204/410 response (servers that leave `request` out). The URL may carry a base or `/_history/n`.
        /// </summary>
        private static string? DeletedReference(JsonElement entry)
        {
            if (entry.ValueKind != JsonValueKind.Object)
            {
                return null;
            }
            var request = entry.TryGetProperty("request", out var r) && r.ValueKind == JsonValueKind.Object ? r : default;
            var method = request.ValueKind == JsonValueKind.Object ? Text(request, "method") : null;
            var status = entry.TryGetProperty("response", out var response) && response.ValueKind == JsonValueKind.Object ? Text(response, "status") : null;
            var deleted = method == "DELETE" || (method is null && !entry.TryGetProperty("resource", out _) && status is not null
                && (status.StartsWith("204", StringComparison.Ordinal) || status.StartsWith("410", StringComparison.Ordinal)));
            if (!deleted)
            {
                return null;
            }
            return Reference((request.ValueKind == JsonValueKind.Object ? Text(request, "url") : null) ?? Text(entry, "fullUrl"));
        }

        private static string? Reference(string? url)
        {
            if (url is null)
            {
                return null;
            }
            var path = url.Split('?', 2)[0].TrimEnd('/');
            var history = path.IndexOf("/_history/", StringComparison.Ordinal);
            var segments = (history >= 0 ? path[..history] : path).Split('/');
            return segments.Length >= 2 && ModelInfo.IsKnownResource(segments[^2]) && Import.ResourceId.IsValid(segments[^1]) ? $"{segments[^2]}/{segments[^1]}" : null;
        }

        private bool DeletedAfterTransaction(JsonElement entry) =>
            // A deletion after the transaction time belongs to a later export, like any other change.
            entry.TryGetProperty("response", out var response) && response.ValueKind == JsonValueKind.Object && Text(response, "lastModified") is { } when
            && DateTimeOffset.TryParse(when, System.Globalization.CultureInfo.InvariantCulture, out var deletedAt) && deletedAt > transactionTime;
    }
}
