using System.Text.RegularExpressions;
using Courier.TestSupport;
using Microsoft.Playwright;

namespace Courier.EndToEnd.Tests.Browsing;

/// <summary>
/// Full-page screenshots for <c>docs/screenshots/</c> (the README shows them), named
/// <c>{name}-{desktop|phone}-{light|dark}.png</c>. They are made to come out the same on every run
/// — no animation, no caret, fonts and pictures loaded, the text of elements marked <c>data-volatile</c> (order
/// numbers, times) replaced by a sample of the kind the attribute names (<c>order-id</c>) or by dots — and a file is rewritten only when
/// the page really looks different, so a changed file in git means the page changed.
/// </summary>
public static partial class Screenshots
{
    public static string Folder => Path.Combine(RepositoryPaths.Root, "docs", "screenshots");

    /// <summary>Captures the whole of <paramref name="page"/> as it is now; <paramref name="mask"/> paints over parts without text that change between runs (pictures, charts).</summary>
    /// <returns>The file written.</returns>
    public static Task<string> CaptureAsync(IPage page, string name, params ILocator[] mask) => CaptureAsync(page, name, fullPage: true, mask);

    /// <summary>
    /// Captures only what the screen shows. For overlays and fixed elements (the cart panel, the
    /// floating cart): a full-page picture draws them where the first screen ended, mid-page.
    /// </summary>
    /// <returns>The file written.</returns>
    public static Task<string> CaptureScreenAsync(IPage page, string name, params ILocator[] mask) => CaptureAsync(page, name, fullPage: false, mask);

    private static async Task<string> CaptureAsync(IPage page, string name, bool fullPage, ILocator[] mask)
    {
        ArgumentNullException.ThrowIfNull(page);
        if (!FileName().IsMatch(name))
            throw new ArgumentException($"Screenshot name '{name}' should be lower-case words joined by hyphens, e.g. \"checkout-return\".", nameof(name));

        var look = await PageLook.OfAsync(page);
        await page.EvaluateAsync(SteadyVolatileText);
        byte[] png;
        try
        {
            await page.EvaluateAsync(EverythingLoaded);
            png = await page.ScreenshotAsync(new PageScreenshotOptions
            {
                FullPage = fullPage,
                Animations = ScreenshotAnimations.Disabled,
                Caret = ScreenshotCaret.Hide,
                Mask = mask,
                MaskColor = "#98a2b3",
            });
        }
        finally
        {
            await page.EvaluateAsync(RestoreVolatileText);
        }

        Directory.CreateDirectory(Folder);
        var path = Path.Combine(Folder, $"{name}-{look.Screen.Name}-{look.Scheme}.png");
        if (!File.Exists(path) || !LooksTheSame(await File.ReadAllBytesAsync(path), png))
            await File.WriteAllBytesAsync(path, png);
        return path;
    }

    /// <summary>
    /// Chromium's software rasteriser anti-aliases rounded corners a shade differently from run to
    /// run, and a few edge pixels of a translucent, blurred layer (the floating cart, a badge over an
    /// icon) by more; that is not a change. Changed text or layout moves many more pixels than 16.
    /// </summary>
    private static bool LooksTheSame(byte[] committed, byte[] taken)
    {
        if (committed.AsSpan().SequenceEqual(taken)) return true;
        var before = PngPixels.Read(committed);
        var after = PngPixels.Read(taken);
        return before is not null && after is not null && before.LooksLike(after, tolerance: 8, strayPixels: 16);
    }

    /// <summary>Fonts, and every picture — lazy ones below the fold too, which a full-page picture shows.</summary>
    private const string EverythingLoaded = """
        async () => {
          await document.fonts.ready;
          await Promise.all([...document.images].map(image => {
            image.loading = 'eager';
            return image.complete && image.naturalWidth > 0 ? null : image.decode().catch(() => null);
          }));
        }
        """;

    private const string SteadyVolatileText = """
        () => {
          // What a run-specific value is shown as in every picture, by the kind the markup names.
          const SteadyText = { 'order-id': 'ord_3f9a6c1e2b7d4058' };
          window.__courierVolatile = [...document.querySelectorAll('[data-volatile]')].map(element => {
            const text = element.textContent;
            element.textContent = SteadyText[element.dataset.volatile] ?? '•'.repeat(text.length);
            return [element, text];
          });
        }
        """;

    private const string RestoreVolatileText = """
        () => {
          for (const [element, text] of window.__courierVolatile ?? []) element.textContent = text;
          delete window.__courierVolatile;
        }
        """;

    [GeneratedRegex("^[a-z0-9]+(-[a-z0-9]+)*$")]
    private static partial Regex FileName();
}
