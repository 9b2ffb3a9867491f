using Microsoft.Playwright;

namespace AsyncFacade.Tests.Browser;

/// <summary>The widths the console must be readable at (issue 18): a laptop and a phone.</summary>
public static class BrowserViewports
{
    public static ViewportSize Desktop => new() { Width = 1280, Height = 800 };

    public static ViewportSize Phone => new() { Width = 390, Height = 844 };
}
