using System.Buffers.Binary;
using System.IO.Compression;

namespace Courier.EndToEnd.Tests.Browsing;

/// <summary>
/// The pixels of a PNG as Chromium writes screenshots (8-bit RGB or RGBA, not interlaced), enough
/// to tell a changed page from anti-aliasing noise. Stands in for an image library.
/// </summary>
internal sealed class PngPixels
{
    private static readonly byte[] Signature = [137, 80, 78, 71, 13, 10, 26, 10];

    private PngPixels(int width, int height, int channels, byte[] data)
    {
        Width = width;
        Height = height;
        Channels = channels;
        Data = data;
    }

    public int Width { get; }
    public int Height { get; }
    public int Channels { get; }
    public byte[] Data { get; }

    /// <summary>The pixels, or null for a file this reader does not understand (it is then treated as different).</summary>
    public static PngPixels? Read(ReadOnlySpan<byte> png)
    {
        if (png.Length < 8 || !png[..8].SequenceEqual(Signature)) return null;
        int width = 0, height = 0, channels = 0;
        using var compressed = new MemoryStream();
        for (var at = 8; at + 12 <= png.Length;)
        {
            var length = (int)BinaryPrimitives.ReadUInt32BigEndian(png[at..]);
            var type = png.Slice(at + 4, 4);
            var body = png.Slice(at + 8, length);
            if (type.SequenceEqual("IHDR"u8))
            {
                width = (int)BinaryPrimitives.ReadUInt32BigEndian(body);
                height = (int)BinaryPrimitives.ReadUInt32BigEndian(body[4..]);
                var (bitDepth, colourType, interlace) = (body[8], body[9], body[12]);
                channels = colourType switch { 2 => 3, 6 => 4, _ => 0 };
                if (bitDepth != 8 || channels == 0 || interlace != 0) return null;
            }
            else if (type.SequenceEqual("IDAT"u8))
            {
                compressed.Write(body);
            }
            at += length + 12;
        }
        if (channels == 0) return null;

        compressed.Position = 0;
        using var inflate = new ZLibStream(compressed, CompressionMode.Decompress);
        var stride = width * channels;
        var data = new byte[stride * height];
        var row = new byte[stride + 1];
        for (var y = 0; y < height; y++)
        {
            inflate.ReadExactly(row);
            Unfilter(row[0], row.AsSpan(1), data.AsSpan(y * stride, stride), y == 0 ? [] : data.AsSpan((y - 1) * stride, stride), channels);
        }
        return new PngPixels(width, height, channels, data);
    }

    /// <summary>True when both have the same size and no colour channel differs by more than <paramref name="tolerance"/>.</summary>
    public bool LooksLike(PngPixels other, int tolerance)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (Width != other.Width || Height != other.Height || Channels != other.Channels) return false;
        for (var i = 0; i < Data.Length; i++)
            if (Math.Abs(Data[i] - other.Data[i]) > tolerance) return false;
        return true;
    }

    private static void Unfilter(byte filter, ReadOnlySpan<byte> source, Span<byte> target, ReadOnlySpan<byte> above, int channels)
    {
        for (var x = 0; x < source.Length; x++)
        {
            int left = x >= channels ? target[x - channels] : 0;
            int up = above.IsEmpty ? 0 : above[x];
            int upLeft = x >= channels && !above.IsEmpty ? above[x - channels] : 0;
            var predicted = filter switch
            {
                0 => 0,
                1 => left,
                2 => up,
                3 => (left + up) / 2,
                4 => Paeth(left, up, upLeft),
                _ => throw new InvalidDataException($"PNG row filter {filter} does not exist."),
            };
            target[x] = (byte)(source[x] + predicted);
        }
    }

    private static int Paeth(int left, int up, int upLeft)
    {
        var estimate = left + up - upLeft;
        var (toLeft, toUp, toUpLeft) = (Math.Abs(estimate - left), Math.Abs(estimate - up), Math.Abs(estimate - upLeft));
        return toLeft <= toUp && toLeft <= toUpLeft ? left : toUp <= toUpLeft ? up : upLeft;
    }
}
