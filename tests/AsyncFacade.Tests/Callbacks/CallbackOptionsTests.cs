using AsyncFacade.Server.Hosting;

namespace AsyncFacade.Tests.Callbacks;

/// <summary>`Callbacks:*` settings are validated when the host starts, with messages that name the key.</summary>
public sealed class CallbackOptionsTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("Callbacks:TimeoutSeconds", "0", "Callbacks:TimeoutSeconds must be between 1 and 120, got 0.")]
    [InlineData("Callbacks:TimeoutSeconds", "121", "Callbacks:TimeoutSeconds must be between 1 and 120, got 121.")]
    [InlineData("Callbacks:AllowedHosts:0", "https://client.example.org", "Callbacks:AllowedHosts:0 must be a host name")]
    [InlineData("Callbacks:AllowedHosts:0", "client.example.org:8443", "Callbacks:AllowedHosts:0 must be a host name")]
    [InlineData("Callbacks:AllowedHosts:0", "client.example.org/cb", "Callbacks:AllowedHosts:0 must be a host name")]
    [InlineData("Callbacks:AllowedHosts:0", "*", "Callbacks:AllowedHosts:0 must be a host name")]
    [InlineData("Callbacks:AllowedHosts:0", "*.", "Callbacks:AllowedHosts:0 must be a host name")]
    [InlineData("Callbacks:AllowedHosts:0", "a.*.example.org", "Callbacks:AllowedHosts:0 must be a host name")]
    [InlineData("Callbacks:AllowedHosts:0", " ", "Callbacks:AllowedHosts:0 must be a host name")]
    [InlineData("Callbacks:AllowedHosts:0", "bücher.example", "Callbacks:AllowedHosts:0 must be a host name")]
    [InlineData("Callbacks:SigningKey", "too-short", "Callbacks:SigningKey must be at least 16 bytes (UTF-8) when set, got 9.")]
    public async Task Invalid_setting_stops_start_up_with_a_message_naming_the_key(string key, string value, string expected)
    {
        var exception = await Assert.ThrowsAnyAsync<Exception>(() =>
            CallbacksHost.StartAsync(new Dictionary<string, string?> { [key] = value }, Token));

        var message = StartupValidation.Describe(exception);
        Assert.NotNull(message);
        Assert.Contains(expected, message);
        if (key == "Callbacks:SigningKey")
        {
            Assert.DoesNotContain(value, message); // a key, even a bad one, is not printed
        }
    }

    [Fact]
    public async Task Every_invalid_setting_is_reported_at_once()
    {
        var exception = await Assert.ThrowsAnyAsync<Exception>(() => CallbacksHost.StartAsync(new Dictionary<string, string?>
        {
            ["Callbacks:TimeoutSeconds"] = "0",
            ["Callbacks:AllowedHosts:0"] = "client.example.org",
            ["Callbacks:AllowedHosts:1"] = "http://bad",
        }, Token));

        var message = StartupValidation.Describe(exception);
        Assert.NotNull(message);
        Assert.Contains("Callbacks:TimeoutSeconds", message);
        Assert.Contains("Callbacks:AllowedHosts:1", message);
        Assert.DoesNotContain("Callbacks:AllowedHosts:0", message);
    }

    [Fact]
    public async Task Valid_settings_start()
    {
        await using var host = await CallbacksHost.StartAsync(new Dictionary<string, string?>
        {
            ["Callbacks:TimeoutSeconds"] = "120",
            ["Callbacks:AllowedHosts:0"] = "client.example.org",
            ["Callbacks:AllowedHosts:1"] = "*.hooks.example.net",
            ["Callbacks:AllowedHosts:2"] = "192.0.2.10",
            ["Callbacks:AllowedHosts:3"] = "::1",
            ["Callbacks:AllowedHosts:4"] = "xn--bcher-kva.example",
            ["Callbacks:SigningKey"] = "0123456789abcdef",
        }, Token);

        Assert.Null(await host.Policy.CheckAsync("http://[::1]:9000/cb", Token));
    }
}
