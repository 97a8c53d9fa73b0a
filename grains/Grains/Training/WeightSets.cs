using System.IO.Hashing;
using Orleans.Gan.Contracts;
using Orleans.Gan.Core.Training;

namespace Orleans.Gan.Grains.Training;

/// <summary>Reads a <see cref="WeightSet"/> out of a network replica and writes it back in, checksum checked.</summary>
public static class WeightSets
{
    public static WeightSet Read(NetworkBlocks blocks, long version)
    {
        byte[] g = blocks.GeneratorParameters.ReadValues(), d = blocks.DiscriminatorParameters.ReadValues();
        byte[] gs = blocks.GeneratorStatistics.ReadValues(), ds = blocks.DiscriminatorStatistics.ReadValues();
        return new WeightSet(version, g, d, gs, ds, Checksum(g, d, gs, ds));
    }

    /// <summary>Overwrites the replica; a set whose checksum does not match is refused before anything is written.</summary>
    public static void Write(NetworkBlocks blocks, WeightSet weights)
    {
        var actual = Checksum(weights.GeneratorParameters, weights.DiscriminatorParameters, weights.GeneratorStatistics, weights.DiscriminatorStatistics);
        if (actual != weights.Checksum)
            throw new InvalidDataException($"Weight set of version {weights.Version} fails its checksum; it was not applied.");
        blocks.GeneratorParameters.WriteValues(weights.GeneratorParameters);
        blocks.DiscriminatorParameters.WriteValues(weights.DiscriminatorParameters);
        blocks.GeneratorStatistics.WriteValues(weights.GeneratorStatistics);
        blocks.DiscriminatorStatistics.WriteValues(weights.DiscriminatorStatistics);
    }

    private static ulong Checksum(params byte[][] buffers)
    {
        var hash = new XxHash3();
        foreach (var buffer in buffers)
            hash.Append(buffer);
        return hash.GetCurrentHashAsUInt64();
    }
}
