using System.Text.Json;
using AsyncFacade.Server.Upstream;
using Hl7.Fhir.Model;

namespace AsyncFacade.Server.Import;

/// <summary>
/// Settles what a batch answer left open by reading the resources back: `{type}?_id=a,b,…` (ids grouped so a URL stays
/// short enough for any server, each group's pages followed by their next links), each match compared with the line
/// that was sent (<see cref="ResourceContent"/>). A resource found with the same content was written; one not found, or
/// found holding something else, was not. Bounded by one batch: a few requests, pages parsed whole. Comma-separated
/// `_id` is plain FHIR search; Medplum answers ids it could never hold (not UUIDs) with no match rather than an error
/// (medplum/medplum PR #1744, "Gracefully handle malformed UUIDs in _id"; PR #854 for comma-separated values).
/// </summary>
internal sealed class ImportVerifier(UpstreamClient upstream)
{
    // Ids per URL: 1,500 characters of them keeps the whole URL under the 2,048 that proxies and servers commonly accept.
    private const int MaxIdChars = 1500;
    private const int MaxIdsPerSearch = 100;
    // A group of at most 100 ids fits in one page of most servers; a server that pages it smaller still ends within this.
    private const int MaxPagesPerSearch = 50;

    /// <returns>Per id looked up: true when stored with the content sent, false when stored with other content; absent: not found.</returns>
    public async Task<(Dictionary<string, bool>? Stored, ImportProblem? Problem)> VerifyAsync(string type, IReadOnlyList<(string Id, ReadOnlyMemory<byte> Sent)> lines,
        CancellationToken cancellationToken)
    {
        var sent = new Dictionary<string, ReadOnlyMemory<byte>>(StringComparer.Ordinal);
        foreach (var (id, bytes) in lines)
        {
            sent[id] = bytes;
        }
        var stored = new Dictionary<string, bool>(StringComparer.Ordinal);
        foreach (var group in Groups(sent.Keys))
        {
            string? url = $"{type}?_id={string.Join(',', group)}&_count={group.Count}";
            for (var page = 0; url is not null; page++)
            {
                if (page == MaxPagesPerSearch)
                {
                    return (null, new ImportProblem(OperationOutcome.IssueType.Incomplete, $"reading them back took more than {MaxPagesPerSearch} pages for {group.Count} ids"));
                }
                using var answer = await upstream.GetJsonAsync(url, cancellationToken);
                if (answer.Json is null)
                {
                    // A 4xx is the upstream refusing the search (it will refuse it again); anything else may pass.
                    var code = answer.Status is { } status && (int)status is >= 400 and < 500 && (int)status != 429
                        ? OperationOutcome.IssueType.Incomplete : OperationOutcome.IssueType.Transient;
                    return (null, new ImportProblem(code, $"reading them back ({type}?_id=…) failed: {answer.Problem}"));
                }
                url = Read(answer.Json.RootElement, type, sent, stored);
            }
        }
        return (stored, null);
    }

    /// <summary>Records the page's matches; returns its next link, or null.</summary>
    private static string? Read(JsonElement bundle, string type, Dictionary<string, ReadOnlyMemory<byte>> sent, Dictionary<string, bool> stored)
    {
        if (bundle.TryGetProperty("entry", out var entries) && entries.ValueKind == JsonValueKind.Array)
        {
            foreach (var entry in entries.EnumerateArray())
            {
                if (entry.ValueKind == JsonValueKind.Object && entry.TryGetProperty("resource", out var resource) && resource.ValueKind == JsonValueKind.Object
                    && resource.TryGetProperty("resourceType", out var t) && t.ValueKind == JsonValueKind.String && t.GetString() == type
                    && resource.TryGetProperty("id", out var i) && i.ValueKind == JsonValueKind.String && sent.TryGetValue(i.GetString()!, out var line))
                {
                    stored[i.GetString()!] = ResourceContent.Same(line, resource);
                }
            }
        }
        return Fhir.BundleLinks.Url(bundle, "next");
    }

    private static IEnumerable<List<string>> Groups(IEnumerable<string> ids)
    {
        var group = new List<string>();
        var chars = 0;
        foreach (var id in ids)
        {
            if (group.Count == MaxIdsPerSearch || (group.Count > 0 && chars + id.Length + 1 > MaxIdChars))
            {
                yield return group;
                group = [];
                chars = 0;
            }
            group.Add(id);
            chars += id.Length + 1;
        }
        if (group.Count > 0)
        {
            yield return group;
        }
    }
}
