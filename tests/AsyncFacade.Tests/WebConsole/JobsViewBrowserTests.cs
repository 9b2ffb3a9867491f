using System.Net;
using AsyncFacade.Server.Jobs;
using AsyncFacade.Tests.Browser;
using AsyncFacade.Tests.Infrastructure;
using Microsoft.Playwright;

namespace AsyncFacade.Tests.WebConsole;

/// <summary>
/// An upstream slow enough that an export runs for a while: every request waits 200 ms and pages hold 5 resources, so the
/// 100 sample patients alone take 20 pages. Deterministic: the test cancels the export long before it could finish.
/// </summary>
public sealed class SlowExportFacade() : FacadeFixture(FacadeStore.InMemory, new Dictionary<string, string?>
{
    ["SampleUpstream:LatencyMilliseconds"] = "200",
    ["Export:PageSize"] = "5",
});

/// <summary>The jobs view in Chromium: a job appears and moves without a reload, is cancelled from its page; filters.</summary>
public sealed class JobsViewBrowserTests(BrowserFixture browser, SlowExportFacade facade) : IClassFixture<SlowExportFacade>
{
    private readonly CancellationToken ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_export_moves_in_the_jobs_view_and_is_cancelled_from_its_page()
    {
        using var http = facade.CreateClient();
        var client = new AsyncClient(http);
        using var kickOff = new HttpRequestMessage(HttpMethod.Get, "fhir/$export?_type=Patient,Observation");
        kickOff.Headers.Accept.ParseAdd("application/fhir+json");
        var statusUrl = await client.KickOffAsync(kickOff);
        var id = statusUrl.Split('/').Last();

        await using var tab = await browser.NewPageAsync(facade.App.ServerAddress);
        await tab.OpenAsync("console/jobs?kind=export");
        var row = tab.Page.Locator($"tr[data-job='{id}']");
        await Assertions.Expect(row).ToBeVisibleAsync();
        await Assertions.Expect(row.Locator("td").First).ToHaveTextAsync("$export system");
        // A mark on this document: were the page reloaded, it would be gone.
        await tab.Page.EvaluateAsync("() => { window.sameDocument = true; }");
        var progress = row.Locator("td.progress");
        await Assertions.Expect(progress).Not.ToBeEmptyAsync();
        var first = await progress.TextContentAsync();
        await Assertions.Expect(progress).Not.ToHaveTextAsync(first!, new() { Timeout = 10_000 });
        Assert.True(await tab.Page.EvaluateAsync<bool>("() => window.sameDocument === true"), "the list was reloaded, not updated");
        await Screenshots.SaveAsync(tab.Page, "console-jobs");

        await row.GetByRole(AriaRole.Link).ClickAsync();
        await Assertions.Expect(tab.Page.Locator("#state")).ToHaveTextAsync("running");
        await Assertions.Expect(tab.Page.Locator("#units tbody tr").First).ToBeVisibleAsync();
        await Assertions.Expect(tab.Page.Locator("#request")).ToContainTextAsync("GET ");
        await Screenshots.SaveAsync(tab.Page, "console-job");

        var confirm = tab.Page.GetByRole(AriaRole.Button, new() { Name = "Yes, cancel it" });
        await Assertions.Expect(confirm).ToBeHiddenAsync(); // the confirm step comes only after the first click
        await tab.Page.GetByRole(AriaRole.Button, new() { Name = "Cancel job…" }).ClickAsync();
        await confirm.ClickAsync();

        await Assertions.Expect(tab.Page.Locator("#state")).ToHaveTextAsync("cancelled");
        await Assertions.Expect(tab.Page.GetByRole(AriaRole.Status)).ToContainTextAsync("cancel");
        using var status = await http.GetAsync(statusUrl, ct);
        Assert.Equal(HttpStatusCode.NotFound, status.StatusCode);
        tab.AssertNoPageErrors();
    }

    [Fact]
    public async Task Filters_by_state_and_owner_are_kept_in_the_url_and_the_list_reads_on_a_phone()
    {
        var queue = facade.App.GetRequiredService<JobQueue>();
        var owner = "filter-" + Guid.NewGuid().ToString("N")[..8];
        var held = await queue.EnqueueAsync(TestJobHandlers.Hold, owner, new JobRequest("GET", "Patient", JobRequest.NoHeaders), ct);
        var done = await queue.EnqueueAsync(TestJobHandlers.Echo, owner, new JobRequest("GET", "Patient", JobRequest.NoHeaders), ct);
        var store = facade.App.GetRequiredService<IJobStore>();
        await Eventually.WaitForAsync(() => store.GetAsync(done.Id, ct), j => j!.State == JobState.Completed, what: "the echo job to complete");
        await Eventually.WaitForAsync(() => store.GetAsync(held.Id, ct), j => j!.State == JobState.Running, what: "the held job to run");
        try
        {
            await using var tab = await browser.NewPhonePageAsync(facade.App.ServerAddress);
            await tab.OpenAsync("console/jobs");
            await tab.Page.GetByLabel("Owner").FillAsync(owner);
            await tab.Page.GetByLabel("State").SelectOptionAsync("running");
            await tab.Page.GetByRole(AriaRole.Button, new() { Name = "Apply filters" }).ClickAsync();

            await Assertions.Expect(tab.Page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex($"state=running&owner={owner}$"));
            var rows = tab.Page.Locator("#jobs tbody tr");
            await Assertions.Expect(rows).ToHaveCountAsync(1);
            await Assertions.Expect(tab.Page.Locator($"tr[data-job='{held.Id}']")).ToBeVisibleAsync();

            // The URL is the view: opened afresh it shows the same filters and rows.
            await tab.Page.ReloadAsync();
            await Assertions.Expect(tab.Page.GetByLabel("Owner")).ToHaveValueAsync(owner);
            await Assertions.Expect(tab.Page.GetByLabel("State")).ToHaveValueAsync("running");
            await Assertions.Expect(rows).ToHaveCountAsync(1);
            await tab.Page.GetByLabel("State").SelectOptionAsync("completed");
            await tab.Page.GetByRole(AriaRole.Button, new() { Name = "Apply filters" }).ClickAsync();
            await Assertions.Expect(tab.Page.Locator($"tr[data-job='{done.Id}']")).ToBeVisibleAsync();
            await Assertions.Expect(rows).ToHaveCountAsync(1);
            await Assertions.Expect(tab.Page.GetByRole(AriaRole.Link, new() { Name = "Older jobs" })).ToBeHiddenAsync(); // one page only
            await Screenshots.SaveAsync(tab.Page, "console-jobs-phone");
            tab.AssertNoPageErrors();
        }
        finally
        {
            TestJobHandlers.Release(held.Id);
        }
    }
}
