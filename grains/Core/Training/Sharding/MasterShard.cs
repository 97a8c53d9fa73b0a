using System.IO.Hashing;
using System.Runtime.InteropServices;
using CommunityToolkit.HighPerformance;

namespace Orleans.Gan.Core.Training.Sharding;

/// <summary>
/// One silo's part of the sharded master. It keeps the whole of G and D as the silo's workers read them, and for the
/// slices it holds (<see cref="FlatSlices.HeldBy"/>: the one it owns and the one it mirrors) both Adams' moments and
/// G_ema. Each phase, the slices' owners and mirrors step the same slices from the same summed gradients, so their
/// copies stay bit-identical without sending weights to each other; the other slices arrive from their holders
/// (<see cref="WriteGeneratorSlice"/>, <see cref="WriteDiscriminatorSlice"/>). A step not finished can be taken back
/// (<see cref="Rollback"/>), and the slices held are read out with <see cref="Snapshot"/> to assemble the whole master
/// (<see cref="Assemble"/>).
/// </summary>
public sealed class MasterShard
{
    private const long Magic = 0x3130_6472_6853_4E47; // "GNShrd01"
    private const int HeaderLongs = 8;
    // The whole networks, as floats so that workers on this silo's CPU can read them in place (TensorBlock.LoadValues).
    private readonly float[] generatorSet, discriminator;
    private readonly SortedDictionary<int, (NetworkSlice Generator, NetworkSlice Discriminator)> held = [];
    private readonly byte[] statisticsBefore;
    // D's updates in place: Step, or Step + 1 once the step in flight has stepped D.
    private long discriminatorUpdates;
    // Whether G's update of the step in flight is (partly) in place, the step not yet finished.
    private bool generatorInFlight;
    // D's updates and the finished steps when each network was last captured: what Rollback can go back to.
    private long discriminatorCapturedAt = -1, generatorCapturedAt = -1;

    /// <summary>Holder <paramref name="holder"/> of <paramref name="slices"/>, seeded from the whole <paramref name="state"/>.</summary>
    public MasterShard(MasterState state, int slices, int holder, AdamSettings adam, int? threads = null)
    {
        (Slices, Holder, Step, discriminatorUpdates) = (slices, holder, state.Step, state.Step);
        generatorSet = MemoryMarshal.Cast<byte, float>(state.GeneratorSet).ToArray();
        discriminator = MemoryMarshal.Cast<byte, float>(state.Discriminator).ToArray();
        GeneratorElements = state.GeneratorParameterBytes / sizeof(float);
        statisticsBefore = new byte[state.GeneratorSet.Length - state.GeneratorParameterBytes];
        foreach (int slice in FlatSlices.HeldBy(holder, slices))
        {
            held[slice] = (new NetworkSlice(GeneratorSlice(slice), state.GeneratorAdam, state.Average, adam, threads),
                new NetworkSlice(DiscriminatorSlice(slice), state.DiscriminatorAdam, null, adam, threads));
        }
    }

    public int Slices { get; }

    public int Holder { get; }

    /// <summary>Steps finished: the master this shard holds is the one after them.</summary>
    public long Step { get; private set; }

    /// <summary>G's parameters, then G's and D's batch-norm statistics: what this silo's workers load.</summary>
    public ReadOnlyMemory<float> GeneratorSet => generatorSet;

    /// <summary>D's parameters: what this silo's workers load.</summary>
    public ReadOnlyMemory<float> Discriminator => discriminator;

    /// <summary>The slices this shard holds, ascending.</summary>
    public IReadOnlyCollection<int> Held => held.Keys;

    public int GeneratorElements { get; }

    public int DiscriminatorElements => discriminator.Length;

    public Range GeneratorSlice(int slice) => FlatSlices.Of(GeneratorElements, Slices, slice);

    public Range DiscriminatorSlice(int slice) => FlatSlices.Of(DiscriminatorElements, Slices, slice);

    /// <summary>Keeps D's held slices as they are, before the D step of the step in flight; reads only.</summary>
    public void CaptureDiscriminator()
    {
        foreach (var (slice, networks) in held)
            networks.Discriminator.Capture(discriminator.AsSpan(DiscriminatorSlice(slice)));
        discriminatorCapturedAt = discriminatorUpdates;
    }

