namespace AsyncFacade.Tests.Callbacks;

/// <summary>Two callback hosts for the policy tests: one with an allow-list, one without (public addresses only).</summary>
public sealed class PolicyHosts : IAsyncLifetime
{
    internal CallbacksHost WithAllowList { get; private set; } = null!;

    internal CallbacksHost WithoutAllowList { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        WithAllowList = await CallbacksHost.StartAsync(new Dictionary<string, string?>
        {
            ["Callbacks:AllowedHosts:0"] = "callbacks.example.org",
            ["Callbacks:AllowedHosts:1"] = "*.hooks.example.net",
            ["Callbacks:AllowedHosts:2"] = "localhost",
            ["Callbacks:AllowedHosts:3"] = "10.0.0.5",
            ["Callbacks:AllowedHosts:4"] = "[fd00::5]",
        }, TestContext.Current.CancellationToken);
        WithoutAllowList = await CallbacksHost.StartAsync(new Dictionary<string, string?>(), TestContext.Current.CancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await WithAllowList.DisposeAsync();
        await WithoutAllowList.DisposeAsync();
    }
}
