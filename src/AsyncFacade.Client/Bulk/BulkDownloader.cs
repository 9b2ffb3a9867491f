using System.Buffers;
using System.Net;
using System.Net.Http.Headers;
using Hl7.Fhir.Model;

namespace AsyncFacade.Client.Bulk;

/// <summary>
/// Downloads a manifest's files: a bounded number at once, each streamed to `{name}.part` on disk (never held in memory)
/// and renamed when complete. An interrupted file resumes with `Range: bytes=N-`; a server that answers 200 instead gets
/// the whole file again. Line counts are checked against the manifest's `count`; error files go to `errors/` and their
/// issues are reported; `deleted` files to `deleted/`. Files get the bearer token only when `requiresAccessToken` says so.
/// </summary>
internal sealed class BulkDownloader(HttpClient authorized, HttpClient anonymous, FhirAsyncClientOptions options)
{
    private const int BufferSize = 81920;
    private const int MaxIssues = 100;
    private long bytes;
    private long resources;
    private int filesDone;

    public async Task<DownloadReport> DownloadAsync(BulkManifest manifest, DateTimeOffset? expires, string directory, IProgress<DownloadProgress>? progress,
        CancellationToken cancellationToken)
    {
        ThrowIfExpired(expires, "the manifest");
        var files = manifest.Output.Select(f => (File: f, Role: FileRole.Output))
            .Concat(manifest.Error.Select(f => (File: f, Role: FileRole.Error)))
            .Concat(manifest.Deleted.Select(f => (File: f, Role: FileRole.Deleted)))
            .Where(f => f.File.Url is not null) // $import manifests count their outputs without a file
            .ToList();
        var paths = LocalPaths(files, directory);
        var results = new DownloadedFile[files.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, files.Count),
            new ParallelOptions { MaxDegreeOfParallelism = options.MaxParallelDownloads, CancellationToken = cancellationToken },
            async (i, token) =>
            {
                results[i] = await DownloadFileAsync(files[i].File, files[i].Role, paths[i], manifest.RequiresAccessToken, expires, files.Count, progress, token);
                Interlocked.Increment(ref filesDone);
                progress?.Report(new DownloadProgress(Volatile.Read(ref filesDone), files.Count, Interlocked.Read(ref bytes), Interlocked.Read(ref resources), null));
            });
        var (issues, errorLines) = await ReadIssuesAsync(results.Where(r => r.Role == FileRole.Error), cancellationToken);
        return new DownloadReport(results, issues, errorLines);
    }

    private async Task<DownloadedFile> DownloadFileAsync(ManifestFile file, FileRole role, string path, bool withToken, DateTimeOffset? expires, int total,
        IProgress<DownloadProgress>? progress, CancellationToken cancellationToken)
    {
        var part = path + ".part";
        var url = new Uri(file.Url!);
        var backoff = new Backoff(options);
        var (errors, attempts, restarted, resumedFrom, recounted) = (0, 0, false, 0L, false);
        while (true)
        {
            attempts++;
            ThrowIfExpired(expires, url.ToString());
            var counter = File.Exists(part) ? await LineCounter.OfFileAsync(part, cancellationToken) : new LineCounter();
            var offset = counter.Bytes;
            TimeSpan? retryIn = null;
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, url);
                request.Headers.Accept.ParseAdd("application/fhir+ndjson");
                if (offset > 0)
                {
                    request.Headers.Range = new RangeHeaderValue(offset, null);
                }
                // A file URL may be another host's (pre-signed) URL: the token goes only where the manifest asks for it.
                using var response = await (withToken ? authorized : anonymous).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
                switch (response.StatusCode)
                {
                    case HttpStatusCode.PartialContent when response.Content.Headers.ContentRange?.From == offset:
                        resumedFrom = offset;
                        await CopyAsync(response, part, append: true, counter, role, url.ToString(), total, progress, cancellationToken);
                        break;
                    case HttpStatusCode.OK:
                        // Either a first attempt, or a server that ignores Range: start the file again.
                        restarted |= offset > 0;
                        Interlocked.Add(ref resources, role == FileRole.Output ? -counter.Lines : 0);
                        counter = new LineCounter();
                        await CopyAsync(response, part, append: false, counter, role, url.ToString(), total, progress, cancellationToken);
                        break;
                    case HttpStatusCode.RequestedRangeNotSatisfiable when response.Content.Headers.ContentRange?.Length == offset:
                        break; // the part file already holds every byte
                    case HttpStatusCode.PartialContent or HttpStatusCode.RequestedRangeNotSatisfiable:
                        File.Delete(part); // a range we did not ask for: the file changed, start over
                        continue;
                    case HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden:
                        throw new FhirAsyncException(FailureKind.Unauthorized, $"GET {file.Url} answered {(int)response.StatusCode}.", response.StatusCode);
                    case HttpStatusCode.NotFound or HttpStatusCode.Gone:
                        var expired = expires is { } e && options.TimeProvider.GetUtcNow() >= e;
                        throw new FhirAsyncException(expired ? FailureKind.Expired : FailureKind.Terminal,
                            $"GET {file.Url} answered {(int)response.StatusCode}{(expired ? $": the files expired at {expires:O}" : "")}.", response.StatusCode);
                    case HttpStatusCode.TooManyRequests or >= HttpStatusCode.InternalServerError:
                        retryIn = ResponseHeaders.RetryAfter(response, options.TimeProvider) ?? backoff.Next();
                        if (++errors > options.MaxTransientErrors)
                        {
                            throw new FhirAsyncException(FailureKind.Transient, $"GET {file.Url} kept failing; last answer {(int)response.StatusCode}.", response.StatusCode);
                        }
                        break;
                    default:
                        throw new FhirAsyncException(FailureKind.Terminal, $"GET {file.Url} answered {(int)response.StatusCode}.", response.StatusCode);
                }
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested && ex is HttpRequestException or IOException or OperationCanceledException)
            {
                // The connection broke mid-file: what reached the part file stays, the next attempt asks for the rest.
                if (++errors > options.MaxTransientErrors)
                {
                    throw new FhirAsyncException(FailureKind.Transient, $"GET {file.Url} kept failing: {ex.Message}", inner: ex);
                }
                retryIn = backoff.Next();
            }
            if (retryIn is { } delay)
            {
                await Task.Delay(delay, options.TimeProvider, cancellationToken);
                continue;
            }

            var lines = File.Exists(part) ? (await LineCounter.OfFileAsync(part, cancellationToken)).Lines : 0;
            if (file.Count is { } expected && lines != expected)
            {
                // Once more from scratch (a corrupt resume); twice wrong is the server's count or content.
                if (!recounted)
                {
                    recounted = true;
                    File.Delete(part);
                    continue;
                }
                throw new FhirAsyncException(FailureKind.Terminal, $"{file.Url} has {lines} lines; the manifest says {expected}.");
            }
            if (!File.Exists(part))
            {
                await File.WriteAllBytesAsync(part, [], cancellationToken);
            }
            File.Move(part, path, overwrite: true);
            return new DownloadedFile(file, role, path, new FileInfo(path).Length, lines, resumedFrom, restarted, attempts);
        }
    }

    private async Task CopyAsync(HttpResponseMessage response, string part, bool append, LineCounter counter, FileRole role, string name, int total,
        IProgress<DownloadProgress>? progress, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
            await using var file = new FileStream(part, append ? FileMode.Append : FileMode.Create, FileAccess.Write, FileShare.None, 1, useAsync: true);
            long sinceReport = 0;
            int read;
            while ((read = await body.ReadAsync(buffer, cancellationToken)) > 0)
            {
                var before = counter.Lines;
                await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                counter.Add(buffer.AsSpan(0, read));
                Interlocked.Add(ref bytes, read);
                if (role == FileRole.Output)
                {
                    Interlocked.Add(ref resources, counter.Lines - before);
                }
                if ((sinceReport += read) >= 1 << 20)
                {
                    sinceReport = 0;
                    progress?.Report(new DownloadProgress(Volatile.Read(ref filesDone), total, Interlocked.Read(ref bytes), Interlocked.Read(ref resources), name));
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private void ThrowIfExpired(DateTimeOffset? expires, string what)
    {
        if (expires is { } e && options.TimeProvider.GetUtcNow() >= e)
        {
            throw new FhirAsyncException(FailureKind.Expired, $"Too late for {what}: the results expired at {e:O}.");
        }
    }

    /// <summary>`{dir}/{name}`, `{dir}/errors/{name}`, `{dir}/deleted/{name}`, the name from the URL (made unique and safe).</summary>
    private static List<string> LocalPaths(List<(ManifestFile File, FileRole Role)> files, string directory)
    {
        var used = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var paths = new List<string>();
        foreach (var (file, role) in files)
        {
            var folder = role switch { FileRole.Error => Path.Combine(directory, "errors"), FileRole.Deleted => Path.Combine(directory, "deleted"), _ => directory };
            Directory.CreateDirectory(folder);
            var name = new Uri(file.Url!).Segments[^1];
            name = string.Concat(Uri.UnescapeDataString(name).Select(c => Path.GetInvalidFileNameChars().Contains(c) ? '_' : c));
            if (name.Length == 0 || name is "." or "..")
            {
                name = (file.Type ?? "file") + ".ndjson";
            }
            var candidate = Path.Combine(folder, name);
            for (var n = 2; !used.Add(candidate); n++)
            {
                candidate = Path.Combine(folder, $"{Path.GetFileNameWithoutExtension(name)}-{n}{Path.GetExtension(name)}");
            }
            paths.Add(candidate);
        }
        return paths;
    }

    private static async Task<(List<ErrorIssue> Issues, long Lines)> ReadIssuesAsync(IEnumerable<DownloadedFile> errorFiles, CancellationToken cancellationToken)
    {
        var issues = new List<ErrorIssue>();
        long lines = 0;
        foreach (var file in errorFiles)
        {
            using var reader = new StreamReader(file.Path);
            long number = 0;
            while (await reader.ReadLineAsync(cancellationToken) is { } line)
            {
                number++;
                if (string.IsNullOrWhiteSpace(line))
                {
                    continue;
                }
                lines++;
                if (issues.Count < MaxIssues && FhirJson.TryParse(System.Text.Encoding.UTF8.GetBytes(line)) is OperationOutcome outcome)
                {
                    issues.AddRange(outcome.Issue.Take(MaxIssues - issues.Count).Select(i =>
                        new ErrorIssue(file.Path, number, FhirJson.Literal(i.Severity), FhirJson.Literal(i.Code), i.Diagnostics ?? i.Details?.Text)));
                }
            }
        }
        return (issues, lines);
    }
}
