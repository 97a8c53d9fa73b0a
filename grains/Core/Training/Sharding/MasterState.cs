using System.Runtime.InteropServices;
using Orleans.Gan.Core.Models;

namespace Orleans.Gan.Core.Training.Sharding;

/// <summary>
/// The whole master after <see cref="Step"/> steps, as flat arrays: the generator set (G's parameters, then G's and
/// D's batch-norm statistics), D's parameters, both Adams' moments and step counts, and G_ema's parameters where the
/// run keeps one. The coordinator reads it from its networks to seed the silos' shards, and assembles it from their
/// slices to write checkpoints, grids and scores (<see cref="MasterShard"/>). It travels as one buffer
/// (<see cref="ToBytes"/>).
/// </summary>
public sealed class MasterState
{
    private const long Magic = 0x3130_7473_614D_4E47; // "GNMast01"
    private const int HeaderLongs = 8;

    public MasterState(long step, byte[] generatorSet, int generatorParameterBytes, byte[] discriminator,
        AdamMoments generatorAdam, AdamMoments discriminatorAdam, float[]? average)
    {
        if (generatorParameterBytes % sizeof(float) != 0 || generatorParameterBytes > generatorSet.Length || discriminator.Length % sizeof(float) != 0)
            throw new ArgumentException("A master's buffers hold whole float32 values.");
        if (generatorAdam.ExpAvg.Length != generatorParameterBytes / sizeof(float) || discriminatorAdam.ExpAvg.Length != discriminator.Length / sizeof(float)
            || (average is not null && average.Length != generatorAdam.ExpAvg.Length))
            throw new ArgumentException("A master's moments and G_ema have one value per parameter.");
        (Step, GeneratorSet, GeneratorParameterBytes, Discriminator) = (step, generatorSet, generatorParameterBytes, discriminator);
        (GeneratorAdam, DiscriminatorAdam, Average) = (generatorAdam, discriminatorAdam, average);
    }

    /// <summary>Steps taken: the step the run continues from.</summary>
    public long Step { get; }

    /// <summary>G's parameters, then G's and D's batch-norm statistics, as the workers take them.</summary>
    public byte[] GeneratorSet { get; }

    public int GeneratorParameterBytes { get; }

    public byte[] Discriminator { get; }

    public AdamMoments GeneratorAdam { get; }

    public AdamMoments DiscriminatorAdam { get; }

    /// <summary>G_ema's parameters in G's order; null where the run keeps no G_ema.</summary>
    public float[]? Average { get; }

    /// <summary>The master as <paramref name="networks"/>, <paramref name="optimizers"/> and <paramref name="average"/> hold it after <paramref name="step"/> steps.</summary>
    public static MasterState Read(GanNetworks networks, GanOptimizers optimizers, GeneratorAverage? average, long step)
    {
        var blocks = new NetworkBlocks(networks);
        var generatorSet = new byte[blocks.GeneratorSetByteCount];
        blocks.ReadGeneratorSet(generatorSet);
        float[]? averaged = null;
        if (average is not null)
        {
            averaged = new float[blocks.GeneratorParameters.ElementCount];
            average.ReadParameters(MemoryMarshal.AsBytes(averaged.AsSpan()));
        }
        return new MasterState(step, generatorSet, blocks.GeneratorParameters.ByteCount, blocks.DiscriminatorParameters.ReadValues(),
            AdamMoments.Of(optimizers.Generator), AdamMoments.Of(optimizers.Discriminator), averaged);
    }

    /// <summary>Makes <paramref name="networks"/>, <paramref name="optimizers"/> and <paramref name="average"/> hold this master.</summary>
    public void WriteTo(GanNetworks networks, GanOptimizers optimizers, GeneratorAverage? average)
    {
        var blocks = new NetworkBlocks(networks);
        blocks.WriteGeneratorSet(GeneratorSet);
        blocks.DiscriminatorParameters.WriteValues(Discriminator);
        GeneratorAdam.WriteTo(optimizers.Generator);
        DiscriminatorAdam.WriteTo(optimizers.Discriminator);
        if (average is not null)
        {
            if (Average is not null)
                average.Load(MemoryMarshal.AsBytes(Average.AsSpan()));
            else
                average.CopyFromGenerator();
        }
    }

