using System.Net;
using System.Text;
using AsyncFacade.Server.Export.Paging;
using AsyncFacade.Tests.Infrastructure;

namespace AsyncFacade.Tests.Export.Paging;

/// <summary>The pager's entry point for history searches (deleted[]): every page handed over, refusals classified.</summary>
public sealed class HistoryPagerTests
{
    private readonly CancellationToken ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_history_search_is_handed_over_page_by_page_to_its_end()
    {
        await using var app = new FacadeApplication(new Dictionary<string, string?> { ["SampleUpstream:Patients"] = "10" }).Start();
        using var http = app.CreateRawClient();
        for (var i = 0; i < 3; i++)
        {
            using var created = await http.PostAsync("/fhir/MedicationStatement", new StringContent(
                """{"resourceType":"MedicationStatement","status":"active","medicationCodeableConcept":{"text":"x"},"subject":{"reference":"Patient/pat-1"}}""",
                Encoding.UTF8, "application/fhir+json"), ct);
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }

        var entries = 0;
        var pages = 0;
        var outcome = await app.GetRequiredService<HistoryPager>().ReadAllAsync("MedicationStatement/_history?_count=1", (page, _) =>
        {
            pages++;
            entries += page.TryGetProperty("entry", out var list) ? list.GetArrayLength() : 0;
            return Task.CompletedTask;
        }, ct);

        Assert.IsType<PageOutcome.End>(outcome);
        Assert.Equal(3, entries);
        Assert.Equal(3, pages);
    }

    [Fact]
    public async Task A_refused_history_search_is_a_refusal_of_its_first_page_with_the_status()
    {
        await using var app = new FacadeApplication(new Dictionary<string, string?> { ["SampleUpstream:Patients"] = "10" }).Start();

        var outcome = await app.GetRequiredService<HistoryPager>().ReadAllAsync("NotAType/_history", (_, _) => Task.CompletedTask, ct);

        var refused = Assert.IsType<PageOutcome.Refused>(outcome);
        Assert.True(refused.FirstPage);
        Assert.InRange(refused.Status ?? 0, 400, 499);
    }
}
