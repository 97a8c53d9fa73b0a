using System.Globalization;

namespace Orleans.Gan.Bench.Measurement;

/// <summary>The 1-, 5- and 15-minute load averages, printed with the figures: other work on the machine moves them.</summary>
public static class MachineLoad
{
    public static string Now()
    {
        try
        {
            var fields = File.ReadAllText("/proc/loadavg").Split(' ');
            return string.Join(", ", fields.Take(3).Select(f => double.Parse(f, CultureInfo.InvariantCulture).ToString("0.00", CultureInfo.InvariantCulture)));
        }
        catch (IOException)
        {
            return "unknown";
        }
    }

    public static string Processor()
    {
        try
        {
            var model = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
            return model is null ? "unknown CPU" : model[(model.IndexOf(':') + 1)..].Trim();
        }
        catch (IOException)
        {
            return "unknown CPU";
        }
    }
}
