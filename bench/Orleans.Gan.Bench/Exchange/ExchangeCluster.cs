using Orleans.Configuration;
using Orleans.Gan.Bench.Measurement;
using Orleans.Gan.Grains.Hosting;
using Orleans.TestingHost;

namespace Orleans.Gan.Bench.Exchange;

/// <summary>
/// Two silos in this process that talk over loopback TCP, as separate processes would (TestingHost's default transport
/// is in memory): every message is serialised, sent through a socket and deserialised. Each silo has its own bulk
/// transfer, whose side path is a socket of its own too.
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

    /// <summary>One large message from the first silo to the second, inside Orleans' messaging.</summary>
    public async Task<Timings> MessageAsync(int bytes, int repeats) => new(
        await Probe(cluster.Primary!).TimeMessages(Key(cluster.SecondarySilos[0]), bytes, repeats));

    /// <summary>The same bytes offered on the first silo and fetched by the second on the bulk side path, checked.</summary>
    public async Task<Timings> SidePathAsync(int bytes, int repeats)
    {
        var ticket = await Probe(cluster.Primary!).Offer(bytes);
        return new(await Probe(cluster.SecondarySilos[0]).TimeFetches(ticket, repeats));
    }

    private ITransferProbeGrain Probe(SiloHandle silo) => cluster.Client.GetGrain<ITransferProbeGrain>(Key(silo));

    private static string Key(SiloHandle silo) => $"probe@{silo.Name}";

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
