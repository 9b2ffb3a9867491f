using AsyncFacade.Tests.Infrastructure;
using static AsyncFacade.Tests.Import.ImportCalls;

namespace AsyncFacade.Tests.Import;

/// <summary>
/// Lines the facade lets through (Import:ValidateResources=false) but the upstream refuses: in batch Bundles each entry's
/// outcome is reported; a transaction the upstream rejects as a whole is split until the bad entries stand alone.
/// </summary>
[Collection(ImportCollection.Name)]
public sealed class ImportUpstreamRejectionTests(ImportFixture fixture)
{
    [Theory]
    [InlineData("batch", "the upstream answered 400")]
    [InlineData("transaction", "the upstream rejected the transaction")]
    public async Task Entries_the_upstream_rejects_are_reported_and_the_rest_is_written(string bundleType, string reason)
    {
        await using var importer = new FacadeApplication(new Dictionary<string, string?>
        {
            ["Upstream:BaseUrl"] = fixture.Target.BaseUrl,
            ["Import:AllowedHosts:0"] = "127.0.0.1",
            ["Import:ValidateResources"] = "false",
            ["Import:BundleType"] = bundleType,
            ["Import:BatchSize"] = "40",
        }).Start();
        var http = importer.CreateRawClient();
        var prefix = "r" + Guid.NewGuid().ToString("N")[..8];
        var lines = Patients(prefix, 100).ToList();
        foreach (var bad in new[] { 5, 6, 47, 99 })
        {
            lines[bad] = Patient($"{prefix}-{bad}", ""","birthDate":"not-a-date" """);
        }
        var url = fixture.Sources.Add(prefix + ".ndjson", lines);

        var (_, manifest) = await ImportAsync(http, Parameters(("Patient", url)));

        Assert.Equal(96, manifest.GetProperty("output")[0].GetProperty("count").GetInt64());
        var errors = await ErrorsAsync(http, manifest);
        Assert.Equal([6L, 7, 48, 100], errors.Select(e => long.Parse(e.Diagnostics.Split(" line ")[1].Split(':')[0])));
        Assert.All(errors, e => Assert.Contains(reason, e.Diagnostics));
        Assert.All(errors, e => Assert.Equal("invalid", e.Code));
        Assert.Contains($"Patient/{prefix}-47", errors[2].Diagnostics);
    }
}
