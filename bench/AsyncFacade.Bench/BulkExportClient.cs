using System.Buffers;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;

namespace AsyncFacade.Bench;

/// <summary>
/// A Bulk Data client doing what a real one does: kick-off, long-poll the status URL, download every file,
/// then DELETE. Files are streamed and only their lines counted, so the client's memory says nothing about
/// the export's size, and each file's line count is checked against the manifest.
/// </summary>
internal sealed class BulkExportClient(HttpClient client, int parallelDownloads)
{
    // Bulk Data §status: a client may ask to be held; the server caps it (Async:MaxWaitSeconds) and answers early when the job finishes.
    private const string LongPoll = "wait=30";

    public async Task<ExportRun> ExportAsync(string kickOffUrl)
    {
        var watch = Stopwatch.StartNew();
        using var kickOff = new HttpRequestMessage(HttpMethod.Get, kickOffUrl);
        kickOff.Headers.TryAddWithoutValidation("Prefer", "respond-async");
        kickOff.Headers.TryAddWithoutValidation("Accept", "application/fhir+json");
        using var accepted = await client.SendAsync(kickOff);
        if (accepted.StatusCode != HttpStatusCode.Accepted || accepted.Content.Headers.ContentLocation is not { } statusUrl)
        {
            throw new InvalidOperationException($"Kick-off answered {(int)accepted.StatusCode}: {await accepted.Content.ReadAsStringAsync()}");
        }

        (var manifest, var polls) = await WaitForManifestAsync(statusUrl);
        var manifestSeconds = watch.Elapsed.TotalSeconds;
        long resources = 0, errorLines = 0;
        var files = manifest.Output.Select(f => (File: f, IsError: false)).Concat(manifest.Error.Select(f => (File: f, IsError: true)));
        await Parallel.ForEachAsync(files, new ParallelOptions { MaxDegreeOfParallelism = parallelDownloads }, async (entry, _) =>
        {
            var lines = await CountLinesAsync(entry.File.Url);
            if (lines != entry.File.Count)
            {
                throw new InvalidOperationException($"{entry.File.Url} has {lines} lines; the manifest says {entry.File.Count}.");
            }
            Interlocked.Add(ref entry.IsError ? ref errorLines : ref resources, lines);
        });
        var seconds = watch.Elapsed.TotalSeconds;

        using var deleted = await client.DeleteAsync(statusUrl);
        if (deleted.StatusCode != HttpStatusCode.Accepted)
        {
            throw new InvalidOperationException($"DELETE {statusUrl} answered {(int)deleted.StatusCode}.");
        }
        var types = manifest.Output.Select(f => f.Type).Distinct().Order(StringComparer.Ordinal).ToList();
        return new ExportRun(resources, manifest.Output.Count + manifest.Error.Count, errorLines, types, polls, manifestSeconds, seconds);
    }

    private async Task<(ExportManifest Manifest, int Polls)> WaitForManifestAsync(Uri statusUrl)
    {
        var deadline = Stopwatch.StartNew();
        for (var polls = 1; ; polls++)
        {
            if (deadline.Elapsed > TimeSpan.FromMinutes(30))
            {
                throw new TimeoutException($"The export at {statusUrl} did not finish within 30 minutes.");
            }
            using var poll = new HttpRequestMessage(HttpMethod.Get, statusUrl);
            poll.Headers.TryAddWithoutValidation("Prefer", LongPoll);
            poll.Headers.TryAddWithoutValidation("Accept", "application/json");
            using var response = await client.SendAsync(poll);
            switch (response.StatusCode)
            {
                case HttpStatusCode.OK:
                    return (await response.Content.ReadFromJsonAsync<ExportManifest>()
                        ?? throw new InvalidOperationException("The manifest is empty."), polls);
                case HttpStatusCode.Accepted:
                    // Held until the job changed state or the wait ran out: asking again at once is what long polling means.
                    continue;
                case HttpStatusCode.TooManyRequests:
                    await Task.Delay(response.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(1));
                    continue;
                default:
                    throw new InvalidOperationException($"Status poll answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
            }
        }
    }

    private async Task<long> CountLinesAsync(string url)
    {
        using var response = await client.GetAsync(url, HttpCompletionOption.ResponseHeadersRead);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"GET {url} answered {(int)response.StatusCode}.");
        }
        await using var body = await response.Content.ReadAsStreamAsync();
        var buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
        try
        {
            long lines = 0;
            var last = (byte)'\n';
            int read;
            while ((read = await body.ReadAsync(buffer)) > 0)
            {
                lines += buffer.AsSpan(0, read).Count((byte)'\n');
                last = buffer[read - 1];
            }
            // NDJSON may omit the final newline; a last line without one still counts.
            return last == (byte)'\n' ? lines : lines + 1;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
