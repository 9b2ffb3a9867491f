using AsyncFacade.Tests.Infrastructure;

namespace AsyncFacade.Client.Tests;

public sealed class SmokeTests
{
    [Fact]
    public async Task Facade_starts()
    {
        await using var app = new FacadeApplication().Start();
        using var client = new FhirAsyncClient(new Uri(app.ServerAddress, "fhir"));
        var job = await client.KickOffAsync(AsyncRequest.Get("Patient/pat-1"), TestContext.Current.CancellationToken);
        var result = await client.WaitForCompletionAsync(job, null, TestContext.Current.CancellationToken);
        Assert.NotNull(result.Bundle);
    }
}
