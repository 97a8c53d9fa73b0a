using Orleans.Gan.Contracts;
using Orleans.Gan.Core.Checkpoints;
using Orleans.Gan.Core.Models;
using Orleans.Gan.Core.Training;
using Orleans.Gan.Data;
using Orleans.Gan.Data.Synthetic;
using Orleans.Gan.Grains.Data;
using Orleans.Gan.Grains.Training;
using static TorchSharp.torch;

namespace Orleans.Gan.Cluster.Tests;

[Collection(ClusterCollection.Name)]
public sealed class DistributedTrainingTests(ClusterFixture fixture)
{
    private const int Faces = 96;
    private const int Steps = 3;

    [Theory]
    [InlineData(GradientPrecision.Float32)]
    [InlineData(GradientPrecision.BFloat16)]
    public async Task One_worker_on_the_cluster_gives_weights_bit_identical_to_the_single_process_loop(GradientPrecision precision)
    {
        // A short half-life and no ramp-up, so that G_ema is far from both G and its start.
        var settings = Settings($"one-worker-{precision}", workers: 1) with { GradientPrecision = precision, EmaKimg = 0.02, EmaRampup = 0 };
        var checkpoint = await TrainOnCluster(settings);

        var (reference, referenceAverage) = TrainInProcess(settings);

        var (cluster, state) = CheckpointFile.LoadNetworks(checkpoint);
        using (cluster)
        {
            Assert.Equal(Steps, state.Step);
            Assert.Equal(Weights(reference.Networks), Weights(cluster));
        }
        var (clusterAverage, _) = CheckpointFile.LoadNetworks(checkpoint, averaged: true);
        using (clusterAverage)
            Assert.Equal(GeneratorOf(referenceAverage.Networks), GeneratorOf(clusterAverage));
        Assert.NotEqual(GeneratorOf(reference.Networks), GeneratorOf(referenceAverage.Networks));
        referenceAverage.Dispose();
        reference.Dispose();
    }

    /// <summary>
    /// Two workers are one per silo; with three, one silo's stage adds up two workers before the coordinator adds the
    /// silos. Either way the weights are bit for bit those of the mean computed directly with torch, when it adds the
    /// workers in the same order (each silo's, silos in name order) and divides once: for a fixed placement the average
    /// is exact and reproducible.
    /// </summary>
    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public async Task Workers_average_their_gradients_like_the_mean_computed_directly(int workers)
    {
        var settings = Settings($"{workers}-workers", workers);
        var checkpoint = await TrainOnCluster(settings);

        using var reference = TrainReplicasInProcess(settings);

        var (cluster, state) = CheckpointFile.LoadNetworks(checkpoint);
        using (cluster)
        {
            Assert.Equal(Steps, state.Step);
            var (expected, actual) = (Weights(reference), Weights(cluster));
            Assert.True(expected.AsSpan().SequenceEqual(actual),
                $"max difference {(tensor(Floats(expected)) - tensor(Floats(actual))).abs().max().item<float>()}");
        }
    }

    /// <summary>
    /// From three silos on, each slice's owner takes the mean of the silos' sums and its mirror fetches that mean
    /// (<c>FlatSlices.MirrorsFetchTheOwnersMean</c>): the weights are still bit for bit the mean computed directly, and
    /// the busiest silo moves about 8/3 of the model a step, where both holders fetching every sum moved 10/3.
    /// </summary>
    [Fact]
    public async Task On_three_silos_mirrors_step_from_their_owners_mean_and_the_weights_are_the_mean_computed_directly()
    {
        var third = await fixture.Cluster.StartAdditionalSiloAsync();
        try
        {
            var settings = Settings("3-silos", workers: 3);
            var status = await RunToEnd(settings);
            Assert.Equal(3, status.Placement!.Select(slot => slot!.Silo).Distinct().Count());
            using var reference = TrainReplicasInProcess(settings, silos: 3);

            var (cluster, state) = CheckpointFile.LoadNetworks(new RunFolder(ClusterFixture.RunsDirectory, settings.Run).LatestCheckpoint()!.Value.Path);
            using (cluster)
            {
                Assert.Equal(Steps, state.Step);
                Assert.True(Weights(reference).AsSpan().SequenceEqual(Weights(cluster)), "the weights differ from the mean computed directly");
            }
            using var networks = GanNetworks.Create(settings.ToTrainingConfig().Model, seed: 1);
            var blocks = new NetworkBlocks(networks);
            long model = blocks.DiscriminatorParameters.ByteCount + blocks.GeneratorParameters.ByteCount;
            Assert.InRange(status.LastStep!.BusiestSiloBytes, 2 * model, 3 * model);
        }
        finally
        {
            await fixture.Cluster.StopSiloAsync(third);
        }
    }

