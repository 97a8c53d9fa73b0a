namespace Orleans.Gan.Bench.Measurement;

/// <summary>Repeated measurements of one thing, in seconds, warm-up already left out.</summary>
public sealed class Timings(IReadOnlyList<double> seconds)
{
    public IReadOnlyList<double> Seconds { get; } = seconds.Count > 0
        ? seconds
        : throw new ArgumentException("No measurements.", nameof(seconds));

    /// <summary>The median: one slow repeat (a GC, another process waking) does not move it.</summary>
    public double Median
    {
        get
        {
            var sorted = Seconds.Order().ToList();
            int middle = sorted.Count / 2;
            return sorted.Count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
        }
    }

    /// <summary>Times <paramref name="action"/> <paramref name="warmup"/> + <paramref name="repeats"/> times and keeps the last <paramref name="repeats"/>.</summary>
    public static Timings Measure(int warmup, int repeats, Action action)
    {
        var seconds = new List<double>(repeats);
        for (int i = 0; i < warmup + repeats; i++)
        {
            long started = System.Diagnostics.Stopwatch.GetTimestamp();
            action();
            if (i >= warmup)
                seconds.Add(System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds);
        }
        return new Timings(seconds);
    }
}
