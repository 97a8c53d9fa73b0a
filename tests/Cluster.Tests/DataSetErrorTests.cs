using Orleans.Gan.Contracts;

namespace Orleans.Gan.Cluster.Tests;

/// <summary>What a bad data set looks like to whoever called across the wire: the path, not a serializer's complaint.</summary>
[Collection(ClusterCollection.Name)]
public sealed class DataSetErrorTests(ClusterFixture fixture)
{
    [Fact]
    public async Task A_data_set_that_does_not_exist_is_reported_with_its_path_across_the_wire()
    {
        var missing = Path.Combine(ClusterFixture.Root, "no-such-celeba");
        var shard = fixture.Cluster.GrainFactory.GetGrain<IDataShardGrain>(GrainKeys.Shard("missing", 0, 1, fixture.Cluster.Primary!.Name));

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            shard.Prepare(new ShardAssignment(missing, SyntheticFaces: 0, ShardIndex: 0, ShardCount: 1, ImageSize: 64, Seed: 1)));

        Assert.Contains(missing, error.Message);
        Assert.Contains("does not exist", error.Message);
    }

    [Fact]
    public async Task A_run_on_a_data_set_that_does_not_exist_fails_naming_the_path()
    {
        var missing = Path.Combine(ClusterFixture.Root, "no-such-celeba");
        var coordinator = fixture.Cluster.GrainFactory.GetGrain<ICoordinatorGrain>("missing-data");

        await coordinator.Start(new RunSettings("missing-data", ModelKind.Dcgan64, Workers: 2, BatchSize: 2, Epochs: 1, MaxSteps: 1, Seed: 1,
            Dataset: missing, SyntheticFaces: 0, SampleEvery: 0, CheckpointEvery: 0, NoiseSize: 16, GeneratorFeatures: 8, DiscriminatorFeatures: 8));
        var status = await coordinator.WaitForEnd();

        Assert.Equal(RunPhase.Failed, status.Phase);
        Assert.Contains(missing, status.Message);
    }
}
