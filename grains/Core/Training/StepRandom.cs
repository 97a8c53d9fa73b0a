using static TorchSharp.torch;

namespace Orleans.Gan.Core.Training;

/// <summary>
/// The generator for one worker's share of one step, derived from (run seed, step, worker) alone. Nothing random is
/// carried from step to step, so a resumed run, or a step redone after a failure, draws exactly the same noise and
/// dropout masks as the first time.
/// </summary>
public static class StepRandom
{
    public static Generator For(long seed, long step, int worker) => new(Mix(seed, step, worker));

    /// <summary>The fixed noise of the faces grid: the same for every sample of a run.</summary>
    public static Generator ForFixedNoise(long seed) => new(Mix(seed, -1, -1));

    /// <summary>SplitMix64 over the three inputs, so that neighbouring steps get unrelated streams.</summary>
    private static ulong Mix(long seed, long step, int worker)
    {
        ulong x = unchecked((ulong)seed);
        x = SplitMix(x ^ SplitMix(unchecked((ulong)step)));
        x = SplitMix(x ^ SplitMix(unchecked((ulong)worker + 0x51ED27)));
        return x;
    }

    private static ulong SplitMix(ulong z)
    {
        unchecked
        {
            z += 0x9E3779B97F4A7C15UL;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            return z ^ (z >> 31);
        }
    }
}
