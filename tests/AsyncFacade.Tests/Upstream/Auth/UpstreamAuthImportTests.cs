using System.Net;
using System.Text.Json;
using AsyncFacade.SampleUpstream.Auth;
using AsyncFacade.Tests.Import;
using AsyncFacade.Tests.Infrastructure;
using static AsyncFacade.Tests.Import.ImportCalls;

namespace AsyncFacade.Tests.Upstream.Auth;

/// <summary>
/// `$import` writes with the facade's own upstream token: its Bundles are built from a buffer and can be sent again,
/// so a token the upstream forgot is renewed and the Bundle resent; refused credentials fail the job with `login`.
/// </summary>
[Collection(ImportCollection.Name)]
public sealed class UpstreamAuthImportTests(ImportFixture fixture)
{
    private readonly CancellationToken ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_import_after_an_upstream_restart_resends_its_Bundle_with_a_new_token_and_writes_every_line()
    {
        await using var app = new FacadeApplication(ImportSettings(UpstreamAuthSettings.ClientSecret())).Start();
        var issuer = app.GetRequiredService<SampleTokenIssuer>();
        var http = app.CreateRawClient();
        using (var warm = await http.GetAsync("/fhir/Patient/pat-1", ct))
        {
            Assert.Equal(HttpStatusCode.OK, warm.StatusCode);
        }
        issuer.Restart();
        var prefix = "a" + Guid.NewGuid().ToString("N")[..8];

        var (_, manifest) = await ImportAsync(http, Parameters(("Patient", fixture.Sources.Add(prefix + ".ndjson", Patients(prefix, 30)))));

        Assert.Equal(30, manifest.GetProperty("output")[0].GetProperty("count").GetInt64());
        Assert.Empty(manifest.GetProperty("error").EnumerateArray());
        Assert.Equal(2, issuer.Issued.Count);
    }

    [Fact]
    public async Task An_import_whose_upstream_refuses_the_credentials_fails_with_login()
    {
        await using var app = new FacadeApplication(ImportSettings(UpstreamAuthSettings.ClientSecret(secret: "wrong"))).Start();
        var http = app.CreateRawClient();
        var prefix = "w" + Guid.NewGuid().ToString("N")[..8];
        var body = Parameters(("Patient", fixture.Sources.Add(prefix + ".ndjson", Patients(prefix, 5))));

        var client = new AsyncClient(http);
        using var done = await client.WaitAsync(await client.KickOffAsync(KickOff(body), "respond-async"));

        var text = await done.Content.ReadAsStringAsync(ct);
        Assert.True((int)done.StatusCode >= 400, $"the import did not fail: {(int)done.StatusCode} {text}");
        Assert.Equal("login", JsonDocument.Parse(text).RootElement.GetProperty("issue")[0].GetProperty("code").GetString());
    }

    private static Dictionary<string, string?> ImportSettings(Dictionary<string, string?> settings) => settings
        .With("SampleUpstream:Patients", "5")
        .With("Import:AllowedHosts:0", "127.0.0.1")
        .With("Import:BearerTokens:127.0.0.1", NdjsonSourceHost.Token);
}
