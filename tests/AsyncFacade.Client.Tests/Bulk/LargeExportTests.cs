using AsyncFacade.Client.Bulk;
using AsyncFacade.Client.Tests.Infrastructure;

namespace AsyncFacade.Client.Tests.Bulk;

/// <summary>A system export of 5,000 patients (~100,000 resources), downloaded and checked file by file.</summary>
public sealed class LargeExportTests
{
    [Fact]
    public async Task A_hundred_thousand_resource_export_arrives_complete_in_every_file()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = new ClientHost(new Dictionary<string, string?> { ["SampleUpstream:Patients"] = "5000", ["Export:MaxResourcesPerFile"] = "20000" });
        using var dir = new TempDirectory();
        var options = ClientHost.FastOptions();
        options.LongPolling = FeatureUse.Auto;
        options.MaxParallelDownloads = 4;
        using var client = host.CreateClient(options);

        var job = await client.ExportAsync(new ExportRequest(), ct);
        var result = await client.WaitForCompletionAsync(job, null, ct);
        var report = await client.DownloadAsync(result, dir.Path, null, ct);

        var manifest = result.Manifest!;
        Assert.Empty(manifest.Error);
        Assert.All(report.Files, f => Assert.Equal(f.Source.Count, f.Lines));
        Assert.All(report.Files, f => Assert.Equal(f.Lines, File.ReadLines(f.Path).Count()));
        var byType = report.Files.GroupBy(f => f.Source.Type!).ToDictionary(g => g.Key, g => g.Sum(f => f.Lines));
        Assert.Equal(5_000, byType["Patient"]);
        Assert.Equal(60_000, byType["Observation"]);
        Assert.Equal(15_000, byType["Encounter"]);
        Assert.Equal(10_000, byType["Condition"]);
        Assert.Equal(10_000, byType["MedicationRequest"]);
        Assert.True(report.Resources >= 100_000, $"{report.Resources} resources");
        Assert.Equal(manifest.Output.Sum(f => f.Count), report.Resources);
        Assert.True(manifest.Output.Count(f => f.Type == "Observation") >= 3, "big types come in several files");
        Assert.True(await client.CancelAsync(job.StatusUrl, ct));
    }
}
