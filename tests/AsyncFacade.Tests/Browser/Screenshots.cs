using AsyncFacade.Tests.Infrastructure;
using Microsoft.Playwright;

namespace AsyncFacade.Tests.Browser;

/// <summary>
/// Full-page screenshots that are checked, not just written: a screenshot of a page that failed to render (blank,
/// wider than the viewport, cut short) fails the test. ASYNCFACADE_UPDATE_SCREENSHOTS=1 also copies each one to
/// docs/screenshots/NAME.png, the images the README shows.
/// </summary>
public static class Screenshots
{
    public const string UpdateVariable = "ASYNCFACADE_UPDATE_SCREENSHOTS";

    /// <summary>Smaller than any real page (a blank 390x844 screenshot is about 2.7 KB, a blank 1280x800 one 4.7 KB).</summary>
    public const int MinimumFileBytes = 4 * 1024;

    public static string Directory { get; } = Path.Combine(Path.GetTempPath(), "asyncfacade-tests", "screenshots");

    /// <summary>Writes NAME.png (a full-page screenshot of <paramref name="page"/>), checks it, returns its path.</summary>
    /// <param name="name">Lower-case letters, digits and dashes, e.g. "landing-phone".</param>
    public static async Task<string> SaveAsync(IPage page, string name)
    {
        if (name.Length == 0 || !name.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-'))
        {
            throw new ArgumentException($"Screenshot name '{name}': use lower-case letters, digits and dashes.", nameof(name));
        }
        var viewport = page.ViewportSize ?? throw new InvalidOperationException("The page has no fixed viewport.");
        var png = await page.ScreenshotAsync(new PageScreenshotOptions { FullPage = true, Type = ScreenshotType.Png, Animations = ScreenshotAnimations.Disabled });
        System.IO.Directory.CreateDirectory(Directory);
        var path = Path.Combine(Directory, name + ".png");
        await File.WriteAllBytesAsync(path, png);

        var shot = PngFile.Read(png);
        // Wider than the viewport means the page scrolls sideways (full-page screenshots take the whole scroll width).
        Assert.True(shot.Width == viewport.Width, $"{path}: {shot.Width} px wide, the viewport is {viewport.Width} px (horizontal overflow?)");
        Assert.True(shot.Height >= viewport.Height, $"{path}: {shot.Height} px high, less than the viewport's {viewport.Height} px");
        Assert.True(shot.FileBytes >= MinimumFileBytes, $"{path}: {shot.FileBytes} bytes, less than {MinimumFileBytes}: an empty page?");
        await AssertNotBlankAsync(page, shot, path);

        if (Environment.GetEnvironmentVariable(UpdateVariable) == "1")
        {
            var committed = Path.Combine(RepositoryRoot.Path, "docs", "screenshots", name + ".png");
            System.IO.Directory.CreateDirectory(Path.GetDirectoryName(committed)!);
            File.Copy(path, committed, overwrite: true);
        }
        return path;
    }

    /// <summary>
    /// Renders an empty page of the same size and background colour in the same context and compares compressed sizes:
    /// a uniform image deflates to almost nothing, so a page that shows only its background (stylesheet loaded, content
    /// missing, or nothing at all) compresses to about the blank one's size and fails. Real text and borders cost
    /// kilobytes more (a heading and one line of text at 1280x800: 8.8 KB against 4.7 KB blank). The margin is relative
    /// as well as absolute, so a tall blank page cannot pass by size alone (see BrowserHarnessTests).
    /// </summary>
    private static async Task AssertNotBlankAsync(IPage page, PngFile shot, string path)
    {
        var background = await page.EvaluateAsync<string>(
            """
            () => {
              const transparent = c => c === 'transparent' || c === 'rgba(0, 0, 0, 0)';
              const body = document.body ? getComputedStyle(document.body).backgroundColor : 'transparent';
              const root = getComputedStyle(document.documentElement).backgroundColor;
              return !transparent(body) ? body : !transparent(root) ? root : 'rgb(255, 255, 255)';
            }
            """);
        var blankPage = await page.Context.NewPageAsync();
        try
        {
            await blankPage.SetViewportSizeAsync(shot.Width, shot.Height);
            await blankPage.SetContentAsync($"<!doctype html><html><body style=\"margin:0;background:{background}\"></body></html>");
            var blank = PngFile.Read(await blankPage.ScreenshotAsync(new PageScreenshotOptions { Type = ScreenshotType.Png }));
            var needed = blank.ImageDataBytes + blank.ImageDataBytes / 4 + 2048;
            Assert.True(shot.ImageDataBytes >= needed,
                $"{path} looks blank: {shot.ImageDataBytes} bytes of image data, an empty {background} page of the same size has " +
                $"{blank.ImageDataBytes} (a page with content needs at least {needed})");
        }
        finally
        {
            await blankPage.CloseAsync();
        }
    }
}
