using System.Runtime.InteropServices;
using Orleans.Gan.Core.Models;
using Orleans.Gan.Core.Training;
using Orleans.Gan.Core.Training.Sharding;

namespace Orleans.Gan.Core.Tests.Training;

public sealed class MasterShardTests
{
    private const int Batch = 8;

    /// <summary>
    /// However many silos hold the master, with owners and mirrors stepping the same slices and every silo gathering
    /// the slices it does not hold, the master assembled from their snapshots, and each silo's whole networks, are bit
    /// for bit those of one flat Adam over each whole network with G_ema beside it: Adam and G_ema are elementwise.
    /// </summary>
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Sharded_steps_give_the_bits_of_one_master_stepping_whole_networks(int silos)
    {
        var config = SmallModels.Training(SmallModels.Dcgan64);
        using var reference = new Reference(config);
        var shards = Seed(reference.State(0), silos, config);

        for (long step = 0; step < 3; step++)
        {
            var (discriminator, generator, statistics) = Gradients(reference, step);
            float beta = reference.Average.Settings.Beta(step * Batch, Batch);
            reference.Step(discriminator, generator, statistics, step);
            Step(shards, step, discriminator, generator, statistics, beta);
        }

        var expected = reference.State(3);
        Assert.Equal(expected.ToBytes(), MasterShard.Assemble(reference.Sizes, [.. shards.Select(s => s.Snapshot())]).ToBytes());
        Assert.All(shards, shard =>
        {
            Assert.Equal(expected.GeneratorSet, MemoryMarshal.AsBytes(shard.GeneratorSet.Span).ToArray());
            Assert.Equal(expected.Discriminator, MemoryMarshal.AsBytes(shard.Discriminator.Span).ToArray());
        });
    }

    /// <summary>
    /// A step that fails part of the way, after D's step or after G's, or even once finished but not yet followed by
    /// another, is taken back to the bits of the master before it, so that taking it again counts it once.
    /// </summary>
    [Fact]
    public void A_step_taken_back_leaves_the_slices_as_before_it_and_taking_it_again_gives_the_same_master()
    {
        var config = SmallModels.Training(SmallModels.Dcgan64);
        using var reference = new Reference(config);
        var shards = Seed(reference.State(0), 2, config);
        var (discriminator, generator, statistics) = Gradients(reference, 0);
        Step(shards, 0, discriminator, generator, statistics, 0.5f);
        var afterOne = shards.Select(s => s.Snapshot()).ToList();
        var (nextDiscriminator, nextGenerator, nextStatistics) = Gradients(reference, 1);

        // Only D stepped.
        shards[0].CaptureDiscriminator();
        StepSlices(shards[0], 1, nextDiscriminator, shards[0].DiscriminatorSlice, shards[0].StepDiscriminator);
        shards[0].Rollback(1);
        Assert.Equal(afterOne[0], shards[0].Snapshot());

        // The whole step finished, then taken back, then taken again.
        Step(shards, 1, nextDiscriminator, nextGenerator, nextStatistics, 0.5f);
        var afterTwo = shards.Select(s => s.Snapshot()).ToList();
        foreach (var shard in shards)
            shard.Rollback(1);
        Assert.Equal(afterOne, shards.Select(s => s.Snapshot()));
        Step(shards, 1, nextDiscriminator, nextGenerator, nextStatistics, 0.5f);
        Assert.Equal(afterTwo, shards.Select(s => s.Snapshot()));

        // Once the next step has captured D, the one before cannot be taken back.
        shards[0].CaptureDiscriminator();
        Assert.Throws<InvalidOperationException>(() => shards[0].Rollback(1));
    }

    [Fact]
    public void A_master_cannot_be_assembled_without_every_slice_or_from_a_damaged_snapshot()
    {
        var config = SmallModels.Training(SmallModels.Dcgan64);
        using var reference = new Reference(config);
        var shards = Seed(reference.State(0), 3, config);

        // Holder 0 keeps slices 0 and 2; slice 1 is held by holders 1 and 2 only.
        var missing = Assert.Throws<InvalidDataException>(() => MasterShard.Assemble(reference.Sizes, [shards[0].Snapshot()]));
        Assert.Contains("slice 1 of 3", missing.Message);
        var damaged = shards[1].Snapshot();
        damaged[100] ^= 1;
        Assert.Throws<InvalidDataException>(() => MasterShard.Assemble(reference.Sizes, [shards[0].Snapshot(), damaged]));
        Assert.Equal(reference.State(0).ToBytes(), MasterShard.Assemble(reference.Sizes, [shards[0].Snapshot(), shards[1].Snapshot()]).ToBytes());
    }

    [Fact]
    public void A_master_state_reads_back_from_its_bytes_exactly()
    {
        var config = SmallModels.Training(SmallModels.Dcgan64);
        using var reference = new Reference(config);
        var (discriminator, generator, statistics) = Gradients(reference, 0);
        reference.Step(discriminator, generator, statistics, 0);
        var bytes = reference.State(1).ToBytes();
        Assert.Equal(bytes, MasterState.FromBytes(bytes).ToBytes());
        Assert.Throws<InvalidDataException>(() => MasterState.FromBytes(bytes.AsSpan(0, bytes.Length - 4)));
    }

