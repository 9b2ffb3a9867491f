using System.Net;
using System.Text.Json;
using AsyncFacade.Tests.Infrastructure;

namespace AsyncFacade.Tests.Health;

/// <summary>Own host: this test breaks the app's output directory.</summary>
public sealed class StorageHealthTests : IAsyncLifetime
{
    private readonly CancellationToken ct = TestContext.Current.CancellationToken;
    private FacadeApplication app = null!;

    public ValueTask InitializeAsync()
    {
        app = new FacadeApplication().Start();
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        if (File.Exists(app.OutputDirectory))
        {
            File.Delete(app.OutputDirectory);
        }
        await app.DisposeAsync();
    }

    [Fact]
    public async Task An_output_store_that_cannot_be_written_fails_readiness_with_the_storage_check_named()
    {
        var client = app.CreateRawClient();
        var before = await FhirAssert.JsonAsync(await client.GetAsync("/health/ready", ct));
        Assert.Equal("Healthy", Storage(before).GetProperty("status").GetString());
        Assert.Equal("local", Storage(before).GetProperty("data").GetProperty("provider").GetString());
        Assert.Contains("local", Storage(before).GetProperty("description").GetString());

        // A file where the directory should be: no directory can be made there, not even by root (chmod would not stop root).
        Directory.Delete(app.OutputDirectory, recursive: true);
        await File.WriteAllTextAsync(app.OutputDirectory, "not a directory", ct);

        var after = await FhirAssert.JsonAsync(await client.GetAsync("/health/ready", ct), HttpStatusCode.ServiceUnavailable);
        Assert.Equal("Unhealthy", after.GetProperty("status").GetString());
        Assert.Equal("Unhealthy", Storage(after).GetProperty("status").GetString());
        Assert.Equal("local", Storage(after).GetProperty("data").GetProperty("provider").GetString());
        Assert.StartsWith("The local output store cannot be written", Storage(after).GetProperty("description").GetString());
        Assert.Equal("Healthy", after.GetProperty("checks").GetProperty("upstream").GetProperty("status").GetString());
        using var live = await client.GetAsync("/health/live", ct);
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
    }

    private static JsonElement Storage(JsonElement report) => report.GetProperty("checks").GetProperty("storage");
}
