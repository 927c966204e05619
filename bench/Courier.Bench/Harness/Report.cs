using System.Globalization;

namespace Courier.Bench.Harness;

/// <summary>Prints figures as fixed-width tables, one per scenario, and the verdict of every target at the end.</summary>
internal sealed class Report
{
    private const int FigureWidth = 52;
    private const int ValueWidth = 24;
    private const int TargetWidth = 14;
    private static readonly string Rule = new('-', FigureWidth + ValueWidth + TargetWidth + 4);

    private readonly List<(string Target, bool Met, string Detail)> verdicts = [];

    public bool AllMet => verdicts.TrueForAll(v => v.Met);

    public static void Facts(string title, IEnumerable<(string Name, string Value)> facts)
    {
        Console.WriteLine(title);
        Console.WriteLine(Rule);
        foreach (var (name, value) in facts)
            Console.WriteLine($"  {name,-22} {value}");
        Console.WriteLine();
    }

    public static void Section(string title)
    {
        Console.WriteLine(title);
        Console.WriteLine(Rule);
        Console.WriteLine($"  {"figure",-FigureWidth}{"value",ValueWidth}  {"target",-TargetWidth}");
    }

    public static void Row(string figure, string value, string target = "") =>
        Console.WriteLine($"  {figure,-FigureWidth}{value,ValueWidth}  {target,-TargetWidth}");

    public static void Note(string text) => Console.WriteLine($"  · {text}");

    public static void EndSection() => Console.WriteLine();

    public void Verdict(string target, bool met, string detail) => verdicts.Add((target, met, detail));

    public void PrintVerdicts()
    {
        Console.WriteLine("Verdict");
        Console.WriteLine(Rule);
        foreach (var (target, met, detail) in verdicts)
            Console.WriteLine($"  {(met ? "MET   " : "MISSED")}  {target,-36} {detail}");
    }

    public static string Rate(double perSecond) => perSecond.ToString("#,0", CultureInfo.InvariantCulture) + " /s";

    public static string Count(long count) => count.ToString("#,0", CultureInfo.InvariantCulture);

    public static string Ms(double milliseconds) => milliseconds.ToString(milliseconds < 10 ? "0.00" : "#,0", CultureInfo.InvariantCulture) + " ms";

    public static string Bytes(double bytes) => bytes.ToString("#,0", CultureInfo.InvariantCulture) + " B";

    public static string Seconds(TimeSpan span) => span.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) + " s";
}
