using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using AsyncFacade.Client.Bulk;
using AsyncFacade.Client.Tests.Infrastructure;

namespace AsyncFacade.Client.Tests.Downloads;

/// <summary>Parallel, streamed, verified and resumable downloads of a real export's files.</summary>
public sealed class DownloadTests(ExportHost fixture) : IClassFixture<ExportHost>
{
    private readonly CancellationToken ct = TestContext.Current.CancellationToken;
    private readonly ClientHost host = fixture.Host;
    private readonly JobResult export = fixture.Export;

    [Fact]
    public async Task Every_file_is_downloaded_in_parallel_and_its_lines_match_the_manifest_count()
    {
        using var dir = new TempDirectory();
        var options = ClientHost.FastOptions();
        options.MaxParallelDownloads = 3;
        var concurrency = new ConcurrencyHandler(new SocketsHttpHandler { AllowAutoRedirect = false });
        using var client = host.CreateClient(options, concurrency);
        var progress = new Recorder<DownloadProgress>();

        var report = await client.DownloadAsync(export, dir.Path, progress, ct);

        var manifest = export.Manifest!;
        Assert.Equal(100 + 300 + 1200, manifest.Output.Sum(f => f.Count));
        Assert.True(manifest.Output.Count >= 7, "several files per type");
        Assert.Equal(manifest.Output.Count + manifest.Error.Count, report.Files.Count);
        foreach (var file in report.Files.Where(f => f.Role == FileRole.Output))
        {
            Assert.Equal(file.Source.Count, file.Lines);
            Assert.Equal(file.Source.Count, File.ReadLines(file.Path).Count());
            Assert.Equal(0, file.ResumedFrom);
        }
        Assert.Equal(1600, report.Resources);
        Assert.Empty(Directory.GetFiles(dir.Path, "*.part", SearchOption.AllDirectories));
        Assert.InRange(concurrency.MaxConcurrentFiles, 2, 3);
        Assert.Equal(report.Files.Count, progress.Reports.Max(p => p.FilesDone));
    }

    [Fact]
    public async Task Error_files_are_saved_apart_and_their_issues_reported()
    {
        using var dir = new TempDirectory();
        using var client = host.CreateClient();

        var report = await client.DownloadAsync(export, dir.Path, null, ct);

        var errorFile = Assert.Single(report.Files, f => f.Role == FileRole.Error);
        Assert.Equal(Path.Combine(dir.Path, "errors"), Path.GetDirectoryName(errorFile.Path));
        Assert.True(report.ErrorLines >= 1);
        Assert.Contains(report.Issues, i => i.Diagnostics?.Contains("includeAssociatedData", StringComparison.Ordinal) == true && i.Line >= 1);
    }

    [Fact]
    public async Task A_partly_downloaded_file_resumes_with_a_byte_range()
    {
        using var dir = new TempDirectory();
        using var client = host.CreateClient();
        var first = export.Manifest!.Output[0];
        using var raw = host.App.CreateRawClient();
        var whole = await raw.GetByteArrayAsync(first.Url, ct);
        var name = new Uri(first.Url!).Segments[^1];
        // What an interrupted earlier run left behind: the first 1,000 bytes, cut mid-line.
        await File.WriteAllBytesAsync(Path.Combine(dir.Path, name + ".part"), whole[..1000], ct);

        var report = await client.DownloadAsync(export with { Manifest = export.Manifest with { Output = [first], Error = [] } }, dir.Path, null, ct);

        var file = Assert.Single(report.Files);
        Assert.Equal(1000, file.ResumedFrom);
        Assert.False(file.Restarted);
        Assert.Equal(first.Count, file.Lines);
        Assert.Equal(SHA256.HashData(whole), SHA256.HashData(await File.ReadAllBytesAsync(file.Path, ct)));
    }

    [Fact]
    public async Task A_connection_that_breaks_mid_file_is_resumed_where_it_broke()
    {
        using var dir = new TempDirectory();
        var breaking = new BreakingHandler(new SocketsHttpHandler { AllowAutoRedirect = false }, breakAfterBytes: 5000);
        using var client = host.CreateClient(null, breaking);
        var first = export.Manifest!.Output[0];

        var report = await client.DownloadAsync(export with { Manifest = export.Manifest with { Output = [first], Error = [] } }, dir.Path, null, ct);

        var file = Assert.Single(report.Files);
        Assert.Equal(2, file.Attempts);
        Assert.Equal(5000, file.ResumedFrom);
        Assert.Equal(first.Count, file.Lines);
        Assert.Equal(new RangeHeaderValue(5000, null).ToString(), breaking.Ranges.Last());
        using var raw = host.App.CreateRawClient();
        Assert.Equal(SHA256.HashData(await raw.GetByteArrayAsync(first.Url, ct)), SHA256.HashData(await File.ReadAllBytesAsync(file.Path, ct)));
    }

    [Fact]
    public async Task A_file_whose_lines_do_not_match_the_manifest_count_is_refused()
    {
        using var dir = new TempDirectory();
        using var client = host.CreateClient();
        var first = export.Manifest!.Output[0];

        var failure = await Assert.ThrowsAsync<FhirAsyncException>(() => client.DownloadAsync(
            export with { Manifest = export.Manifest with { Output = [first with { Count = first.Count + 1 }], Error = [] } }, dir.Path, null, ct));

        Assert.Equal(FailureKind.Terminal, failure.Kind);
        Assert.Contains($"the manifest says {first.Count + 1}", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Results_past_their_Expires_are_not_fetched()
    {
        using var dir = new TempDirectory();
        using var client = host.CreateClient();

        var failure = await Assert.ThrowsAsync<FhirAsyncException>(() =>
            client.DownloadAsync(export with { Expires = DateTimeOffset.UtcNow.AddSeconds(-1) }, dir.Path, null, ct));

        Assert.Equal(FailureKind.Expired, failure.Kind);
        Assert.Empty(Directory.GetFiles(dir.Path, "*", SearchOption.AllDirectories));
    }

    /// <summary>Counts file downloads in flight at once.</summary>
    private sealed class ConcurrencyHandler(HttpMessageHandler inner) : DelegatingHandler(inner)
    {
        private int current;

        public int MaxConcurrentFiles { get; private set; }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var now = Interlocked.Increment(ref current);
            lock (this)
            {
                MaxConcurrentFiles = Math.Max(MaxConcurrentFiles, now);
            }
            try
            {
                var response = await base.SendAsync(request, cancellationToken);
                await response.Content.LoadIntoBufferAsync(cancellationToken); // the test's own buffering: files here are small
                return response;
            }
            finally
            {
                Interlocked.Decrement(ref current);
            }
        }
    }
}
