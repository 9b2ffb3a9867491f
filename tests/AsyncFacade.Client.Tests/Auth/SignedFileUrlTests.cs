using AsyncFacade.Client.Bulk;
using AsyncFacade.Client.Tests.Infrastructure;

namespace AsyncFacade.Client.Tests.Auth;

/// <summary>`requiresAccessToken: false` (signed file URLs): the token stays off the file requests.</summary>
public sealed class SignedFileUrlTests(SignedUrlAuthHost fixture) : IClassFixture<SignedUrlAuthHost>
{
    [Fact]
    public async Task Files_that_need_no_token_are_fetched_without_one()
    {
        var ct = TestContext.Current.CancellationToken;
        using var dir = new TempDirectory();
        var wire = new RecordingHandler();
        using var client = fixture.Inner.CreateClient(AuthHost.EcClient, fixture.Inner.EcPrivatePem, wire);

        var job = await client.ExportAsync(new ExportRequest { Types = ["Patient"] }, ct);
        var result = await client.WaitForCompletionAsync(job, null, ct);
        var report = await client.DownloadAsync(result, dir.Path, null, ct);

        Assert.False(result.Manifest!.RequiresAccessToken);
        Assert.Equal(100, report.Resources);
        var files = wire.Exchanges.Where(e => e.Path.Contains("/files/", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(files);
        Assert.All(files, e => Assert.Null(e.Token));
        Assert.All(wire.Exchanges.Where(e => e.Path.Contains("/_async/", StringComparison.Ordinal) && !e.Path.Contains("/files/", StringComparison.Ordinal)),
            e => Assert.NotNull(e.Token));
    }
}
