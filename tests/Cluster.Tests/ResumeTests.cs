using Orleans.Gan.Contracts;
using Orleans.Gan.Core.Checkpoints;
using TorchSharp.PyBridge;

namespace Orleans.Gan.Cluster.Tests;

/// <summary>Continuing runs from their checkpoints on the cluster: what --max-steps means, and what is refused.</summary>
[Collection(ClusterCollection.Name)]
public sealed class ResumeTests(ClusterFixture fixture)
{
    [Fact]
    public async Task Resume_with_a_larger_max_steps_continues_to_it_exactly_as_one_longer_run()
    {
        var straight = await Train(Settings("longer") with { MaxSteps = 4 });
        Assert.Equal((RunPhase.Completed, 4L, 4L), (straight.Phase, straight.Step, straight.TotalSteps));
        var half = await Train(Settings("halves") with { MaxSteps = 2 });
        Assert.Equal((RunPhase.Completed, 2L, 2L), (half.Phase, half.Step, half.TotalSteps));

        var coordinator = Coordinator("halves");
        var resumed = await coordinator.Resume(new ResumeSettings("halves", MaxSteps: 4));
        Assert.Equal(2, resumed.Step);
        var final = await coordinator.WaitForEnd();

        Assert.True(final.Phase == RunPhase.Completed, $"{final.Phase}: {final.Message}");
        Assert.Equal((4L, 4L), (final.Step, final.TotalSteps));
        var expected = Safetensors.LoadStateDict(Folder("longer").CheckpointPath(4));
        var actual = Safetensors.LoadStateDict(Folder("halves").CheckpointPath(4));
        Assert.Equal(expected.Keys.Order(), actual.Keys.Order());
        Assert.All(expected.Keys, name => Assert.True(expected[name].bytes.SequenceEqual(actual[name].bytes), $"{name} differs"));
    }

    [Fact]
    public async Task Resume_takes_the_stored_settings_and_only_replaces_those_given()
    {
        var settings = Settings("stored") with { MaxSteps = 1, Epochs = 3, SampleEvery = 7 };
        await Train(settings);

        var coordinator = Coordinator("stored");
        await coordinator.Resume(new ResumeSettings("stored", MaxSteps: 2, CheckpointEvery: 5));
        await coordinator.WaitForEnd();

        var state = CheckpointFile.ReadState(Folder("stored").CheckpointPath(2));
        Assert.Equal(new RunPlan(Epochs: 3, MaxSteps: 2, Dataset: null, settings.SyntheticFaces, SampleEvery: 7, CheckpointEvery: 5, QualityEvery: 0), state.Plan);
        Assert.Equal((settings.BatchSize, settings.Seed, 8), (state.Config.BatchSize, state.Config.Seed, state.Config.Model.GeneratorFeatures));
    }

    [Fact]
    public async Task What_cannot_continue_exactly_is_refused_with_a_message_naming_the_checkpoint()
    {
        var noCheckpoint = await Assert.ThrowsAsync<InvalidOperationException>(() => Coordinator("never-ran").Resume(new ResumeSettings("never-ran")));
        Assert.Contains(Folder("never-ran").CheckpointsPath, noCheckpoint.Message);

        var settings = Settings("refusing") with { MaxSteps = 2 };
        await Train(settings);
        var coordinator = Coordinator("refusing");
        var reached = await Assert.ThrowsAsync<InvalidOperationException>(() => coordinator.Resume(new ResumeSettings("refusing", MaxSteps: 2)));
        Assert.Contains("at step 2 already", reached.Message);
        var otherBatch = await Assert.ThrowsAsync<InvalidOperationException>(() => coordinator.Start(settings with { BatchSize = 4, MaxSteps = 3 }));
        Assert.Contains(Folder("refusing").CheckpointPath(2), otherBatch.Message);
        Assert.Contains("batch size 8 → 4", otherBatch.Message);
        Assert.Contains("--resume refusing", otherBatch.Message);
        Assert.Equal([1L, 2], Folder("refusing").Checkpoints().Select(c => c.Step));
    }

    private static RunSettings Settings(string run) => new(
        run, ModelKind.Dcgan64, Workers: 1, BatchSize: 8, Epochs: 1, MaxSteps: 0, Seed: 5, Dataset: null,
        SyntheticFaces: 96, SampleEvery: 0, CheckpointEvery: 1, NoiseSize: 16, GeneratorFeatures: 8, DiscriminatorFeatures: 8);

    private ICoordinatorGrain Coordinator(string run) => fixture.Cluster.GrainFactory.GetGrain<ICoordinatorGrain>(run);

    private static RunFolder Folder(string run) => new(ClusterFixture.RunsDirectory, run);

    private async Task<RunStatus> Train(RunSettings settings)
    {
        var coordinator = Coordinator(settings.Run);
        await coordinator.Start(settings);
        return await coordinator.WaitForEnd();
    }
}
