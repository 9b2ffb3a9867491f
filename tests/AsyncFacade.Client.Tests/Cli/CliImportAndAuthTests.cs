using AsyncFacade.Client.Tests.Auth;
using AsyncFacade.Client.Tests.Infrastructure;

namespace AsyncFacade.Client.Tests.Cli;

/// <summary>`fhir-async import` of a manifest, and the auth options with their exit code.</summary>
public sealed class CliImportAndAuthTests(AuthHost auth) : IClassFixture<AuthHost>
{
    private readonly CancellationToken ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task Import_feeds_an_export_manifest_back_in_and_reports_what_was_written()
    {
        await using var host = new ClientHost();
        using var dir = new TempDirectory();
        using var client = host.CreateClient();
        var export = await client.WaitForCompletionAsync(await client.ExportAsync(new AsyncFacade.Client.Bulk.ExportRequest { Types = ["Practitioner"] }, ct), null, ct);
        using var raw = host.App.CreateRawClient();
        var manifestFile = Path.Combine(dir.Path, "manifest.json");
        await File.WriteAllBytesAsync(manifestFile, await raw.GetByteArrayAsync(export.StatusUrl, ct), ct);

        var run = await CliRun.RunAsync(ct, "import", host.FhirBase.ToString(), manifestFile, "--json", "--poll-seconds", "0.2");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal("completed", run.Json.GetProperty("status").GetString());
        var output = run.Json.GetProperty("files").EnumerateArray().Where(f => f.GetProperty("role").GetString() == "output").ToList();
        Assert.Equal(export.Manifest!.Output.Sum(f => f.Count), output.Sum(f => f.GetProperty("count").GetInt64()));
        Assert.Equal(0, run.Json.GetProperty("errorLines").GetInt64());
    }

    [Fact]
    public async Task Auth_options_get_a_token_and_a_refused_client_exits_4()
    {
        using var dir = new TempDirectory();
        var keyFile = Path.Combine(dir.Path, "client.pem");
        await File.WriteAllTextAsync(keyFile, auth.EcPrivatePem, ct);
        var fhirBase = auth.Host.FhirBase.ToString();

        var ok = await CliRun.RunAsync(ct, "run", fhirBase, "GET Patient/pat-1", "--client-id", AuthHost.EcClient, "--key", keyFile, "--json");
        var refused = await CliRun.RunAsync(ct, "run", fhirBase, "GET Patient/pat-1", "--client-id", "unknown-client", "--key", keyFile, "--json");
        var anonymous = await CliRun.RunAsync(ct, "run", fhirBase, "GET Patient/pat-1", "--json");

        Assert.True(ok.ExitCode == 0, ok.ToString());
        Assert.Equal(4, refused.ExitCode);
        Assert.Equal("unauthorized", refused.Json.GetProperty("status").GetString());
        Assert.Equal(4, anonymous.ExitCode);
    }
}