    /// <summary>Keeps G's held slices and the statistics as they are, before the G step of the step in flight; reads only.</summary>
    public void CaptureGenerator()
    {
        foreach (var (slice, networks) in held)
            networks.Generator.Capture(generatorSet.AsSpan(GeneratorSlice(slice)));
        Statistics.CopyTo(statisticsBefore);
        generatorCapturedAt = Step;
    }

    /// <summary>D's Adam step of step <paramref name="step"/> on a held slice, from the mean of every worker's gradients over it.</summary>
    public void StepDiscriminator(int slice, long step, ReadOnlyMemory<byte> meanGradients)
    {
        RequireInFlight(step);
        if (discriminatorCapturedAt != step)
            throw new InvalidOperationException($"D was not captured before its step {step}; the step could not be taken back.");
        Slice(slice).Discriminator.Step(discriminator, meanGradients, null);
        discriminatorUpdates = step + 1;
    }

    /// <summary>G's Adam step of step <paramref name="step"/> on a held slice, then G_ema's update with <paramref name="averageBeta"/> where there is one.</summary>
    public void StepGenerator(int slice, long step, ReadOnlyMemory<byte> meanGradients, float? averageBeta)
    {
        RequireInFlight(step);
        if (generatorCapturedAt != step || discriminatorUpdates != step + 1)
            throw new InvalidOperationException($"G's step {step} comes after D's step and G's capture.");
        Slice(slice).Generator.Step(generatorSet.AsMemory(0, GeneratorElements), meanGradients, averageBeta);
        generatorInFlight = true;
    }

    /// <summary>Ends step <paramref name="step"/> with the workers' mean batch-norm statistics (G's, then D's).</summary>
    public void FinishStep(long step, ReadOnlySpan<byte> meanStatistics)
    {
        RequireInFlight(step);
        if (meanStatistics.Length != statisticsBefore.Length)
            throw new ArgumentException($"Expected {statisticsBefore.Length} bytes of statistics, got {meanStatistics.Length}.", nameof(meanStatistics));
        meanStatistics.CopyTo(Statistics);
        (Step, generatorInFlight) = (step + 1, false);
    }

    /// <summary>
    /// Takes back whatever this shard did of steps from <paramref name="step"/> on, so that it holds the master after
    /// <paramref name="step"/> steps: the step in flight, or the last finished one where nothing of the next was
    /// captured yet. The slices it does not hold may still be newer; a shard is seeded again before it trains on.
    /// </summary>
    public void Rollback(long step)
    {
        if (step == Step && !generatorInFlight && discriminatorUpdates == Step)
            return;
        bool lastStep = step == Step - 1 && generatorCapturedAt == step && discriminatorCapturedAt == step && discriminatorUpdates == Step;
        if (step != Step && !lastStep)
            throw new InvalidOperationException($"This shard holds the master after {Step} steps and cannot be taken back to {step}.");
        if (generatorInFlight || lastStep)
        {
            foreach (var (slice, networks) in held)
                networks.Generator.Restore(generatorSet.AsSpan(GeneratorSlice(slice)));
            statisticsBefore.CopyTo(Statistics);
        }
        if (discriminatorUpdates > step)
        {
            foreach (var (slice, networks) in held)
                networks.Discriminator.Restore(discriminator.AsSpan(DiscriminatorSlice(slice)));
        }
        (Step, discriminatorUpdates, generatorInFlight) = (step, step, false);
        (generatorCapturedAt, discriminatorCapturedAt) = (-1, -1);
    }

    /// <summary>Overwrites G's values over <paramref name="slice"/> with the new ones from its holder.</summary>
    public void WriteGeneratorSlice(int slice, ReadOnlySpan<byte> values) => values.CopyTo(Bytes(generatorSet, GeneratorSlice(slice), values.Length));

    /// <summary>Overwrites D's values over <paramref name="slice"/> with the new ones from its holder.</summary>
    public void WriteDiscriminatorSlice(int slice, ReadOnlySpan<byte> values) => values.CopyTo(Bytes(discriminator, DiscriminatorSlice(slice), values.Length));

