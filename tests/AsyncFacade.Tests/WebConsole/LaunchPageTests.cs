using System.Text.Json;
using AsyncFacade.Tests.Browser;
using AsyncFacade.Tests.Security;
using Microsoft.IdentityModel.Tokens;
using Microsoft.Playwright;

namespace AsyncFacade.Tests.WebConsole;

/// <summary>The launch page in Chromium, used as a client developer would: generate, register, copy, export, download.</summary>
public sealed class LaunchPageTests(BrowserFixture browser, LaunchFacade fixture) : IClassFixture<LaunchFacade>
{
    [Fact]
    public async Task A_key_generated_in_the_browser_registers_a_client_whose_token_runs_an_export_from_the_page()
    {
        await using var tab = await browser.NewPageAsync(fixture.App.ServerAddress);
        await tab.Context.GrantPermissionsAsync(["clipboard-read", "clipboard-write"], new() { Origin = fixture.App.ServerAddress.GetLeftPart(UriPartial.Authority) });
        var page = tab.Page;
        await tab.OpenAsync("");
        await Assertions.Expect(page.Locator("body[data-ready=true]")).ToBeAttachedAsync();

        await page.GetByLabel("Name (optional)").FillAsync("browser client");
        await page.GetByLabel("Algorithm").SelectOptionAsync("ES384");
        await page.GetByRole(AriaRole.Button, new() { Name = "Generate key pair" }).ClickAsync();
        await Assertions.Expect(page.Locator("#generate-status")).ToContainTextAsync("Generated ES384 key");
        await page.GetByRole(AriaRole.Button, new() { Name = "Register", Exact = true }).ClickAsync();

        var clientId = await page.Locator("#registered-client-id").TextContentAsync();
        Assert.StartsWith("reg-", clientId);
        var command = await page.Locator("#cli-command").TextContentAsync();
        Assert.Contains($"--client-id '{clientId}'", command);
        Assert.Contains($"--token-url '{fixture.TokenUrl}'", command);
        Assert.StartsWith("fhir-async export ", command);
        await page.GetByRole(AriaRole.Button, new() { Name = "Copy fhir-async command" }).ClickAsync();
        Assert.Equal(command, await page.EvaluateAsync<string>("() => navigator.clipboard.readText()"));
        Assert.Contains("\"privateKey\"", await page.Locator("#bulk-data-config").TextContentAsync());
        var download = await page.RunAndWaitForDownloadAsync(() => page.Locator("#private-key-download").ClickAsync());
        var privateJwkText = await File.ReadAllTextAsync(await download.PathAsync(), TestContext.Current.CancellationToken);
        var privateJwk = JsonDocument.Parse(privateJwkText).RootElement;
        Assert.Equal("P-384", privateJwk.GetProperty("crv").GetString());
        Assert.True(privateJwk.TryGetProperty("d", out _));
        await AssertDownloadedKeyGetsATokenAsync(clientId!, privateJwkText);
        await Assertions.Expect(page.Locator("#clients-table tbody")).ToContainTextAsync(clientId!);

        // A simulated behaviour changes the FHIR base live; the export then runs through it with the page's own token.
        await page.GetByLabel("error-file").CheckAsync();
        await Assertions.Expect(page.Locator("#simulated-base")).ToHaveTextAsync(new Uri(fixture.App.ServerAddress, "sim/error-file/fhir").ToString());
        await page.GetByLabel("Use the simulated FHIR base chosen above").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Start export" }).ClickAsync();

        await Assertions.Expect(page.Locator("#export-manifest")).ToContainTextAsync("\"output\"", new() { Timeout = 20_000 });
        await Assertions.Expect(page.Locator("#export-log")).ToContainTextAsync("202");
        var downloaded = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Button, new() { Name = "Download Patient", Exact = true }).ClickAsync());
        var firstLine = (await File.ReadAllLinesAsync(await downloaded.PathAsync(), TestContext.Current.CancellationToken))[0];
        Assert.Equal("Patient", JsonDocument.Parse(firstLine).RootElement.GetProperty("resourceType").GetString());
        await Assertions.Expect(page.Locator("#download-status")).ToContainTextAsync("Downloaded");

        await Screenshots.SaveAsync(page, "launch-desktop");
        await tab.AssertAccessibleAsync();
        tab.AssertNoPageErrors();
    }

    /// <summary>The downloaded private JWK is what a client outside the browser uses: it signs an assertion .NET accepts.</summary>
    private async Task AssertDownloadedKeyGetsATokenAsync(string clientId, string privateJwk)
    {
        var credentials = new SigningCredentials(new JsonWebKey(privateJwk), SecurityAlgorithms.EcdsaSha384);
        var assertion = AuthIssuerClientKey.Sign(new Dictionary<string, object?>
        {
            ["iss"] = clientId, ["sub"] = clientId, ["aud"] = fixture.TokenUrl,
            ["exp"] = DateTimeOffset.UtcNow.AddMinutes(4).ToUnixTimeSeconds(), ["jti"] = Guid.NewGuid().ToString("N"),
        }, credentials);
        using var http = fixture.App.CreateRawClient();
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials", ["scope"] = "system/*.read",
            ["client_assertion_type"] = Registrations.AssertionType, ["client_assertion"] = assertion,
        });
        using var response = await http.PostAsync(fixture.TokenUrl, form, TestContext.Current.CancellationToken);
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Bad_keys_urls_and_markup_in_names_get_clear_messages_on_the_page()
    {
        await using var tab = await browser.NewPageAsync(fixture.App.ServerAddress);
        var page = tab.Page;
        await tab.OpenAsync("");
        await Assertions.Expect(page.Locator("body[data-ready=true]")).ToBeAttachedAsync();
        var register = page.GetByRole(AriaRole.Button, new() { Name = "Register", Exact = true });
        var error = page.Locator("#register-error");

        await page.GetByLabel("Paste a JWKS").CheckAsync();
        await page.GetByLabel("JWKS (public keys only)").FillAsync("{ not json");
        await register.ClickAsync();
        await Assertions.Expect(error).ToContainTextAsync("jwks is not valid JSON");

        var rsa = System.Security.Cryptography.RSA.Create(1024).ExportParameters(false);
        await page.GetByLabel("JWKS (public keys only)").FillAsync(JsonSerializer.Serialize(new
        {
            keys = new[] { new { kty = "RSA", n = Base64UrlEncoder.Encode(rsa.Modulus), e = Base64UrlEncoder.Encode(rsa.Exponent) } },
        }));
        await register.ClickAsync();
        await Assertions.Expect(error).ToContainTextAsync("RSA key of 1024 bits");

        await page.GetByRole(AriaRole.Radio, new() { Name = "JWKS URL" }).CheckAsync();
        await page.Locator("#jwks-url").FillAsync("http://127.0.0.1:9/jwks");
        await register.ClickAsync();
        await Assertions.Expect(error).ToContainTextAsync("host '127.0.0.1' is not on this server's Auth:Issuer:JwksAllowedHosts");
        await Screenshots.SaveAsync(page, "launch-error");

        const string markup = "<img src=x onerror=alert(1)>";
        await page.GetByLabel("Paste a JWKS").CheckAsync();
        await page.GetByLabel("JWKS (public keys only)").FillAsync(AuthIssuerClientKey.Es384().PublicJwks);
        await page.GetByLabel("Name (optional)").FillAsync(markup);
        await register.ClickAsync();
        var row = page.Locator("#clients-table tbody tr").Filter(new() { HasText = markup });
        await Assertions.Expect(row).ToHaveCountAsync(1);
        Assert.Equal(0, await page.Locator("#clients-table img, #register-result img").CountAsync());

        // The refusals the test provokes: the 400 answers, as the network and the console report them.
        tab.AssertNoPageErrors(e => e.Contains("HTTP 400 POST", StringComparison.Ordinal) || e.Contains("status of 400 (Bad Request)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_launch_page_fits_a_phone()
    {
        await using var tab = await browser.NewPhonePageAsync(fixture.App.ServerAddress);
        await tab.OpenAsync("");
        await Assertions.Expect(tab.Page.Locator("body[data-ready=true]")).ToBeAttachedAsync();

        var tooWide = await tab.Page.EvaluateAsync<string[]>("""
            () => [...document.querySelectorAll('body *')].filter(e => !e.closest('.table-wrap') && e.getBoundingClientRect().right > 391)
                .map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + (e.className ? '.' + e.className : '') + ' ' + Math.round(e.getBoundingClientRect().right))
            """);
        Assert.True(tooWide.Length == 0, "wider than the phone: " + string.Join(", ", tooWide.Take(12)) + " scrollWidth " + await tab.Page.EvaluateAsync<int>("() => document.documentElement.scrollWidth"));
        await Screenshots.SaveAsync(tab.Page, "launch-phone");
        await tab.AssertAccessibleAsync();
        tab.AssertNoPageErrors();
    }
}
