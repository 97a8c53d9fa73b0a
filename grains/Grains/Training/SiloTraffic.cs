using Orleans.Gan.Contracts;
using Orleans.Gan.Core.Training;
using Orleans.Gan.Core.Training.Sharding;

namespace Orleans.Gan.Grains.Training;

/// <summary>
/// The bytes a step moves between silos, per silo (sent plus received), reckoned from the layout and the offers'
/// lengths: every holder fetches its slices of every other silo's sum (from three silos on, the owner does, and the
/// mirror fetches the owner's mean), and every stage fetches the new slices it does not hold from their owners.
/// </summary>
public sealed class SiloTraffic(MasterLayout layout)
{
    private readonly Dictionary<string, long> bytes = [];

    /// <summary>The most any one silo sent and received.</summary>
    public long Busiest => bytes.Count == 0 ? 0 : bytes.Values.Max();

    /// <summary>All bytes moved between silos, each counted once.</summary>
    public long Total { get; private set; }

    /// <summary>The holders' fetches of their slices of each sum, and the mirrors' of their owners' float32 means.</summary>
    public void ReduceScattered(IReadOnlyList<StageSum> sums)
    {
        int slices = layout.Silos.Length;
        bool ownersOnly = FlatSlices.MirrorsFetchTheOwnersMean(slices);
        foreach (var sum in sums)
        {
            for (int slice = 0; slice < slices; slice++)
            {
                foreach (int holder in ownersOnly ? [slice] : FlatSlices.HoldersOf(slice, slices))
                    Moved(sum.Silo, layout.Silos[holder], sum.Slices[slice].Length);
            }
        }
        if (!ownersOnly || sums.Count == 0)
            return;
        int bytesPerElement = sums[0].Precision.ToCore().BytesPerElement();
        for (int slice = 0; slice < slices; slice++)
        {
            long meanBytes = sums[0].Slices[slice].Length / bytesPerElement * sizeof(float);
            foreach (int holder in FlatSlices.HoldersOf(slice, slices))
                Moved(layout.Silos[slice], layout.Silos[holder], meanBytes);
        }
    }

    /// <summary>The fetches of new slices, from their owners, by the stages of <paramref name="silos"/> that do not hold them.</summary>
    public void Gathered(IReadOnlyList<SliceOffer> offers, IEnumerable<string> silos)
    {
        int slices = layout.Silos.Length;
        foreach (var silo in silos)
        {
            int holder = layout.HolderOf(silo);
            foreach (var offer in offers.Where(o => holder < 0 || !FlatSlices.HeldBy(holder, slices).Contains(o.Slice)))
                Moved(layout.Silos[offer.Slice], silo, offer.Values.Length);
        }
    }

    private void Moved(string from, string to, long length)
    {
        if (from == to)
            return;
        bytes[from] = bytes.GetValueOrDefault(from) + length;
        bytes[to] = bytes.GetValueOrDefault(to) + length;
        Total += length;
    }
}
