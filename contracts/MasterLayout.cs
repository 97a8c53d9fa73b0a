namespace Orleans.Gan.Contracts;

/// <summary>
/// Where the sharded master lives: one slice of each network per silo with workers, the silos in name order, so that
/// slice k is owned by <c>Silos[k]</c> and mirrored by the next silo round the ring. Seeded under a new
/// <paramref name="Version"/> whenever the silos with workers change.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record MasterLayout([property: Id(0)] long Version, [property: Id(1)] string[] Silos)
{
    /// <summary>The holder number of <paramref name="silo"/>, or -1 where it holds no slice.</summary>
    public int HolderOf(string silo) => Array.IndexOf(Silos, silo);
}
