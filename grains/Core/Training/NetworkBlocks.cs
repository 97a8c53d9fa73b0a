using System.Runtime.InteropServices;
using Orleans.Gan.Core.Models;

namespace Orleans.Gan.Core.Training;

/// <summary>
/// The four buffers that travel between coordinator and workers: each network's parameters and statistics. A step's
/// weights travel as two buffers: the generator set (G's parameters, then G's and D's batch-norm statistics), which
/// changes every step, and D's parameters, which a silo that took part in the last step already holds.
/// </summary>
public sealed class NetworkBlocks(GanNetworks networks)
{
    public TensorBlock GeneratorParameters { get; } = TensorBlock.Parameters(networks.Generator);

    public TensorBlock DiscriminatorParameters { get; } = TensorBlock.Parameters(networks.Discriminator);

    public TensorBlock GeneratorStatistics { get; } = TensorBlock.RunningStatistics(networks.Generator);

    public TensorBlock DiscriminatorStatistics { get; } = TensorBlock.RunningStatistics(networks.Discriminator);

    /// <summary>Bytes of both networks' batch-norm statistics, G's then D's.</summary>
    public int StatisticsByteCount => GeneratorStatistics.ByteCount + DiscriminatorStatistics.ByteCount;

    /// <summary>Bytes of the generator set: G's parameters, then the statistics.</summary>
    public int GeneratorSetByteCount => GeneratorParameters.ByteCount + StatisticsByteCount;

    /// <summary>All four buffers back to back (G, D, G's statistics, D's), in a new array: a whole replica's state, for comparing bit for bit.</summary>
    public byte[] ReadAll()
    {
        int g = GeneratorParameters.ByteCount, d = DiscriminatorParameters.ByteCount;
        var all = new byte[g + d + StatisticsByteCount];
        GeneratorParameters.ReadValues(all.AsSpan(0, g));
        DiscriminatorParameters.ReadValues(all.AsSpan(g, d));
        ReadStatistics(all.AsSpan(g + d));
        return all;
    }

    /// <summary>The generator set into a buffer the caller reuses.</summary>
    public void ReadGeneratorSet(Span<byte> destination)
    {
        if (destination.Length < GeneratorSetByteCount)
            throw new ArgumentException($"Expected room for a generator set of {GeneratorSetByteCount} bytes, got {destination.Length}.", nameof(destination));
        GeneratorParameters.ReadValues(destination);
        ReadStatistics(destination[GeneratorParameters.ByteCount..GeneratorSetByteCount]);
    }

    /// <summary>Overwrites G's parameters and both networks' statistics from a generator set.</summary>
    public void WriteGeneratorSet(ReadOnlySpan<byte> generatorSet)
    {
        if (generatorSet.Length != GeneratorSetByteCount)
            throw new ArgumentException($"Expected a generator set of {GeneratorSetByteCount} bytes, got {generatorSet.Length}.", nameof(generatorSet));
        GeneratorParameters.WriteValues(generatorSet[..GeneratorParameters.ByteCount]);
        WriteStatistics(generatorSet[GeneratorParameters.ByteCount..]);
    }

    /// <summary>
    /// Makes G's parameters hold those of a generator set, read in place where they can be
    /// (<see cref="TensorBlock.LoadValues"/>), and copies both networks' statistics from it.
    /// </summary>
    public void LoadGeneratorSet(ReadOnlyMemory<float> generatorSet)
    {
        int parameters = checked((int)GeneratorParameters.ElementCount);
        if (generatorSet.Length * sizeof(float) != GeneratorSetByteCount)
            throw new ArgumentException($"Expected a generator set of {GeneratorSetByteCount / sizeof(float)} floats, got {generatorSet.Length}.", nameof(generatorSet));
        GeneratorParameters.LoadValues(generatorSet[..parameters]);
        WriteStatistics(MemoryMarshal.AsBytes(generatorSet.Span[parameters..]));
    }

    /// <summary>G's statistics, then D's, into a buffer the caller reuses.</summary>
    public void ReadStatistics(Span<byte> destination)
    {
        GeneratorStatistics.ReadValues(destination);
        DiscriminatorStatistics.ReadValues(destination[GeneratorStatistics.ByteCount..]);
    }

    public void WriteStatistics(ReadOnlySpan<byte> statistics)
    {
        if (statistics.Length != StatisticsByteCount)
            throw new ArgumentException($"Expected {StatisticsByteCount} bytes of statistics, got {statistics.Length}.", nameof(statistics));
        GeneratorStatistics.WriteValues(statistics[..GeneratorStatistics.ByteCount]);
        DiscriminatorStatistics.WriteValues(statistics[GeneratorStatistics.ByteCount..]);
    }

    /// <summary>Makes <paramref name="target"/> hold exactly these networks' parameters and statistics.</summary>
    public void CopyTo(NetworkBlocks target)
    {
        var generatorSet = new byte[GeneratorSetByteCount];
        ReadGeneratorSet(generatorSet);
        target.WriteGeneratorSet(generatorSet);
        target.DiscriminatorParameters.WriteValues(DiscriminatorParameters.ReadValues());
    }
}
