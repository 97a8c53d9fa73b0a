namespace Orleans.Gan.Data;

/// <summary>
/// Derives a seed for System.Random from several integers. HashCode.Combine cannot be used: it is randomised per
/// process, and every shuffle and synthetic image must be reproducible across runs and machines.
/// </summary>
internal static class StableSeed
{
    public static int Combine(int a, int b, int c = 0)
    {
        // SplitMix64's finaliser over each input in turn: neighbouring inputs give unrelated seeds.
        ulong state = 0x9E3779B97F4A7C15UL;
        state = Mix(state ^ (uint)a);
        state = Mix(state ^ (uint)b);
        state = Mix(state ^ (uint)c);
        return (int)(state ^ (state >> 32));
    }

    private static ulong Mix(ulong z)
    {
        z += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
