using AsyncFacade.Client.Bulk;
using AsyncFacade.Client.Tests.Infrastructure;
using AsyncFacade.Tests.Infrastructure;

namespace AsyncFacade.Client.Tests.Downloads;

/// <summary>
/// The client against a facade whose output is in Azure Blob Storage (Azurite) with Storage:SignedLinks: the manifest
/// says no token is needed, and every file comes straight from storage by its SAS link, verified against its count.
/// </summary>
public sealed class SignedLinkDownloadTests : IAsyncDisposable
{
    private readonly CancellationToken ct = TestContext.Current.CancellationToken;
    private readonly ClientHost host = new(new Dictionary<string, string?>
    {
        ["Storage:Provider"] = "azureblob",
        ["Storage:Azure:ConnectionString"] = TestAzurite.ConnectionString,
        ["Storage:Azure:Container"] = TestAzurite.NewContainer("client"),
        ["Storage:SignedLinks"] = "true",
    });

    [Fact]
    public async Task Files_are_downloaded_from_storage_by_signed_link_without_a_token()
    {
        using var dir = new TempDirectory();
        using var client = host.CreateClient();
        var job = await client.ExportAsync(new ExportRequest { Types = ["Patient", "Observation"] }, ct);
        var export = await client.WaitForCompletionAsync(job, null, ct);

        var manifest = export.Manifest!;
        Assert.False(manifest.RequiresAccessToken);
        var storage = new Uri(TestAzurite.ConnectionString.Split(';').Single(p => p.StartsWith("BlobEndpoint=", StringComparison.Ordinal))["BlobEndpoint=".Length..]);
        Assert.All(manifest.Output, f =>
        {
            var url = new Uri(f.Url!);
            Assert.Equal(storage.Authority, url.Authority); // not the facade's host
            Assert.Contains("sig=", url.Query, StringComparison.Ordinal);
        });

        var report = await client.DownloadAsync(export, dir.Path, null, ct);

        Assert.Equal(["Observation", "Patient"], manifest.Output.Select(f => f.Type).Distinct().Order(StringComparer.Ordinal));
        Assert.All(report.Files.Where(f => f.Role == FileRole.Output), f => Assert.Equal(f.Source.Count, File.ReadLines(f.Path).Count()));
        Assert.Equal(manifest.Output.Sum(f => f.Count), report.Resources);
    }

    public ValueTask DisposeAsync() => host.DisposeAsync();
}
