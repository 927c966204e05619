using System.Globalization;

namespace Courier.Bench.Harness;

/// <summary>
/// CPU time the whole machine spent (app, PostgreSQL and the load generator alike), read from
/// /proc/stat: dividing it by the work done gives a cost per unit that another busy process skews
/// far less than a rate does.
/// </summary>
internal readonly record struct MachineCpu(double BusySeconds)
{
    public static MachineCpu Now()
    {
        try
        {
            var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1)
                .Select(f => long.Parse(f, CultureInfo.InvariantCulture)).ToArray();
            // user nice system idle iowait irq softirq steal: everything but idle and iowait is busy.
            var busy = fields[0] + fields[1] + fields[2] + fields[5] + fields[6];
            return new MachineCpu(busy / 100.0);
        }
        catch (Exception ex) when (ex is IOException or FormatException or IndexOutOfRangeException or InvalidOperationException)
        {
            return new MachineCpu(double.NaN);
        }
    }

    public static double operator -(MachineCpu after, MachineCpu before) => after.BusySeconds - before.BusySeconds;
}
