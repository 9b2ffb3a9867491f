using System.Text.RegularExpressions;
using AsyncFacade.Tests.Infrastructure;

namespace AsyncFacade.Tests.WebConsole;

/// <summary>
/// The console's rules (strict CSP, path base, accessibility basics) checked on every page and script in
/// WebConsole/Assets, including pages that have no browser test yet: a violation here would be a blocked script or
/// style, or a broken link behind a proxy prefix, in the browser.
/// </summary>
public sealed partial class ConsoleAssetRulesTests
{
    private static readonly string AssetsDirectory = Path.Combine(RepositoryRoot.Path, "src", "AsyncFacade.Server", "WebConsole", "Assets");

    /// <summary>Pages (not partials such as _header.html, which are spliced into a page).</summary>
    public static TheoryData<string> Pages() => [.. Files("*.html").Where(name => !name.StartsWith('_'))];

    public static TheoryData<string> HtmlFiles() => [.. Files("*.html")];

    public static TheoryData<string> Scripts() => [.. Files("*.js")];

    private static IEnumerable<string> Files(string pattern) =>
        Directory.EnumerateFiles(AssetsDirectory, pattern).Select(path => Path.GetFileName(path)).Order(StringComparer.Ordinal);

    [Theory]
    [MemberData(nameof(HtmlFiles))]
    public void Markup_has_no_inline_script_style_or_event_handler(string file)
    {
        var html = Read(file);

        Assert.Empty(InlineScript().Matches(html).Select(m => m.Value));
        Assert.Empty(StyleElementOrAttribute().Matches(html).Select(m => m.Value));
        Assert.Empty(EventHandlerAttribute().Matches(html).Select(m => m.Value));
    }

    [Theory]
    [MemberData(nameof(HtmlFiles))]
    public void Links_and_assets_are_relative_to_the_path_base(string file)
    {
        // "{{base}}x" or "x" resolve under a proxy prefix; "/x" and "http://…" do not (or leave the server).
        var absolute = UrlAttribute().Matches(Read(file)).Select(m => m.Groups["url"].Value)
            .Where(url => url.StartsWith('/') || url.Contains("://", StringComparison.Ordinal)).ToList();

        Assert.Empty(absolute);
    }

    [Theory]
    [MemberData(nameof(Pages))]
    public void Page_has_its_base_language_viewport_and_main_landmark(string file)
    {
        var html = WithPartials(Read(file));

        Assert.Contains("<base href=\"{{base}}\">", html);
        Assert.Matches("<html lang=\"[a-z]{2}", html);
        Assert.Contains("name=\"viewport\" content=\"width=device-width", html);
        Assert.Contains("<main id=\"main\"", html);
        Assert.Matches("<title>[^<]+</title>", html);
    }

    [Theory]
    [MemberData(nameof(Scripts))]
    public void Scripts_never_write_markup(string file)
    {
        Assert.Empty(MarkupSink().Matches(Read(file)).Select(m => m.Value));
    }

    private static string Read(string file) => File.ReadAllText(Path.Combine(AssetsDirectory, file));

    /// <summary>The page as the server sends it: every <c>{{name}}</c> with a <c>_name.html</c> partial spliced in.</summary>
    private static string WithPartials(string html) =>
        Files("_*.html").Aggregate(html, (page, partial) => page.Replace("{{" + partial[1..^5] + "}}", Read(partial), StringComparison.Ordinal));

    [GeneratedRegex(@"<script(?![^>]*\bsrc=)[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex InlineScript();

    [GeneratedRegex(@"<style\b|\sstyle\s*=", RegexOptions.IgnoreCase)]
    private static partial Regex StyleElementOrAttribute();

    [GeneratedRegex(@"<[^>]*\son[a-z]+\s*=", RegexOptions.IgnoreCase)]
    private static partial Regex EventHandlerAttribute();

    [GeneratedRegex(@"\s(?:href|src|action|formaction)\s*=\s*""(?<url>[^""]*)""", RegexOptions.IgnoreCase)]
    private static partial Regex UrlAttribute();

    [GeneratedRegex(@"\.(?:innerHTML|outerHTML)\s*\+?=|insertAdjacentHTML|document\.write|\beval\s*\(|new\s+Function\s*\(")]
    private static partial Regex MarkupSink();
}