    /// <summary>G's values over a slice, to offer to the silos that do not hold it.</summary>
    public ReadOnlyMemory<byte> GeneratorValues(int slice) => generatorSet.AsMemory(GeneratorSlice(slice)).AsBytes();

    /// <summary>D's values over a slice, to offer to the silos that do not hold it.</summary>
    public ReadOnlyMemory<byte> DiscriminatorValues(int slice) => discriminator.AsMemory(DiscriminatorSlice(slice)).AsBytes();

    /// <summary>
    /// The slices this shard holds, with their moments and G_ema, and the statistics, after <see cref="Step"/> steps,
    /// in one buffer that ends with its own checksum (it may be fetched by name, without a ticket that has one). Call
    /// it with no step in flight (<see cref="Rollback"/> first).
    /// </summary>
    public byte[] Snapshot()
    {
        if (generatorInFlight || discriminatorUpdates != Step)
            throw new InvalidOperationException($"Step {Step} is in flight; take it back before a snapshot.");
        var (generatorSteps, discriminatorSteps) = held.Values.Select(n => (n.Generator.Steps, n.Discriminator.Steps)).First();
        bool averaged = held.Values.First().Generator.HasAverage;
        using var stream = new MemoryStream();
        var writer = new BinaryWriter(stream);
        foreach (long value in new[] { Magic, Step, Slices, Holder, generatorSteps, discriminatorSteps, averaged ? 1 : 0, statisticsBefore.Length })
            writer.Write(value);
        writer.Write(Statistics);
        foreach (var (slice, networks) in held)
        {
            writer.Write(Bytes(generatorSet, GeneratorSlice(slice)));
            writer.Write(MemoryMarshal.AsBytes(networks.Generator.ExpAvg));
            writer.Write(MemoryMarshal.AsBytes(networks.Generator.ExpAvgSq));
            writer.Write(MemoryMarshal.AsBytes(networks.Generator.Average));
            writer.Write(Bytes(discriminator, DiscriminatorSlice(slice)));
            writer.Write(MemoryMarshal.AsBytes(networks.Discriminator.ExpAvg));
            writer.Write(MemoryMarshal.AsBytes(networks.Discriminator.ExpAvgSq));
        }
        writer.Write(XxHash3.HashToUInt64(stream.GetBuffer().AsSpan(0, (int)stream.Length)));
        return stream.ToArray();
    }

