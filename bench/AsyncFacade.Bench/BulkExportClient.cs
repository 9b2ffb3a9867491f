using System.Buffers;
using System.Diagnostics;
using System.Net;
using System.Text.Json;

namespace AsyncFacade.Bench;

/// <summary>
/// A Bulk Data client doing what a real one does: kick-off, long-poll the status URL, download every file,
/// then DELETE. Files are streamed and only their lines counted, so the client's memory says nothing about
/// the export's size, and each file's line count is checked against the manifest. Meanwhile <see cref="EstimateSampler"/>
/// records what the status promised about the time left.
/// </summary>
internal sealed class BulkExportClient(HttpClient client, int parallelDownloads)
{
    public async Task<ExportRun> ExportAsync(string kickOffUrl)
    {
        var watch = Stopwatch.StartNew();
        var statusUrl = await ExportKickOff.SendAsync(client, kickOffUrl);

        using var finished = new CancellationTokenSource();
        var sampling = EstimateSampler.SampleAsync(client, statusUrl, watch, finished.Token);
        (var manifest, var polls) = await WaitForManifestAsync(statusUrl);
        var manifestSeconds = watch.Elapsed.TotalSeconds;
        await finished.CancelAsync();
        var estimates = await sampling;
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
        return new ExportRun(resources, manifest.Output.Count + manifest.Error.Count, errorLines, types, polls, manifestSeconds, seconds, estimates);
    }

    private async Task<(ExportManifest Manifest, int Polls)> WaitForManifestAsync(Uri statusUrl)
    {
        var (manifest, polls) = await StatusPoller.WaitAsync(client, statusUrl);
        return (JsonSerializer.Deserialize<ExportManifest>(manifest) ?? throw new InvalidOperationException("The manifest is empty."), polls);
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
