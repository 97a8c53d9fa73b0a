namespace Orleans.Gan.Core.Training.Sharding;

/// <summary>
/// How the master is split across the silos with workers: each network's flat parameter vector into contiguous
/// slices, one per silo, and which silos hold each. Slice k is owned by holder k and mirrored by holder k + 1 (the
/// next, round the ring), so that any one holder can be lost without losing a slice; with one holder there is no
/// mirror. Boundaries fall on multiples of <see cref="Alignment"/> elements, so that every slice starts on a whole
/// vector of floats and on a cache line.
/// </summary>
public static class FlatSlices
{
    public const int Alignment = 64;

    /// <summary>Elements [start, end) of slice <paramref name="index"/> of <paramref name="slices"/> over <paramref name="elements"/>.</summary>
    public static Range Of(int elements, int slices, int index)
    {
        if (slices < 1 || index < 0 || index >= slices)
            throw new ArgumentOutOfRangeException(nameof(index), index, $"A slice of {slices} slices is numbered 0 to {slices - 1}.");
        return Boundary(elements, slices, index)..Boundary(elements, slices, index + 1);
    }

    /// <summary>The holders of slice <paramref name="index"/>: its owner, then its mirror where there is one.</summary>
    public static int[] HoldersOf(int index, int slices) => slices == 1 ? [index] : [index, (index + 1) % slices];

    /// <summary>
    /// Whether each slice's owner takes the mean of the sums first and its mirror fetches that mean, rather than both
    /// fetching the slice of every sum: from three slices on, where it moves fewer bytes (at two, the mirror's one
    /// fetch would be as large as its share of the sums, one round trip later).
    /// </summary>
    public static bool MirrorsFetchTheOwnersMean(int slices) => slices >= 3;

    /// <summary>The slices that holder <paramref name="holder"/> keeps, in ascending order: the one it owns and the one it mirrors.</summary>
    public static int[] HeldBy(int holder, int slices) =>
        slices == 1 ? [holder] : [.. new[] { holder, (holder - 1 + slices) % slices }.Order()];

    private static int Boundary(int elements, int slices, int index)
    {
        long even = (long)elements * index / slices;
        return index == slices ? elements : (int)Math.Min(elements, even / Alignment * Alignment);
    }
}