    [Fact]
    public async Task Each_silo_moves_the_model_once_each_way_a_step_however_many_workers_it_hosts()
    {
        var two = await RunToEnd(Settings("bytes-2", workers: 2) with { SimulateComputeMs = 0 });
        var four = await RunToEnd(Settings("bytes-4", workers: 4) with { SimulateComputeMs = 0 });

        // Two silos, each the owner of one slice of G and of D and the mirror of the other: each fetches the other's
        // sum of D's gradients and of G's, whole, and sends its own; the new weights need no fetch, as each silo holds
        // every slice. The statistics come inline.
        using var networks = GanNetworks.Create(Settings("sizes", 1).ToTrainingConfig().Model, seed: 1);
        var blocks = new NetworkBlocks(networks);
        long expected = 2L * (blocks.DiscriminatorParameters.ByteCount + blocks.GeneratorParameters.ByteCount);
        Assert.Equal(expected, two.LastStep!.BusiestSiloBytes);
        Assert.Equal(expected, four.LastStep!.BusiestSiloBytes);
    }

    [Fact]
    public async Task A_run_started_from_a_weights_file_trains_on_from_its_G_and_D_as_the_single_process_loop_does()
    {
        // Another run's checkpoint, of another seed: weights no fresh network of this run's seed has.
        var weights = await TrainOnCluster(Settings("init-source", workers: 1) with { Seed = 5 });
        var settings = Settings("init-from", workers: 1) with { InitFrom = weights };
        await RunToEnd(settings);

        var (reference, average) = TrainInProcess(settings);
        using var disposeReference = reference;
        using var disposeAverage = average;
        var (cluster, _) = CheckpointFile.LoadNetworks(new RunFolder(ClusterFixture.RunsDirectory, settings.Run).LatestCheckpoint()!.Value.Path);
        using (cluster)
            Assert.Equal(Weights(reference.Networks), Weights(cluster));
    }

    [Fact]
    public async Task A_run_started_from_a_generator_of_another_width_fails_naming_the_file()
    {
        var path = Path.Combine(ClusterFixture.Root, "narrow-netG.safetensors");
        Directory.CreateDirectory(ClusterFixture.Root);
        using (var narrow = GanNetworks.Create(GanModelConfig.Dcgan64 with { NoiseSize = 16, GeneratorFeatures = 4, DiscriminatorFeatures = 8 }, seed: 1))
        using (var file = File.Create(path))
            TorchSharp.PyBridge.Safetensors.SaveStateDict(file, narrow.Generator.state_dict());
        var settings = Settings("init-narrow", workers: 1) with { InitFrom = path };
        var coordinator = fixture.Cluster.GrainFactory.GetGrain<ICoordinatorGrain>(settings.Run);

        await coordinator.Start(settings);
        var status = await coordinator.WaitForEnd();

        Assert.Equal(RunPhase.Failed, status.Phase);
        Assert.Contains($"--init-from: {path} holds a dcgan64 (nz 16, ngf 4", status.Message);
    }

