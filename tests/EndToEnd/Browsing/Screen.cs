using Microsoft.Playwright;

namespace Courier.EndToEnd.Tests.Browsing;

/// <summary>A screen the storefront must look right on; the name appears in screenshot files.</summary>
public sealed record Screen(string Name, int Width, int Height, bool IsPhone)
{
    /// <summary>A laptop: 1440×900.</summary>
    public static readonly Screen Desktop = new("desktop", 1440, 900, IsPhone: false);

    /// <summary>A current phone held upright: 390×844, touch, mobile viewport rules.</summary>
    public static readonly Screen Phone = new("phone", 390, 844, IsPhone: true);

    public static IReadOnlyList<Screen> All { get; } = [Desktop, Phone];

    /// <summary>
    /// Every screen in light and dark, for a <c>[Theory]</c>:
    /// <c>[MemberData(nameof(Screen.EveryLook), MemberType = typeof(Screen))]</c> with parameters
    /// <c>(string screen, ColorScheme scheme)</c>; <see cref="Named"/> turns the name back into the screen.
    /// </summary>
    public static TheoryData<string, ColorScheme> EveryLook
    {
        get
        {
            var looks = new TheoryData<string, ColorScheme>();
            foreach (var screen in All)
                foreach (var scheme in new[] { ColorScheme.Light, ColorScheme.Dark })
                    looks.Add(screen.Name, scheme);
            return looks;
        }
    }

    public static Screen Named(string name) =>
        All.FirstOrDefault(screen => screen.Name == name) ?? throw new ArgumentException($"There is no screen named '{name}'.", nameof(name));

    /// <summary>The screen a page was opened on, recognised by its viewport width.</summary>
    public static Screen Of(int viewportWidth) =>
        All.FirstOrDefault(screen => screen.Width == viewportWidth)
        ?? throw new ArgumentException($"A viewport {viewportWidth} px wide is none of the known screens ({string.Join(", ", All)}); open pages through ChromiumBrowser.VisitAsync.", nameof(viewportWidth));

    public override string ToString() => $"{Name} {Width}×{Height}";
}
