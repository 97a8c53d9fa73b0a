using Orleans.Gan.Grains.Hosting;
using Orleans.TestingHost;

namespace Orleans.Gan.Cluster.Tests;

/// <summary>A two-silo in-process cluster whose silos keep data and runs in one temporary folder.</summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    public static string Root { get; } = Path.Combine(Path.GetTempPath(), "orleans-gan-cluster-tests", Guid.NewGuid().ToString("N"));

    public static string DataDirectory => Path.Combine(Root, "data");

    public static string RunsDirectory => Path.Combine(Root, "runs");

    public const int Silos = 2;

    public TestCluster Cluster { get; } = new TestClusterBuilder(initialSilosCount: Silos).AddSiloBuilderConfigurator<GanSilo>().Build();

    public Task InitializeAsync() => Cluster.DeployAsync();

    public async Task DisposeAsync()
    {
        await Cluster.StopAllSilosAsync();
        await Cluster.DisposeAsync();
        if (Directory.Exists(Root))
            Directory.Delete(Root, recursive: true);
    }

    private sealed class GanSilo : ISiloConfigurator
    {
        public void Configure(ISiloBuilder silo) => silo.AddGanTraining(o =>
        {
            o.DataDirectory = DataDirectory;
            o.RunsDirectory = RunsDirectory;
            o.StepTimeout = TimeSpan.FromMinutes(2);
        });
    }
}

[CollectionDefinition(Name)]
public sealed class ClusterCollection : ICollectionFixture<ClusterFixture>
{
    public const string Name = "cluster";
}