    [Fact]
    public async Task A_worker_builds_its_replica_on_the_device_it_is_dealt_and_refuses_one_its_silo_does_not_offer()
    {
        var settings = Settings("devices", workers: 1);
        var silo = fixture.Cluster.Primary!.Name;
        var worker = fixture.Cluster.GrainFactory.GetGrain<IWorkerGrain>(GrainKeys.Worker(settings.Run, 0, silo));
        WorkerAssignment On(string device) => new(settings, 0, GrainKeys.Shard(settings.Run, 0, 1, silo),
            new ShardAssignment(null, Faces, 0, 1, 64, settings.Seed), device);

        var ready = await worker.Prepare(On("cpu"));
        Assert.Equal("cpu", ready.Device);
        Assert.True(ready.Shard.Images > 0);

        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => worker.Prepare(On("cuda:0")));
        Assert.Contains("cuda:0", refused.Message);
        Assert.Contains($"silo {silo} does not offer (its slots: cpu)", refused.Message);
        await worker.Release();
    }

    [Fact]
    public async Task A_second_start_of_a_running_run_is_refused_and_the_sampler_draws_faces()
    {
        // No ramp-up: with it, G_ema keeps so close to G in a run's first steps that their faces round to the same pixels.
        var settings = Settings("sampled", workers: 2) with { MaxSteps = 2, EmaRampup = 0 };
        var coordinator = fixture.Cluster.GrainFactory.GetGrain<ICoordinatorGrain>(settings.Run);
        await coordinator.Start(settings);
        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => coordinator.Start(settings));
        Assert.Contains("already", refused.Message);
        await coordinator.WaitForEnd();

        var sampler = fixture.Cluster.GrainFactory.GetGrain<ISamplerGrain>(settings.Run);
        var faces = await sampler.SampleFaces(10, seed: 3, GeneratorChoice.Ema);
        Assert.Equal(10, faces.Count);
        Assert.All(faces, png => Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], png[..4]));
        // G_ema, by default, and G draw different faces for the same noise.
        Assert.NotEqual(await sampler.SampleGrid(4, seed: 3, GeneratorChoice.Ema), await sampler.SampleGrid(4, seed: 3, GeneratorChoice.Raw));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => sampler.SampleGrid(ISamplerGrain.MaxFaces + 1, seed: 1, GeneratorChoice.Ema));
    }

    private static RunSettings Settings(string run, int workers) => new(
        run, ModelKind.Dcgan64, workers, BatchSize: 8, Epochs: 1, MaxSteps: Steps, Seed: 11, Dataset: null,
        SyntheticFaces: Faces, SampleEvery: 0, CheckpointEvery: 0, NoiseSize: 16, GeneratorFeatures: 8, DiscriminatorFeatures: 8);

    private async Task<string> TrainOnCluster(RunSettings settings) =>
        new RunFolder(ClusterFixture.RunsDirectory, (await RunToEnd(settings)).Run).LatestCheckpoint()!.Value.Path;

    /// <summary>Trains on the cluster; returns the final status, after checking that the run completed and drew its grid.</summary>
    private async Task<RunStatus> RunToEnd(RunSettings settings)
    {
        var coordinator = fixture.Cluster.GrainFactory.GetGrain<ICoordinatorGrain>(settings.Run);
        await coordinator.Start(settings);
        var status = await coordinator.WaitForEnd();
        Assert.True(status.Phase == RunPhase.Completed, $"{status.Phase}: {status.Message}");
        Assert.Equal(settings.Workers, status.TargetWorkers);
        Assert.True(File.Exists(status.LatestGrid), "the faces grid was written");
        var silos = fixture.Cluster.Silos.Select(s => s.Name).ToList();
        Assert.Equal(settings.Workers, status.Placement!.Count);
        Assert.All(status.Placement, slot => Assert.True(slot is { Device: "cpu" } && silos.Contains(slot.Silo), $"worker on {slot}"));
        return status;
    }

    /// <summary>The same run with <see cref="LocalTrainer"/>, reading batches as the cluster's one shard does and rounding
    /// gradients as they travel, and its G_ema updated after each step.</summary>
    private static (LocalTrainer Trainer, GeneratorAverage Average) TrainInProcess(RunSettings settings)
    {
        var trainer = new LocalTrainer(settings.ToTrainingConfig(), gradients: settings.GradientPrecision.ToCore());
        if (settings.InitFrom is { } weights)
            PretrainedWeights.Read(weights).LoadInto(trainer.Networks);
        var average = new GeneratorAverage(trainer.Networks, settings.Seed, settings.ToAverageSettings());
        using var reader = OpenShard(settings, 0);
        for (long step = 0; step < Steps; step++)
        {
            using var batch = Batch(reader, settings, step);
            trainer.TrainStep(batch);
            average.Update(step * settings.BatchSize, settings.BatchSize);
        }
        return (trainer, average);
    }

    /// <summary>G's parameters and statistics, for bit-for-bit comparisons.</summary>
    private static byte[] GeneratorOf(GanNetworks networks) =>
        [.. TensorBlock.Parameters(networks.Generator).ReadValues(), .. TensorBlock.RunningStatistics(networks.Generator).ReadValues()];

    /// <summary>
    /// One replica per worker computing its own gradients, averaged here with torch's mean rather than GradientSum,
    /// and both Adam steps on a master copy: the distributed step written out in one process.
    /// </summary>
    private static GanNetworks TrainReplicasInProcess(RunSettings settings, int silos = ClusterFixture.Silos)
    {
        var config = settings.ToTrainingConfig();
        var master = GanNetworks.Create(config.Model, config.Seed);
        var optimizers = new GanOptimizers(master, config);
        var replicas = Enumerable.Range(0, settings.Workers).Select(_ => GanNetworks.Create(config.Model, config.Seed)).ToList();
        var steps = replicas.Select(r => new AdversarialStep(r)).ToList();
        var readers = Enumerable.Range(0, settings.Workers).Select(w => OpenShard(settings, w)).ToList();
        for (long step = 0; step < Steps; step++)
        {
            foreach (var replica in replicas)
                new NetworkBlocks(master).CopyTo(new NetworkBlocks(replica));
            for (int w = 0; w < settings.Workers; w++)
            {
                using var batch = Batch(readers[w], settings, step);
                using var random = StepRandom.For(config.Seed, step, w);
                steps[w].ComputeDiscriminatorGradients(batch, random);
            }
            SetMeanGradients(master.Discriminator, replicas.Select(r => r.Discriminator), silos);
            optimizers.StepDiscriminator();
            foreach (var replica in replicas)
                CopyParameters(master.Discriminator, replica.Discriminator);
            foreach (var s in steps)
                s.ComputeGeneratorGradients();
            SetMeanGradients(master.Generator, replicas.Select(r => r.Generator), silos);
            optimizers.StepGenerator();
            SetMeanBuffers(master.Generator, replicas.Select(r => r.Generator), silos);
            SetMeanBuffers(master.Discriminator, replicas.Select(r => r.Discriminator), silos);
        }
        steps.ForEach(s => s.Dispose());
        replicas.ForEach(r => r.Dispose());
        return master;
    }

    private static void SetMeanGradients(nn.Module master, IEnumerable<nn.Module> replicas, int silos)
    {
        var perReplica = replicas.Select(r => r.parameters().ToList()).ToList();
        var parameters = master.parameters().ToList();
        for (int i = 0; i < parameters.Count; i++)
            parameters[i].grad = MeanInSiloOrder(perReplica.Select(p => p[i].grad!).ToList(), silos);
    }

    private static void SetMeanBuffers(nn.Module master, IEnumerable<nn.Module> replicas, int silos)
    {
        using var noGrad = no_grad();
        var perReplica = replicas.Select(r => r.buffers().Where(b => b.dtype == ScalarType.Float32).ToList()).ToList();
        var buffers = master.buffers().Where(b => b.dtype == ScalarType.Float32).ToList();
        for (int i = 0; i < buffers.Count; i++)
            buffers[i].copy_(MeanInSiloOrder(perReplica.Select(p => p[i]).ToList(), silos));
    }

    /// <summary>
    /// The workers' values added in the cluster's order, then divided once by a tensor of their count (true division,
    /// element by element). Workers are dealt round-robin over the silos in name order, so silo k has workers k, k + 2, …
    /// </summary>
    private static Tensor MeanInSiloOrder(IReadOnlyList<Tensor> perWorker, int silos)
    {
        using var noGrad = no_grad();
        var order = Enumerable.Range(0, perWorker.Count).OrderBy(w => w % silos).ThenBy(w => w).ToList();
        var sum = perWorker[order[0]].clone();
        foreach (int worker in order.Skip(1))
            sum.add_(perWorker[worker]);
        return perWorker.Count > 1 ? sum.div_(full_like(sum, perWorker.Count)) : sum;
    }

    private static void CopyParameters(nn.Module from, nn.Module to)
    {
        using var noGrad = no_grad();
        foreach (var (source, target) in from.parameters().Zip(to.parameters()))
            target.copy_(source);
    }

    private static CelebaShardReader OpenShard(RunSettings settings, int shard) => CelebaShardReader.Open(
        SyntheticDatasetFolder.PathFor(ClusterFixture.DataDirectory, settings.SyntheticFaces), DataPartition.Train, shard,
        settings.Workers, 64, Path.Combine(ClusterFixture.Root, "reference-cache"));

    private static Tensor Batch(CelebaShardReader reader, RunSettings settings, long step)
    {
        int stepsPerEpoch = reader.Count / settings.BatchSize;
        var order = new EpochOrder(reader.Count, DataShardGrain.EpochSeed(settings.Seed), (int)(step / stepsPerEpoch), reader.Key.ShardIndex);
        var indices = order.Batch((int)(step % stepsPerEpoch), settings.BatchSize);
        return PixelTensors.FromPixels(reader.Pixels(indices), settings.BatchSize, reader.ImageSize);
    }

    private static byte[] Weights(GanNetworks networks) => new NetworkBlocks(networks).ReadAll();

    private static float[] Floats(byte[] bytes) => System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(bytes).ToArray();
}
