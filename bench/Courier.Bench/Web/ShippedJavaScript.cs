using System.IO.Compression;
using System.Text;
using System.Text.RegularExpressions;

namespace Courier.Bench.Web;

/// <summary>
/// The JavaScript a page makes the browser download before it is interactive: its inline scripts,
/// its <c>&lt;script src&gt;</c> files and module preloads, and the modules those import statically
/// (lazy <c>import()</c> calls are not counted). Each file is gzipped on its own at the highest level,
/// as a server or CDN would send it.
/// </summary>
internal static partial class ShippedJavaScript
{
    public sealed record Measure(int Files, long RawBytes, long GzipBytes);

    public static async Task<Measure> OfPageAsync(HttpClient http, Uri page)
    {
        var html = await http.GetStringAsync(page);
        var files = 0;
        long raw = 0, gzip = 0;
        foreach (Match script in ScriptTag().Matches(html))
        {
            var attributes = script.Groups["attributes"].Value;
            if (Attribute(attributes, "src") is null && IsJavaScript(Attribute(attributes, "type")) && script.Groups["body"].Length > 0)
                Add(Encoding.UTF8.GetBytes(script.Groups["body"].Value));
        }

        var pending = new Queue<Uri>();
        var seen = new HashSet<Uri>();
        foreach (Match script in ScriptTag().Matches(html))
            if (Attribute(script.Groups["attributes"].Value, "src") is { } src && IsJavaScript(Attribute(script.Groups["attributes"].Value, "type")))
                Enqueue(page, src);
        foreach (Match link in LinkTag().Matches(html))
        {
            var attributes = link.Groups["attributes"].Value;
            var rel = Attribute(attributes, "rel") ?? "";
            if ((rel.Contains("modulepreload", StringComparison.OrdinalIgnoreCase)
                 || (rel.Contains("preload", StringComparison.OrdinalIgnoreCase) && Attribute(attributes, "as") == "script"))
                && Attribute(attributes, "href") is { } href)
                Enqueue(page, href);
        }
        while (pending.TryDequeue(out var file))
        {
            var bytes = await http.GetByteArrayAsync(file);
            Add(bytes);
            foreach (Match import in StaticImport().Matches(Encoding.UTF8.GetString(bytes)))
            {
                var specifier = import.Groups["specifier"].Value;
                if (specifier.StartsWith("./", StringComparison.Ordinal) || specifier.StartsWith("../", StringComparison.Ordinal) || specifier.StartsWith('/'))
                    Enqueue(file, specifier);
            }
        }
        return new Measure(files, raw, gzip);

        void Enqueue(Uri from, string reference)
        {
            var target = new Uri(from, reference);
            if (target.Host == page.Host && seen.Add(target)) pending.Enqueue(target);
        }

        void Add(byte[] bytes)
        {
            files++;
            raw += bytes.Length;
            gzip += Gzipped(bytes);
        }
    }

    private static long Gzipped(byte[] bytes)
    {
        using var buffer = new MemoryStream();
        using (var compressor = new GZipStream(buffer, CompressionLevel.SmallestSize, leaveOpen: true)) compressor.Write(bytes);
        return buffer.Length;
    }

    private static bool IsJavaScript(string? type) =>
        type is null or "" or "module" or "text/javascript" or "application/javascript";

    private static string? Attribute(string attributes, string name)
    {
        foreach (Match attribute in AttributePattern().Matches(attributes))
            if (attribute.Groups["name"].Value.Equals(name, StringComparison.OrdinalIgnoreCase))
                return System.Net.WebUtility.HtmlDecode(attribute.Groups["value"].Value);
        return null;
    }

    [GeneratedRegex("""<script\b(?<attributes>[^>]*)>(?<body>.*?)</script\s*>""", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex ScriptTag();

    [GeneratedRegex("""<link\b(?<attributes>[^>]*)>""", RegexOptions.IgnoreCase)]
    private static partial Regex LinkTag();

    [GeneratedRegex("""(?<name>[\w:-]+)\s*=\s*(?:"(?<value>[^"]*)"|'(?<value>[^']*)'|(?<value>[^\s"'>]+))""")]
    private static partial Regex AttributePattern();

    [GeneratedRegex("""(?:^|[;}\s])(?:import|export)\s*(?:[\w$*{}\s,]+?\s*from\s*)?["'](?<specifier>[^"'\n]+)["']""", RegexOptions.Multiline)]
    private static partial Regex StaticImport();
}