    /// <summary>All of it in one buffer: a header of lengths and step counts, then each array's bytes.</summary>
    public byte[] ToBytes()
    {
        int headerBytes = HeaderLongs * sizeof(long);
        var bytes = new byte[headerBytes + GeneratorSet.Length + Discriminator.Length * 3 + GeneratorParameterBytes * (Average is null ? 2 : 3)];
        var header = MemoryMarshal.Cast<byte, long>(bytes.AsSpan(0, headerBytes));
        (header[0], header[1], header[2], header[3]) = (Magic, Step, GeneratorParameterBytes, GeneratorSet.Length - GeneratorParameterBytes);
        (header[4], header[5], header[6], header[7]) = (Discriminator.Length, GeneratorAdam.Steps, DiscriminatorAdam.Steps, Average is null ? 0 : 1);
        int offset = headerBytes;
        Put(bytes, ref offset, GeneratorSet);
        Put(bytes, ref offset, Discriminator);
        Put(bytes, ref offset, MemoryMarshal.AsBytes(GeneratorAdam.ExpAvg.AsSpan()));
        Put(bytes, ref offset, MemoryMarshal.AsBytes(GeneratorAdam.ExpAvgSq.AsSpan()));
        Put(bytes, ref offset, MemoryMarshal.AsBytes(DiscriminatorAdam.ExpAvg.AsSpan()));
        Put(bytes, ref offset, MemoryMarshal.AsBytes(DiscriminatorAdam.ExpAvgSq.AsSpan()));
        if (Average is not null)
            Put(bytes, ref offset, MemoryMarshal.AsBytes(Average.AsSpan()));
        return bytes;
    }

    /// <summary>Reads what <see cref="ToBytes"/> wrote; throws <see cref="InvalidDataException"/> on anything else.</summary>
    public static MasterState FromBytes(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < HeaderLongs * sizeof(long))
            throw new InvalidDataException($"A master's state has a header of {HeaderLongs * sizeof(long)} bytes; got {bytes.Length} bytes.");
        var header = MemoryMarshal.Cast<byte, long>(bytes[..(HeaderLongs * sizeof(long))]);
        if (header[0] != Magic)
            throw new InvalidDataException("The buffer is not a master's state.");
        int generatorBytes = checked((int)header[2]), statisticsBytes = checked((int)header[3]), discriminatorBytes = checked((int)header[4]);
        bool averaged = header[7] != 0;
        long expected = HeaderLongs * sizeof(long) + (long)generatorBytes * (averaged ? 4 : 3) + statisticsBytes + discriminatorBytes * 3L;
        if (bytes.Length != expected)
            throw new InvalidDataException($"A master's state of these sizes has {expected} bytes, not {bytes.Length}.");
        int offset = HeaderLongs * sizeof(long);
        var generatorSet = Take(bytes, ref offset, generatorBytes + statisticsBytes);
        var discriminator = Take(bytes, ref offset, discriminatorBytes);
        var generatorAdam = new AdamMoments(Floats(bytes, ref offset, generatorBytes), Floats(bytes, ref offset, generatorBytes), header[5]);
        var discriminatorAdam = new AdamMoments(Floats(bytes, ref offset, discriminatorBytes), Floats(bytes, ref offset, discriminatorBytes), header[6]);
        return new MasterState(header[1], generatorSet, generatorBytes, discriminator, generatorAdam, discriminatorAdam,
            averaged ? Floats(bytes, ref offset, generatorBytes) : null);
    }

    private static void Put(byte[] destination, ref int offset, ReadOnlySpan<byte> section)
    {
        section.CopyTo(destination.AsSpan(offset));
        offset += section.Length;
    }

    private static byte[] Take(ReadOnlySpan<byte> source, ref int offset, int length)
    {
        var taken = source.Slice(offset, length).ToArray();
        offset += length;
        return taken;
    }

    private static float[] Floats(ReadOnlySpan<byte> source, ref int offset, int length) => MemoryMarshal.Cast<byte, float>(Take(source, ref offset, length)).ToArray();
}