    /// <summary>
    /// The whole master from shards' snapshots that together hold every slice, all after the same number of steps, of
    /// a model whose networks have <paramref name="sizes"/>. Throws <see cref="InvalidDataException"/> naming what does
    /// not fit: a damaged snapshot, snapshots of different steps or layouts, or a slice none holds.
    /// </summary>
    public static MasterState Assemble(MasterSizes sizes, IReadOnlyList<byte[]> snapshots)
    {
        if (snapshots.Count == 0)
            throw new InvalidDataException("No shard's snapshot to assemble a master from.");
        var generatorSet = new byte[sizes.GeneratorParameterBytes + sizes.StatisticsBytes];
        var discriminator = new byte[sizes.DiscriminatorBytes];
        int generatorElements = sizes.GeneratorParameterBytes / sizeof(float), discriminatorElements = sizes.DiscriminatorBytes / sizeof(float);
        var generatorAdam = new AdamMoments(new float[generatorElements], new float[generatorElements], 0);
        var discriminatorAdam = new AdamMoments(new float[discriminatorElements], new float[discriminatorElements], 0);
        float[]? average = null;
        var covered = new HashSet<int>();
        long? step = null, slices = null, generatorSteps = null, discriminatorSteps = null;
        foreach (var snapshot in snapshots)
        {
            if (snapshot.Length < (HeaderLongs + 1) * sizeof(long)
                || XxHash3.HashToUInt64(snapshot.AsSpan(0, snapshot.Length - sizeof(ulong))) != BitConverter.ToUInt64(snapshot, snapshot.Length - sizeof(ulong)))
                throw new InvalidDataException("A shard's snapshot arrived damaged (checksum mismatch).");
            var reader = new BinaryReader(new MemoryStream(snapshot, 0, snapshot.Length - sizeof(ulong)));
            var header = Enumerable.Range(0, HeaderLongs).Select(_ => reader.ReadInt64()).ToArray();
            if (header[0] != Magic)
                throw new InvalidDataException("A buffer sent as a shard's snapshot is not one.");
            if ((step ??= header[1]) != header[1] || (slices ??= header[2]) != header[2]
                || (generatorSteps ??= header[4]) != header[4] || (discriminatorSteps ??= header[5]) != header[5])
                throw new InvalidDataException($"Shards' snapshots disagree: one after {step} steps of {slices} slices, another after {header[1]} of {header[2]}.");
            if (header[7] != generatorSet.Length - sizes.GeneratorParameterBytes)
                throw new InvalidDataException($"A shard's snapshot has {header[7]} bytes of statistics; this model has {generatorSet.Length - sizes.GeneratorParameterBytes}.");
            if (header[6] != 0)
                average ??= new float[generatorElements];
            reader.BaseStream.ReadExactly(generatorSet.AsSpan(sizes.GeneratorParameterBytes));
            foreach (int slice in FlatSlices.HeldBy((int)header[3], (int)header[2]))
            {
                var generatorRange = FlatSlices.Of(generatorElements, (int)header[2], slice);
                var discriminatorRange = FlatSlices.Of(discriminatorElements, (int)header[2], slice);
                reader.BaseStream.ReadExactly(Bytes(generatorSet, generatorRange));
                reader.BaseStream.ReadExactly(MemoryMarshal.AsBytes(generatorAdam.ExpAvg.AsSpan(generatorRange)));
                reader.BaseStream.ReadExactly(MemoryMarshal.AsBytes(generatorAdam.ExpAvgSq.AsSpan(generatorRange)));
                if (header[6] != 0)
                    reader.BaseStream.ReadExactly(MemoryMarshal.AsBytes(average!.AsSpan(generatorRange)));
                reader.BaseStream.ReadExactly(Bytes(discriminator, discriminatorRange));
                reader.BaseStream.ReadExactly(MemoryMarshal.AsBytes(discriminatorAdam.ExpAvg.AsSpan(discriminatorRange)));
                reader.BaseStream.ReadExactly(MemoryMarshal.AsBytes(discriminatorAdam.ExpAvgSq.AsSpan(discriminatorRange)));
                covered.Add(slice);
            }
        }
        if (Enumerable.Range(0, (int)slices!.Value).FirstOrDefault(s => !covered.Contains(s), -1) is var missing and >= 0)
            throw new InvalidDataException($"No snapshot holds slice {missing} of {slices}.");
        return new MasterState(step!.Value, generatorSet, sizes.GeneratorParameterBytes, discriminator,
            generatorAdam with { Steps = generatorSteps!.Value }, discriminatorAdam with { Steps = discriminatorSteps!.Value }, average);
    }

    private (NetworkSlice Generator, NetworkSlice Discriminator) Slice(int slice) =>
        held.TryGetValue(slice, out var networks) ? networks
            : throw new InvalidOperationException($"Holder {Holder} of {Slices} does not hold slice {slice}; it holds {string.Join(" and ", held.Keys)}.");

    private void RequireInFlight(long step)
    {
        if (step != Step)
            throw new InvalidOperationException($"This shard holds the master after {Step} steps; it cannot take part in step {step}.");
    }

    /// <summary>Both networks' batch-norm statistics, at the end of the generator set.</summary>
    private Span<byte> Statistics => MemoryMarshal.AsBytes(generatorSet.AsSpan(GeneratorElements));

    private static Span<byte> Bytes(byte[] buffer, Range elements) => MemoryMarshal.AsBytes(MemoryMarshal.Cast<byte, float>(buffer.AsSpan())[elements]);

    private static Span<byte> Bytes(float[] values, Range elements, int? expectedBytes = null)
    {
        var slice = MemoryMarshal.AsBytes(values.AsSpan(elements));
        if (expectedBytes is int bytes && bytes != slice.Length)
            throw new ArgumentException($"A slice of {slice.Length / sizeof(float)} values takes {slice.Length} bytes, not {bytes}.");
        return slice;
    }
}
