using Orleans.Configuration;
using Orleans.Gan.Contracts;
using Orleans.Gan.Grains.Hosting;
using Orleans.TestingHost;

namespace Orleans.Gan.Bench.Exchange;

/// <summary>
/// Two silos in this process that talk over loopback TCP, as separate processes would (TestingHost's default transport
/// is in memory): every message is serialised, sent through a socket and deserialised.
/// </summary>
public sealed class ExchangeCluster : IAsyncDisposable
{
    private readonly TestCluster cluster;

    private ExchangeCluster(TestCluster cluster) => this.cluster = cluster;

    public static async Task<ExchangeCluster> StartAsync()
    {
        var builder = new TestClusterBuilder(initialSilosCount: 2);
        builder.Options.ConnectionTransport = ConnectionTransportType.TcpSocket;
        builder.Options.ClusterId = $"bench-exchange-{Guid.NewGuid():N}";
        builder.AddSiloBuilderConfigurator<SiloConfigurator>();
        builder.AddClientBuilderConfigurator<ClientConfigurator>();
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return new ExchangeCluster(cluster);
    }

    /// <summary>One worker's exchange of every step, coordinator on the first silo and worker on the second.</summary>
    public Task<List<ExchangeSample>> MeasureAsync(GradientPrecision precision, int warmup, int repeats)
    {
        var coordinator = cluster.Client.GetGrain<IExchangeCoordinatorGrain>($"coordinator-{precision}@{cluster.Primary!.Name}");
        return coordinator.Measure($"worker-{precision}@{cluster.SecondarySilos[0].Name}", precision, warmup, repeats);
    }

    public async ValueTask DisposeAsync()
    {
        await cluster.StopAllSilosAsync();
        await cluster.DisposeAsync();
    }

    public sealed class SiloConfigurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder silo)
        {
            silo.AddGanTraining();
            silo.Configure<SiloMessagingOptions>(o =>
            {
                o.MaxMessageBodySize = 512 * 1024 * 1024;
                o.ResponseTimeout = TimeSpan.FromMinutes(2);
            });
        }
    }

    public sealed class ClientConfigurator : IClientBuilderConfigurator
    {
        public void Configure(Microsoft.Extensions.Configuration.IConfiguration configuration, IClientBuilder client) =>
            client.Configure<ClientMessagingOptions>(o => o.ResponseTimeout = TimeSpan.FromMinutes(10));
    }
}
