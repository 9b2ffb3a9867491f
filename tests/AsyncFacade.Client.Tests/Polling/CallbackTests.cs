using AsyncFacade.Client.Tests.Infrastructure;

namespace AsyncFacade.Client.Tests.Polling;

/// <summary>Callbacks: the kick-off asks for one (the facade advertises them), and the client wakes when it arrives.</summary>
public sealed class CallbackTests : IAsyncLifetime
{
    private const string SigningKey = "client-test-signing-key-0123456789";
    private readonly CancellationToken ct = TestContext.Current.CancellationToken;
    private ClientHost host = null!;
    private CallbackListener listener = null!;

    public ValueTask InitializeAsync()
    {
        host = new ClientHost(new Dictionary<string, string?>
        {
            ["Callbacks:AllowedHosts:0"] = "127.0.0.1",
            ["Callbacks:SigningKey"] = SigningKey,
            ["SampleUpstream:LatencyMilliseconds"] = "1500",
        });
        listener = CallbackListener.Start(new Uri("http://127.0.0.1:0/callbacks/"), SigningKey);
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        await listener.DisposeAsync();
        await host.DisposeAsync();
    }

    [Fact]
    public async Task A_signed_callback_ends_the_wait_long_before_the_next_poll()
    {
        var options = ClientHost.FastOptions();
        options.Callbacks = listener;
        options.UseCallbacks = FeatureUse.Auto;
        // Polls are only a safety net now: the next one would come after ten minutes, past the test's deadline.
        options.CallbackPollInterval = TimeSpan.FromMinutes(10);
        using var client = host.CreateClient(options);
        Assert.True((await client.GetServerFeaturesAsync(ct)).Callbacks);

        var job = await client.KickOffAsync(AsyncRequest.Get("Patient/pat-1"), ct);
        var progress = new Recorder<JobProgress>();
        var result = await client.WaitForCompletionAsync(job, progress, ct);

        Assert.True(job.CallbackRequested);
        Assert.Contains("callback-url", job.PreferenceApplied, StringComparison.Ordinal);
        Assert.Equal(DelaySource.Callback, progress.Reports[0].DelaySource);
        Assert.Equal(TimeSpan.FromMinutes(10), progress.Reports[0].NextPollIn);
        Assert.Contains(progress.Reports, p => p.DelaySource == DelaySource.CallbackReceived);
        var callback = Assert.Single(listener.Received);
        Assert.Equal("completed", callback.Status);
        Assert.Equal(job.StatusUrl, callback.ResultUrl);
        Assert.Equal("pat-1", Assert.Single(result.Bundle!.Entry).Resource!.Id);
    }
}
