using AsyncFacade.Client.Bulk;
using AsyncFacade.Client.Tests.Infrastructure;

namespace AsyncFacade.Client.Tests.Downloads;

/// <summary>A facade with small export files (many per type), and one finished export of it shared by the download tests.</summary>
public sealed class ExportHost : IAsyncLifetime
{
    public ClientHost Host { get; private set; } = null!;

    /// <summary>Patient, Observation and Encounter of 100 patients, at most 250 resources per file.</summary>
    public JobResult Export { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        Host = new ClientHost(new Dictionary<string, string?> { ["Export:MaxResourcesPerFile"] = "250", ["Export:PageSize"] = "250" });
        using var client = Host.CreateClient();
        var ct = TestContext.Current.CancellationToken;
        var job = await client.ExportAsync(new ExportRequest { Types = ["Patient", "Observation", "Encounter"], IncludeAssociatedData = ["LatestProvenanceResources"] }, ct);
        Export = await client.WaitForCompletionAsync(job, null, ct);
    }

    public ValueTask DisposeAsync() => Host.DisposeAsync();
}
