using AsyncFacade.Tests.Infrastructure;

namespace AsyncFacade.Tests.Hosting;

/// <summary>A bad setting stops the real server process at start-up with a message naming the key.</summary>
public sealed class ConfigurationValidationTests
{
    [Theory]
    [InlineData("Upstream:BaseUrl", "not a url")]
    [InlineData("Upstream:BaseUrl", "ftp://example.org/fhir")]
    [InlineData("Upstream:TimeoutSeconds", "0")]
    [InlineData("Jobs:WorkerCount", "0")]
    [InlineData("Jobs:QueuePollIntervalMs", "1")]
    [InlineData("Async:ResultTtl", "00:00:00")]
    [InlineData("Async:MaxWaitSeconds", "-1")]
    [InlineData("Jobs:OrphanAfterSeconds", "2")]
    [InlineData("Callbacks:TimeoutSeconds", "0")]
    [InlineData("Callbacks:AllowedHosts:0", "http://not-a-host/")]
    [InlineData("Import:BatchSize", "0")]
    [InlineData("Import:AllowedHosts:0", "http://not-a-host/")]
    [InlineData("Server:PublicBaseUrl", "/relative")]
    [InlineData("Server:Role", "Api")]
    [InlineData("SampleUpstream:Patients", "-1")]
    [InlineData("SampleUpstream:BasePath", "no-slash")]
    [InlineData("SampleUpstream:Faults", "404;p=0.5")]
    [InlineData("Upstream:RetryBudgetSeconds", "-1")]
    [InlineData("Server:Role", "Bogus")]
    [InlineData("DataProtection:KeyEncryptionKey", "c2hvcnQ=")] // base64, but 5 bytes
    [InlineData("Auth:Enabled", "true")]          // no signing keys, no audience
    [InlineData("Auth:ClockSkewSeconds", "-1")]
    [InlineData("Auth:Authority", "not a url")]
    [InlineData("Auth:Authority", "http://idp.example.test/realm")] // plain HTTP outside Development, no Auth:AllowHttpAuthority
    [InlineData("Auth:MetadataRefreshSeconds", "0")]
    [InlineData("Auth:MetadataMinimumRefreshSeconds", "0")]
    public async Task Invalid_setting_stops_start_up_naming_the_key(string key, string value)
    {
        await using var server = ServerProcess.Start(new Dictionary<string, string> { [key.Replace(":", "__")] = value });

        var exitCode = await server.WaitForExitAsync(TimeSpan.FromSeconds(30));

        Assert.True(exitCode is not null and not 0, $"The server kept running or exited 0 with {key}={value}:\n{server.Output}");
        Assert.Contains(key, server.Output);
        Assert.DoesNotContain("   at ", server.Output); // a message, not a stack trace
    }
}