    [Theory]
    [InlineData(100, 1)]
    [InlineData(1000, 3)]
    [InlineData(70_001, 4)]
    public void Slices_cover_the_vector_in_order_on_aligned_boundaries(int elements, int slices)
    {
        int next = 0;
        for (int slice = 0; slice < slices; slice++)
        {
            var (start, length) = FlatSlices.Of(elements, slices, slice).GetOffsetAndLength(elements);
            Assert.Equal(next, start);
            Assert.True(start % FlatSlices.Alignment == 0 || start == elements, $"slice {slice} starts at {start}");
            next = start + length;
        }
        Assert.Equal(elements, next);
        Assert.All(Enumerable.Range(0, slices), slice =>
            Assert.All(FlatSlices.HoldersOf(slice, slices), holder => Assert.Contains(slice, FlatSlices.HeldBy(holder, slices))));
    }

    private static List<MasterShard> Seed(MasterState state, int silos, TrainingConfig config) =>
        [.. Enumerable.Range(0, silos).Select(holder => new MasterShard(MasterState.FromBytes(state.ToBytes()), silos, holder, config.Adam))];

    /// <summary>One step on every shard as the stages take it: D's slices stepped and gathered, then G's, then the statistics.</summary>
    private static void Step(List<MasterShard> shards, long step, byte[] discriminator, byte[] generator, byte[] statistics, float beta)
    {
        foreach (var shard in shards)
        {
            shard.CaptureDiscriminator();
            StepSlices(shard, step, discriminator, shard.DiscriminatorSlice, shard.StepDiscriminator);
        }
        Gather(shards, (shard, slice) => shard.DiscriminatorValues(slice), (shard, slice, values) => shard.WriteDiscriminatorSlice(slice, values));
        foreach (var shard in shards)
        {
            shard.CaptureGenerator();
            StepSlices(shard, step, generator, shard.GeneratorSlice, (slice, s, mean) => shard.StepGenerator(slice, s, mean, beta));
            shard.FinishStep(step, statistics);
        }
        Gather(shards, (shard, slice) => shard.GeneratorValues(slice), (shard, slice, values) => shard.WriteGeneratorSlice(slice, values));
    }

    private static void StepSlices(MasterShard shard, long step, byte[] gradients, Func<int, Range> range, Action<int, long, ReadOnlyMemory<byte>> stepSlice)
    {
        foreach (int slice in shard.Held)
        {
            var (start, length) = range(slice).GetOffsetAndLength(gradients.Length / sizeof(float));
            stepSlice(slice, step, gradients.AsMemory(start * sizeof(float), length * sizeof(float)));
        }
    }

    /// <summary>Every shard writes the slices it does not hold from their owners.</summary>
    private static void Gather(List<MasterShard> shards, Func<MasterShard, int, ReadOnlyMemory<byte>> values, Action<MasterShard, int, ReadOnlySpan<byte>> write)
    {
        foreach (var shard in shards)
        {
            foreach (int slice in Enumerable.Range(0, shards.Count).Where(s => !shard.Held.Contains(s)))
                write(shard, slice, values(shards[slice], slice).Span);
        }
    }

    /// <summary>Gradients of each network and statistics for a step, drawn from its number: stand-ins for the workers' means.</summary>
    private static (byte[] Discriminator, byte[] Generator, byte[] Statistics) Gradients(Reference reference, long step)
    {
        var random = new Random((int)step + 1);
        byte[] Floats(int bytes, float scale)
        {
            var values = new float[bytes / sizeof(float)];
            for (int i = 0; i < values.Length; i++)
                values[i] = (float)(random.NextDouble() * 2 - 1) * scale;
            return MemoryMarshal.AsBytes(values.AsSpan()).ToArray();
        }
        return (Floats(reference.Sizes.DiscriminatorBytes, 0.1f), Floats(reference.Sizes.GeneratorParameterBytes, 0.1f), Floats(reference.Sizes.StatisticsBytes, 1f));
    }

    /// <summary>The unsharded master: whole networks, their flat Adams, G_ema.</summary>
    private sealed class Reference : IDisposable
    {
        private readonly GanNetworks networks;
        private readonly GanOptimizers optimizers;

        public Reference(TrainingConfig config)
        {
            networks = GanNetworks.Create(config.Model, config.Seed);
            optimizers = new GanOptimizers(networks, config);
            Average = new GeneratorAverage(networks, config.Seed, new AverageSettings(Kimg: 0.01, Rampup: 0));
            Sizes = MasterSizes.Of(networks);
        }

        public GeneratorAverage Average { get; }

        public MasterSizes Sizes { get; }

        public MasterState State(long step) => MasterState.Read(networks, optimizers, Average, step);

        /// <summary>Both Adam steps, the statistics, and G_ema's update, whose β the sharded steps are given.</summary>
        public void Step(byte[] discriminator, byte[] generator, byte[] statistics, long step)
        {
            optimizers.Discriminator.Step(discriminator);
            optimizers.Generator.Step(generator);
            new NetworkBlocks(networks).WriteStatistics(statistics);
            Average.Update(step * Batch, Batch);
        }

        public void Dispose()
        {
            Average.Dispose();
            networks.Dispose();
        }
    }
}
