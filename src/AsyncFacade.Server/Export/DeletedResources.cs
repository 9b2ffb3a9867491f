using System.Text;
using System.Text.Json;
using AsyncFacade.Server.Storage;
using AsyncFacade.Server.Upstream;

namespace AsyncFacade.Server.Export;

/// <summary>
/// `deleted[]` of a `_since` export: resources deleted between `_since` and the transaction time, read from the
/// upstream's type-level `_history`. Each NDJSON line is a transaction Bundle with one DELETE entry, as the Bulk
/// Data manifest specifies. History pages are small (one page at a time, parsed and let go).
/// </summary>
internal sealed class DeletedResources(UpstreamClient upstream, IOutputStore output)
{
    public const string FileName = "Bundle-deleted-1.ndjson";

    /// <returns>The deleted-resources file, or null when nothing was deleted.</returns>
    public async Task<ExportFile?> WriteAsync(string jobId, IEnumerable<string> types, DateTimeOffset since, DateTimeOffset transactionTime,
        int pageSize, Action<string, string> fail, CancellationToken cancellationToken)
    {
        await using var writer = await output.CreateAsync(ExportJobs.FileKey(jobId, FileName), cancellationToken);
        long count = 0;
        foreach (var type in types)
        {
            string? next = $"{type}/_history?_since={Uri.EscapeDataString(since.ToUniversalTime().ToString("O"))}&_count={pageSize}";
            while (next is not null)
            {
                using var answer = await upstream.GetJsonAsync(next, cancellationToken);
                if (answer.Json is not { } page)
                {
                    fail(type, $"its history could not be read ({answer.Problem}), so deletions are not reported");
                    break;
                }
                count += await WriteDeletionsAsync(page.RootElement, transactionTime, writer.Content, cancellationToken);
                next = NextLink(page.RootElement);
            }
        }
        if (count == 0)
        {
            return null; // disposed uncommitted: no empty file
        }
        await writer.CommitAsync(cancellationToken);
        return new ExportFile("Bundle", FileName, count, writer.Length);
    }

    private static async Task<long> WriteDeletionsAsync(JsonElement bundle, DateTimeOffset transactionTime, Stream ndjson, CancellationToken cancellationToken)
    {
        long written = 0;
        if (!bundle.TryGetProperty("entry", out var entries))
        {
            return 0;
        }
        foreach (var entry in entries.EnumerateArray())
        {
            if (!entry.TryGetProperty("request", out var request) || request.GetProperty("method").GetString() != "DELETE" ||
                request.GetProperty("url").GetString() is not { } url)
            {
                continue;
            }
            // A deletion after the transaction time belongs to a later export, like any other change.
            if (entry.TryGetProperty("response", out var response) && response.TryGetProperty("lastModified", out var when) &&
                DateTimeOffset.TryParse(when.GetString(), out var deletedAt) && deletedAt > transactionTime)
            {
                continue;
            }
            var line = """{"resourceType":"Bundle","type":"transaction","entry":[{"request":{"method":"DELETE","url":""" + JsonSerializer.Serialize(url) + "}}]}";
            await ndjson.WriteAsync(Encoding.UTF8.GetBytes(line + "\n"), cancellationToken);
            written++;
        }
        return written;
    }

    private static string? NextLink(JsonElement bundle) =>
        bundle.TryGetProperty("link", out var links)
            ? links.EnumerateArray().Where(l => l.GetProperty("relation").GetString() == "next").Select(l => l.GetProperty("url").GetString()).FirstOrDefault()
            : null;
}
