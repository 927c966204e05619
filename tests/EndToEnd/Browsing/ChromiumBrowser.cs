using Microsoft.Playwright;

namespace Courier.EndToEnd.Tests.Browsing;

/// <summary>
/// Debian's Chromium (<c>/usr/bin/chromium</c>, installed by <c>./courier test</c> when missing),
/// driven by Playwright: one browser for a whole test collection, a fresh context — cookies,
/// storage, viewport, colour scheme — for every visit.
/// </summary>
public sealed class ChromiumBrowser : IAsyncLifetime
{
    public const string ExecutablePath = "/usr/bin/chromium";

    private static readonly string[] Arguments =
    [
        "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run",
    ];

    private IPlaywright playwright = null!;
    private IBrowser browser = null!;

    public async Task InitializeAsync()
    {
        if (!File.Exists(ExecutablePath))
        {
            throw new InvalidOperationException(
                $"{ExecutablePath} is missing. The browser tests use Debian's Chromium: run ./courier test as root (it installs it), " +
                "or install it yourself with: sudo apt-get install -y chromium");
        }

        // Deliveries and live updates on a busy 2-core machine can take longer than Playwright's 5 s default.
        Assertions.SetDefaultExpectTimeout(20_000);
        playwright = await Playwright.CreateAsync();
        browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ExecutablePath,
            Headless = true,
            Args = Arguments,
        });
    }

    /// <summary>A new, empty browser context (a first-time visitor) on <paramref name="screen"/> in <paramref name="scheme"/>.</summary>
    public async Task<Visit> VisitAsync(StoreServer store, Screen screen, ColorScheme scheme = ColorScheme.Light)
    {
        var context = await browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = store.Address.ToString(),
            ViewportSize = new ViewportSize { Width = screen.Width, Height = screen.Height },
            IsMobile = screen.IsPhone,
            HasTouch = screen.IsPhone,
            DeviceScaleFactor = 1,
            ColorScheme = scheme,
            // Screenshots and layouts must not depend on the machine's settings or on motion mid-way.
            Locale = "en-US",
            TimezoneId = "UTC",
            ReducedMotion = ReducedMotion.Reduce,
        });
        context.SetDefaultTimeout(15_000);
        context.SetDefaultNavigationTimeout(30_000);
        var console = await ConsoleErrors.WatchAsync(context);
        var page = await context.NewPageAsync();
        return new Visit(store, context, page, console, screen, scheme);
    }

    public async Task DisposeAsync()
    {
        if (browser is not null) await browser.DisposeAsync();
        playwright?.Dispose();
    }
}

/// <summary>One visitor's browser session: the store it visits, its context, first tab and the console messages and errors of all its tabs.</summary>
public sealed class Visit(StoreServer store, IBrowserContext context, IPage page, ConsoleErrors consoleErrors, Screen screen, ColorScheme scheme) : IAsyncDisposable
{
    public StoreServer Store { get; } = store;
    public IBrowserContext Context { get; } = context;
    public IPage Page { get; } = page;
    public ConsoleErrors ConsoleErrors { get; } = consoleErrors;
    public Screen Screen { get; } = screen;
    public ColorScheme Scheme { get; } = scheme;

    /// <summary>Another tab of the same visitor (same cookies), e.g. to see a change arrive live.</summary>
    public Task<IPage> OpenTabAsync() => Context.NewPageAsync();

    public ValueTask DisposeAsync() => Context.DisposeAsync();
}
