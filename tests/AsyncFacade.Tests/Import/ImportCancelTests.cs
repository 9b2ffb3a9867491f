using System.Net;
using System.Text.RegularExpressions;
using AsyncFacade.Tests.Infrastructure;
using static AsyncFacade.Tests.Import.ImportCalls;

namespace AsyncFacade.Tests.Import;

/// <summary>A running import reports its progress, and a cancel stops it between batches, leaving what was written.</summary>
[Collection(ImportCollection.Name)]
public sealed partial class ImportCancelTests(ImportFixture fixture)
{
    private readonly HttpClient http = fixture.Importer.CreateRawClient();
    private readonly CancellationToken ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task Running_import_shows_XProgress_and_a_cancel_keeps_what_was_written()
    {
        var prefix = "c" + Guid.NewGuid().ToString("N")[..8];
        var name = prefix + ".ndjson";
        fixture.Sources.Add(name, Patients(prefix, 2000)); // trickled out over ~10 s
        var status = await new AsyncClient(http).KickOffAsync(KickOff(Parameters(("Patient", $"{fixture.Sources.BaseUrl}/slow/{name}"))));

        // Polled as a client should, honouring Retry-After (faster polling is throttled with 429).
        string progress;
        while (true)
        {
            using var response = await http.GetAsync(status, ct);
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
            progress = AsyncClient.Progress(response) ?? "";
            if (LinesIn(progress) >= 100)
            {
                break;
            }
            await Task.Delay(response.Headers.RetryAfter!.Delta!.Value, ct);
        }
        Assert.Matches(ProgressText(), progress);

        using var cancel = await http.DeleteAsync(status, ct);
        var outcome = await FhirAssert.JsonAsync(cancel, HttpStatusCode.Accepted);
        var text = outcome.GetProperty("issue")[0].GetProperty("diagnostics").GetString();
        Assert.Contains("stay written", text);
        Assert.Contains("importing: 0 of 1 files", text);

        await FhirAssert.OperationOutcomeAsync(await http.GetAsync(status, ct), HttpStatusCode.NotFound, "not-found");
        // The job hangs up on its source when it stops; after that nothing more can be written.
        await Eventually.WaitForAsync(() => Task.FromResult(fixture.Sources.Abandoned.Contains(name)), a => a, TimeSpan.FromSeconds(10), "the import to stop reading");
        Assert.Equal(HttpStatusCode.OK, (await fixture.Target.Client.GetAsync($"Patient/{prefix}-0", ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await fixture.Target.Client.GetAsync($"Patient/{prefix}-1999", ct)).StatusCode);
    }

    private static long LinesIn(string progress)
    {
        var match = ProgressText().Match(progress);
        return match.Success ? long.Parse(match.Groups[1].Value.Replace(",", "")) : 0;
    }

    [GeneratedRegex(@"^importing: \d+ of \d+ files, ([\d,]+) lines, [\d,]+ errors, \d+ s elapsed$")]
    private static partial Regex ProgressText();
}
