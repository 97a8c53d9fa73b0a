using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using Orleans.Connections.Security;
using Orleans.Gan.Contracts;

namespace Orleans.Gan.Bench.Cluster;

/// <summary>
/// Silo processes on this machine in localhost clustering, with ports of their own, and a client connected to them.
/// The client is built as the command-line client builds it, without a generic host.
/// </summary>
public sealed class LocalSiloCluster : IAsyncDisposable
{
    private static readonly TimeSpan JoinDeadline = TimeSpan.FromMinutes(1);
    private readonly List<SiloProcess> silos;
    private readonly ServiceProvider clientServices;

    private LocalSiloCluster(List<SiloProcess> silos, ServiceProvider clientServices)
    {
        this.silos = silos;
        this.clientServices = clientServices;
    }

    public IReadOnlyList<SiloProcess> Silos => silos;

    public IClusterClient Client => clientServices.GetRequiredService<IClusterClient>();

    /// <summary>Starts <paramref name="count"/> silos of <paramref name="threadsEach"/> torch threads and waits until all are active members.</summary>
    /// <param name="siloArguments">More flags for every silo, e.g. <c>--bulk-transfer orleans</c>.</param>
    /// <param name="tlsCertificate">A cluster certificate: the silos are started with <c>--tls-certificate</c> and the client connects with it.</param>
    public static async Task<LocalSiloCluster> StartAsync(int count, int threadsEach, string dataDirectory, string runsDirectory,
        IReadOnlyList<string> siloArguments, string? tlsCertificate = null)
    {
        if (tlsCertificate is not null)
            siloArguments = [.. siloArguments, "--tls-certificate", tlsCertificate];
        var clusterId = $"bench-{Guid.NewGuid():N}";
        int primaryPort = FreePort.Next();
        var silos = new List<SiloProcess>();
        ServiceProvider? services = null;
        try
        {
            for (int i = 0; i < count; i++)
            {
                int siloPort = i == 0 ? primaryPort : FreePort.Next();
                silos.Add(await SiloProcess.StartAsync($"silo-{(char)('a' + i)}", primaryPort, siloPort, clusterId, threadsEach, dataDirectory, runsDirectory,
                    siloArguments));
            }
            services = await ConnectAsync(clusterId, silos, tlsCertificate);
            var cluster = new LocalSiloCluster(silos, services);
            await cluster.WaitForMembersAsync(count);
            return cluster;
        }
        catch
        {
            if (services is not null)
                await services.DisposeAsync();
            foreach (var silo in silos)
                await silo.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var hosted in clientServices.GetServices<IHostedService>().Reverse())
            await hosted.StopAsync(CancellationToken.None);
        await clientServices.DisposeAsync();
        foreach (var silo in silos)
            await silo.DisposeAsync();
    }

    private static async Task<ServiceProvider> ConnectAsync(string clusterId, IReadOnlyList<SiloProcess> silos, string? tlsCertificate)
    {
        var services = new ServiceCollection();
        services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
        services.AddOrleansClient(client =>
        {
            client.UseStaticClustering([.. silos.Select(s => s.Gateway)]);
            client.Configure<ClusterOptions>(o => (o.ClusterId, o.ServiceId) = (clusterId, clusterId));
            client.Configure<ClientMessagingOptions>(o => o.ResponseTimeout = TimeSpan.FromMinutes(2));
            if (tlsCertificate is not null)
            {
                var certificate = ClusterCertificate.Load(tlsCertificate, "the benchmark's certificate");
                client.UseTls(certificate, o =>
                {
                    o.RemoteCertificateMode = RemoteCertificateMode.RequireCertificate;
                    o.RemoteCertificateValidation = (remote, _, _) => ClusterCertificate.IsClusterPeer(certificate, remote);
                    o.OnAuthenticateAsClient = (_, ssl) => ssl.TargetHost = ClusterCertificate.TargetHost(certificate);
                });
            }
            // Silos that have just started on a loaded machine may take longer than one 5 s connection attempt to
            // accept a client (seen once, at a load average of 6); a minute of retries costs nothing when they do not.
            var giveUp = DateTime.UtcNow + TimeSpan.FromMinutes(1);
            client.UseConnectionRetryFilter(async (_, token) =>
            {
                await Task.Delay(TimeSpan.FromSeconds(1), token);
                return DateTime.UtcNow < giveUp;
            });
        });
        var provider = services.BuildServiceProvider();
        foreach (var hosted in provider.GetServices<IHostedService>())
            await hosted.StartAsync(CancellationToken.None);
        return provider;
    }

    /// <summary>The coordinator deals workers to the silos that are active members, so the run must wait for all of them.</summary>
    private async Task WaitForMembersAsync(int count)
    {
        var management = Client.GetGrain<IManagementGrain>(0);
        var deadline = DateTime.UtcNow + JoinDeadline;
        while (true)
        {
            var active = await management.GetHosts(onlyActive: true);
            if (active.Count >= count)
                return;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"Only {active.Count} of {count} silos became active within {JoinDeadline.TotalSeconds} s.");
            await Task.Delay(250);
        }
    }
}
