using AsyncFacade.Tests.Infrastructure;
using Microsoft.Playwright;

namespace AsyncFacade.Tests.Browser;

/// <summary>The harness itself, on pages the server already has: Swagger UI and the console's assets.</summary>
public sealed class BrowserHarnessTests(BrowserFixture browser, InMemoryFacade facade) : IClassFixture<InMemoryFacade>
{
    [Fact]
    public async Task Swagger_ui_opens_an_operation_on_click_and_screenshots_are_checked()
    {
        await using var tab = await browser.NewPageAsync(facade.App.ServerAddress);
        await tab.OpenAsync("swagger/index.html");
        var metadata = tab.Page.Locator(".opblock-summary").Filter(new() { HasText = "/fhir/metadata" }).First;
        await Assertions.Expect(metadata).ToBeVisibleAsync();

        await metadata.ClickAsync();

        await Assertions.Expect(tab.Page.Locator(".opblock.is-open .opblock-body").First).ToBeVisibleAsync();
        var path = await Screenshots.SaveAsync(tab.Page, "harness-swagger");
        Assert.True(File.Exists(path));
        tab.AssertNoPageErrors();
    }

    [Fact]
    public async Task Phone_pages_are_390_pixels_wide_when_they_ask_for_the_device_width()
    {
        await using var tab = await browser.NewPhonePageAsync(facade.App.ServerAddress);
        // Mobile emulation as on a real phone: without a viewport meta tag the page is laid out 980 px wide and shrunk.
        await tab.OpenAsync("swagger/index.html");
        Assert.Equal(980, await tab.Page.EvaluateAsync<int>("() => window.innerWidth"));

        await tab.Page.SetContentAsync("<!doctype html><html><head><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"></head><body>Phone</body></html>");

        Assert.Equal(390, await tab.Page.EvaluateAsync<int>("() => window.innerWidth"));
        tab.AssertNoPageErrors();
    }

    [Fact]
    public async Task Console_assets_come_with_the_strict_security_policy()
    {
        await using var tab = await browser.NewPageAsync(facade.App.ServerAddress);

        var response = await tab.OpenAsync("console/assets/console.css");

        Assert.StartsWith("text/css", await response.HeaderValueAsync("content-type"));
        Assert.Contains("script-src 'self'", await response.HeaderValueAsync("content-security-policy"));
        tab.AssertNoPageErrors();
    }

    [Fact]
    public async Task A_missing_asset_is_reported_as_a_page_error()
    {
        await using var tab = await browser.NewPageAsync(facade.App.ServerAddress);

        await tab.Page.GotoAsync(new Uri(tab.Server, "console/assets/no-such-file.js").AbsoluteUri);

        var error = Assert.Throws<Xunit.Sdk.TrueException>(() => tab.AssertNoPageErrors());
        Assert.Contains("HTTP 404 GET", error.Message);
        tab.AssertNoPageErrors(e => e.Contains("no-such-file.js", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_page_that_shows_only_its_background_fails_the_screenshot_check()
    {
        await using var tab = await browser.NewPageAsync(facade.App.ServerAddress);
        // Tall enough that the PNG is larger than the minimum file size: only the comparison with a blank page catches it.
        await tab.Page.SetContentAsync("<!doctype html><html><body style=\"margin:0;background:#eef\"><div style=\"height:20000px\"></div></body></html>");

        var error = await Assert.ThrowsAsync<Xunit.Sdk.TrueException>(() => Screenshots.SaveAsync(tab.Page, "harness-blank"));

        Assert.Contains("looks blank", error.Message);
    }

    [Fact]
    public async Task A_page_wider_than_the_phone_fails_the_screenshot_check()
    {
        await using var tab = await browser.NewPhonePageAsync(facade.App.ServerAddress);
        await tab.Page.SetContentAsync("<!doctype html><html><head><meta name=\"viewport\" content=\"width=device-width\"></head>" +
            "<body><h1>Wide</h1><div style=\"width:900px\">a row of text that does not wrap</div></body></html>");

        var error = await Assert.ThrowsAsync<Xunit.Sdk.TrueException>(() => Screenshots.SaveAsync(tab.Page, "harness-wide"));

        Assert.Contains("horizontal overflow", error.Message);
    }

    [Fact]
    public void Png_reader_rejects_what_is_not_a_png()
    {
        Assert.Throws<InvalidDataException>(() => PngFile.Read("GIF89a not a png at all, padded to be long enough"u8.ToArray()));
    }
}
