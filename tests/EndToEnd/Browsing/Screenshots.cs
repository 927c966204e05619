using System.Text.RegularExpressions;
using Courier.TestSupport;
using Microsoft.Playwright;

namespace Courier.EndToEnd.Tests.Browsing;

/// <summary>
/// Full-page screenshots for <c>docs/screenshots/</c> (the README shows them), named
/// <c>{name}-{desktop|phone}-{light|dark}.png</c>. They are made to come out the same on every run
/// — no animation, no caret, fonts loaded, the text of elements marked <c>data-volatile</c> (order
/// numbers, times) replaced by the attribute's value or by dots — and a file is rewritten only when
/// the page really looks different, so a changed file in git means the page changed.
/// </summary>
public static partial class Screenshots
{
    public static string Folder => Path.Combine(RepositoryPaths.Root, "docs", "screenshots");

    /// <summary>Captures <paramref name="page"/> as it is now; <paramref name="mask"/> paints over parts without text that change between runs (pictures, charts).</summary>
    /// <returns>The file written.</returns>
    public static async Task<string> CaptureAsync(IPage page, string name, params ILocator[] mask)
    {
        ArgumentNullException.ThrowIfNull(page);
        if (!FileName().IsMatch(name))
            throw new ArgumentException($"Screenshot name '{name}' should be lower-case words joined by hyphens, e.g. \"checkout-return\".", nameof(name));

        var look = await PageLook.OfAsync(page);
        await page.EvaluateAsync(SteadyVolatileText);
        byte[] png;
        try
        {
            await page.EvaluateAsync("async () => { await document.fonts.ready; }");
            png = await page.ScreenshotAsync(new PageScreenshotOptions
            {
                FullPage = true,
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

    /// <summary>Chromium's software rasteriser anti-aliases rounded corners a shade differently from run to run; that is not a change.</summary>
    private static bool LooksTheSame(byte[] committed, byte[] taken)
    {
        if (committed.AsSpan().SequenceEqual(taken)) return true;
        var before = PngPixels.Read(committed);
        var after = PngPixels.Read(taken);
        return before is not null && after is not null && before.LooksLike(after, tolerance: 8);
    }

    private const string SteadyVolatileText = """
        () => {
          window.__courierVolatile = [...document.querySelectorAll('[data-volatile]')].map(element => {
            const text = element.textContent;
            element.textContent = element.dataset.volatile || '•'.repeat(text.length);
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
