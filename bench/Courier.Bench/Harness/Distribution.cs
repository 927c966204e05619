namespace Courier.Bench.Harness;

/// <summary>Percentiles of a set of samples (nearest-rank).</summary>
internal sealed class Distribution
{
    private readonly double[] sorted;

    private Distribution(double[] sorted) => this.sorted = sorted;

    public int Count => sorted.Length;
    public double Min => sorted.Length == 0 ? double.NaN : sorted[0];
    public double Max => sorted.Length == 0 ? double.NaN : sorted[^1];
    public double P50 => Percentile(50);
    public double P99 => Percentile(99);

    public static Distribution Of(IEnumerable<double> samples)
    {
        var values = samples.ToArray();
        Array.Sort(values);
        return new Distribution(values);
    }

    public double Percentile(double p)
    {
        if (sorted.Length == 0) return double.NaN;
        var rank = (int)Math.Ceiling(p / 100 * sorted.Length);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
    }
}
