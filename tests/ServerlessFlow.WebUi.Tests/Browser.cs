using Microsoft.Playwright;

namespace ServerlessFlow.WebUi.Tests;

/// <summary>Headless Chromium from the system (Playwright cannot download browsers here), one page per test.</summary>
internal sealed class Browser : IAsyncDisposable
{
    /// <summary>Where Debian's chromium package puts the browser; ./build.sh test installs it when missing.</summary>
    private const string ChromiumPath = "/usr/bin/chromium";

    private readonly IPlaywright playwright;
    private readonly IBrowser browser;

    private Browser(IPlaywright playwright, IBrowser browser, IPage page)
    {
        this.playwright = playwright;
        this.browser = browser;
        Page = page;
    }

    public IPage Page { get; }

    /// <summary>The folder screenshots are saved to (test output, screenshots/).</summary>
    public static string ScreenshotFolder { get; } = Path.Combine(AppContext.BaseDirectory, "screenshots");

    public static async Task<Browser> LaunchAsync()
    {
        Assert.True(File.Exists(ChromiumPath), $"No Chromium at {ChromiumPath}: install it with `apt-get install -y chromium` (./build.sh test does).");
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = ChromiumPath, Headless = true, Args = ["--no-sandbox"] });
        var page = await browser.NewPageAsync(new() { ViewportSize = new() { Width = 1280, Height = 860 } });
        page.SetDefaultTimeout(30_000);
        return new Browser(playwright, browser, page);
    }

    public async Task ScreenshotAsync(string name)
    {
        Directory.CreateDirectory(ScreenshotFolder);
        await Page.ScreenshotAsync(new() { Path = Path.Combine(ScreenshotFolder, name + ".png"), FullPage = true });
    }

    public async ValueTask DisposeAsync()
    {
        await browser.DisposeAsync();
        playwright.Dispose();
    }
}
