using StbImageSharp;

namespace Courier.EndToEnd.Tests.Browsing;

/// <summary>
/// The pixels of a screenshot (decoded by StbImageSharp into RGBA), enough to tell a changed page
/// from anti-aliasing noise.
/// </summary>
internal sealed class PngPixels
{
    private const int Channels = 4;

    private PngPixels(int width, int height, byte[] data)
    {
        Width = width;
        Height = height;
        Data = data;
    }

    public int Width { get; }
    public int Height { get; }
    public byte[] Data { get; }

    /// <summary>The pixels, or null for bytes that are not an image (they are then treated as different).</summary>
    public static PngPixels? Read(byte[] png)
    {
        try
        {
            var image = ImageResult.FromMemory(png, ColorComponents.RedGreenBlueAlpha);
            return new PngPixels(image.Width, image.Height, image.Data);
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>
    /// True when both have the same size and no colour channel differs by more than
    /// <paramref name="tolerance"/>, except in at most <paramref name="strayPixels"/> pixels.
    /// </summary>
    public bool LooksLike(PngPixels other, int tolerance, int strayPixels = 0)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (Width != other.Width || Height != other.Height) return false;
        var stray = 0;
        for (var pixel = 0; pixel < Data.Length; pixel += Channels)
        {
            for (var channel = pixel; channel < pixel + Channels; channel++)
            {
                if (Math.Abs(Data[channel] - other.Data[channel]) <= tolerance) continue;
                if (++stray > strayPixels) return false;
                break;
            }
        }
        return true;
    }
}
