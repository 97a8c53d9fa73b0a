using Orleans.Gan.Bench.Measurement;

namespace Orleans.Gan.Bench.Exchange;

/// <summary>This machine's single-thread copy rate for a buffer of a weight set's size: the ceiling of every copy.</summary>
public static class MemcpyBandwidth
{
    public const int Bytes = 64 * 1024 * 1024;

    public static Timings Measure(int repeats)
    {
        var source = new byte[Bytes];
        Random.Shared.NextBytes(source);
        var destination = new byte[Bytes];
        return Timings.Measure(warmup: 1, repeats, () => source.AsSpan().CopyTo(destination));
    }
}
