using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace AsyncFacade.Tests.Browser;

/// <summary>
/// One tab in its own browser context, recording what would show up red in the developer tools: console errors
/// (Chromium logs CSP violations and failed loads there too), uncaught exceptions, CSP violations (from the page's
/// securitypolicyviolation event) and responses with a 4xx/5xx status or no response at all.
/// </summary>
public sealed class BrowserPage : IAsyncDisposable
{
    private const string CspPrefix = "CSP violation: ";

    // Runs before any page script in every document of the context (Playwright injects it; the page's CSP does not apply).
    private const string ReportCspViolations =
        "document.addEventListener('securitypolicyviolation', e => console.error('" + CspPrefix +
        "' + e.effectiveDirective + ' blocked ' + (e.blockedURI || 'inline') + ' at ' + e.sourceFile + ':' + e.lineNumber));";

    private readonly Lock gate = new();
    private readonly List<string> errors = [];
    private readonly List<string> cspViolations = [];

    private readonly IAsyncDisposable? ownedByPage;

    private BrowserPage(IBrowserContext context, IPage page, Uri server, IAsyncDisposable? ownedByPage)
    {
        Context = context;
        Page = page;
        Server = server;
        this.ownedByPage = ownedByPage;
    }

    public IBrowserContext Context { get; }

    public IPage Page { get; }

    /// <summary>The server's address; relative URLs given to <see cref="OpenAsync"/> resolve against it.</summary>
    public Uri Server { get; }

    /// <summary>Everything recorded so far, in order: console errors, page errors, failed loads.</summary>
    public IReadOnlyList<string> Errors { get { lock (gate) { return [.. errors]; } } }

    /// <summary>Only the CSP violations (also in <see cref="Errors"/>).</summary>
    public IReadOnlyList<string> CspViolations { get { lock (gate) { return [.. cspViolations]; } } }

    /// <param name="ownedByPage">Disposed with the page, e.g. the proxy in front of the server.</param>
    internal static async Task<BrowserPage> OpenAsync(IBrowserContext context, Uri server, IAsyncDisposable? ownedByPage)
    {
        // Short enough that a broken page fails the test quickly, long enough for a busy two-core machine.
        context.SetDefaultTimeout(15_000);
        context.SetDefaultNavigationTimeout(30_000);
        await context.AddInitScriptAsync(ReportCspViolations);
        var page = await context.NewPageAsync();
        var tab = new BrowserPage(context, page, server, ownedByPage);
        page.Console += (_, message) =>
        {
            // Chromium asks for /favicon.ico by itself; its 404 is not the page's doing.
            if (message.Type == "error" && !message.Location.StartsWith(new Uri(server, "/favicon.ico").AbsoluteUri, StringComparison.Ordinal))
            {
                tab.Record($"console: {message.Text} ({message.Location})", message.Text.StartsWith(CspPrefix, StringComparison.Ordinal));
            }
        };
        page.PageError += (_, error) => tab.Record("uncaught: " + error, csp: false);
        page.Response += (_, response) =>
        {
            if (response.Status >= 400)
            {
                tab.Record($"HTTP {response.Status} {response.Request.Method} {response.Url}", csp: false);
            }
        };
        page.RequestFailed += (_, request) => tab.Record($"failed: {request.Method} {request.Url} ({request.Failure})", csp: false);
        return tab;
    }

    private void Record(string error, bool csp)
    {
        lock (gate)
        {
            errors.Add(error);
            if (csp)
            {
                cspViolations.Add(error);
            }
        }
    }

    /// <summary>Goes to <paramref name="relativeUrl"/> (relative to <see cref="Server"/>, e.g. "console/jobs") and asserts a 2xx page.</summary>
    public async Task<IResponse> OpenAsync(string relativeUrl = "", PageGotoOptions? options = null)
    {
        var url = new Uri(Server, relativeUrl).AbsoluteUri;
        var response = await Page.GotoAsync(url, options)
            ?? throw new InvalidOperationException($"Navigating to {url} gave no response.");
        Assert.True(response.Ok, $"GET {url} answered {response.Status} {response.StatusText}");
        return response;
    }

    /// <summary>
    /// Fails when the page logged an error, threw, violated its CSP or saw a 4xx/5xx load. <paramref name="expected"/>
    /// excuses the errors a test provokes on purpose.
    /// </summary>
    public void AssertNoPageErrors(Func<string, bool>? expected = null)
    {
        var unexpected = Errors.Where(e => expected is null || !expected(e)).ToList();
        Assert.True(unexpected.Count == 0, $"The page at {Page.Url} reported errors:\n" + string.Join("\n", unexpected));
    }

    /// <summary>
    /// Runs axe-core's WCAG 2.1 A and AA rules (labels, names, contrast, landmarks, headings…) on the page as it is now
    /// and fails listing each violation with the elements it found. Call it again after
    /// <c>Page.EmulateMediaAsync(new() { ColorScheme = ColorScheme.Dark })</c> to check the dark theme's contrast.
    /// </summary>
    public async Task AssertAccessibleAsync()
    {
        var result = await Page.RunAxe(new AxeRunOptions
        {
            RunOnly = new RunOnlyOptions { Type = "tag", Values = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
        });
        var violations = result.Violations.Select(v => $"{v.Id} ({v.Impact}): {v.Help}\n" +
            string.Join("\n", v.Nodes.Select(n => $"    {n.Target}: {n.Html}"))).ToList();
        Assert.True(violations.Count == 0, $"Accessibility violations at {Page.Url}:\n" + string.Join("\n", violations));
    }

    public async ValueTask DisposeAsync()
    {
        await Context.CloseAsync();
        if (ownedByPage is not null)
        {
            await ownedByPage.DisposeAsync();
        }
    }
}
