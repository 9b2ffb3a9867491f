// Browser tests: Debian's Chromium driven by Playwright .NET, one browser for the whole test run.
//
// How a page test gets a page (xunit v3 assembly fixture: take BrowserFixture in the test class constructor):
//
//     public sealed class MyPageTests(BrowserFixture browser, InMemoryFacade facade) : IClassFixture<InMemoryFacade>
//     {
//         [Fact]
//         public async Task Renders()
//         {
//             await using var tab = await browser.NewPageAsync(facade.App.ServerAddress);   // 1280x800, a fresh context
//             await tab.OpenAsync("console/jobs");                  // relative to the server address; asserts a 2xx
//             await Assertions.Expect(tab.Page.GetByRole(AriaRole.Heading, new() { Name = "Jobs" })).ToBeVisibleAsync();
//             await Screenshots.SaveAsync(tab.Page, "jobs-desktop");  // full-page PNG, checked (size, not blank)
//             await tab.AssertAccessibleAsync();                    // axe-core, WCAG 2.1 A/AA (contrast, labels, names…)
//             tab.AssertNoPageErrors();                             // console errors, uncaught errors, CSP, 4xx/5xx loads
//         }
//     }
//
// - Phone: `browser.NewPhonePageAsync(address)` (390x844, mobile, touch); any size: `NewPageAsync(address, viewport)`.
// - Behind a proxy that publishes the server under a prefix (X-Forwarded-Prefix → PathBase):
//   `browser.NewPageBehindProxyAsync(address, "/facade")`: a real proxy (PrefixProxy) on another port; tab.Server is
//   then http://127.0.0.1:{proxy port}/facade/ and anything outside the prefix answers 404 (so it fails the page).
// - Screenshots go to Path.GetTempPath()/asyncfacade-tests/screenshots/NAME.png; with ASYNCFACADE_UPDATE_SCREENSHOTS=1
//   also to docs/screenshots/NAME.png (the images the README shows: commit them).
// - A page that is expected to load a 4xx (an error shown on purpose): `tab.AssertNoPageErrors(e => e.Contains("404"))`.
// - ASYNCFACADE_TEST_CHROMIUM names the Chromium binary; test.sh installs Debian's chromium and sets it. Without it the
//   browser tests FAIL (never skip). `playwright install` is never used: it downloads browsers, which cannot work here.
using Microsoft.Playwright;

[assembly: AssemblyFixture(typeof(AsyncFacade.Tests.Browser.BrowserFixture))]

namespace AsyncFacade.Tests.Browser;

/// <summary>
/// The one Chromium of a test run, launched by the first test that asks for a page (so runs without browser tests
/// never start it) and closed when the run ends. Each page gets its own <see cref="IBrowserContext"/>: no cookies,
/// storage or cache shared between tests.
/// </summary>
public sealed class BrowserFixture : IAsyncDisposable
{
    public const string ChromiumVariable = "ASYNCFACADE_TEST_CHROMIUM";

    // The probe's flags: without the background-networking ones Chromium keeps calling Google's hosts, which this
    // closed network refuses. Playwright gives every launch a fresh empty profile (--user-data-dir in a temp folder).
    private static readonly string[] ChromiumArgs =
    [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
    ];

    private readonly SemaphoreSlim launching = new(1, 1);
    private IPlaywright? playwright;
    private IBrowser? browser;

    /// <summary>A new tab in a new context at 1280x800 (or <paramref name="viewport"/>), base address <paramref name="server"/>.</summary>
    public async Task<BrowserPage> NewPageAsync(Uri server, ViewportSize? viewport = null)
    {
        viewport ??= BrowserViewports.Desktop;
        return await NewPageAsync(server, new BrowserNewContextOptions { ViewportSize = viewport, DeviceScaleFactor = 1 });
    }

    /// <summary>A new tab as on a phone: 390x844, mobile layout (meta viewport honoured), touch.</summary>
    public Task<BrowserPage> NewPhonePageAsync(Uri server) =>
        NewPageAsync(server, new BrowserNewContextOptions
        {
            ViewportSize = BrowserViewports.Phone, DeviceScaleFactor = 1, IsMobile = true, HasTouch = true,
        });

    /// <summary>
    /// A new tab that reaches the server through a reverse proxy (<see cref="PrefixProxy"/>) publishing it under
    /// <paramref name="prefix"/> (e.g. "/facade", sent as X-Forwarded-Prefix); <see cref="BrowserPage.Server"/> is then
    /// http://127.0.0.1:{proxy port}/facade/. The proxy stops with the page.
    /// </summary>
    public async Task<BrowserPage> NewPageBehindProxyAsync(Uri server, string prefix, ViewportSize? viewport = null)
    {
        var proxy = await PrefixProxy.StartAsync(server, prefix);
        try
        {
            return await NewPageAsync(proxy.Address, new BrowserNewContextOptions { ViewportSize = viewport ?? BrowserViewports.Desktop, DeviceScaleFactor = 1 }, proxy);
        }
        catch
        {
            await proxy.DisposeAsync();
            throw;
        }
    }

    private async Task<BrowserPage> NewPageAsync(Uri server, BrowserNewContextOptions options, IAsyncDisposable? ownedByPage = null)
    {
        var launched = await LaunchAsync();
        options.BaseURL = server.AbsoluteUri;
        var context = await launched.NewContextAsync(options);
        try
        {
            return await BrowserPage.OpenAsync(context, server, ownedByPage);
        }
        catch
        {
            await context.CloseAsync();
            throw;
        }
    }

    private async Task<IBrowser> LaunchAsync()
    {
        await launching.WaitAsync();
        try
        {
            if (browser is { IsConnected: true })
            {
                return browser;
            }
            var executable = Environment.GetEnvironmentVariable(ChromiumVariable);
            if (string.IsNullOrEmpty(executable) || !File.Exists(executable))
            {
                throw new InvalidOperationException(
                    $"{ChromiumVariable} must name a Chromium binary (it is '{executable}'). ./test.sh installs Debian's chromium " +
                    "and sets it; to run the browser tests by hand: apt-get install chromium and " +
                    $"export {ChromiumVariable}=/usr/bin/chromium.");
            }
            playwright ??= await Playwright.CreateAsync();
            browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = executable,
                Headless = true,
                Args = ChromiumArgs,
                Timeout = 60_000, // a loaded two-core machine
            });
            return browser;
        }
        finally
        {
            launching.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (browser is not null)
        {
            await browser.CloseAsync();
        }
        playwright?.Dispose();
        launching.Dispose();
    }
}
