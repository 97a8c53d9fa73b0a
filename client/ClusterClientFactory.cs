using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Configuration;
using Orleans.Connections.Security;
using Orleans.Gan.Contracts;
using StackExchange.Redis;

namespace Orleans.Gan.Client;

/// <summary>
/// Builds and connects the Orleans client. It runs without a generic host, whose console lifetime would take
/// Ctrl+C away from System.CommandLine's cancellation token.
/// </summary>
internal static class ClusterClientFactory
{
    /// <summary>How long connecting keeps retrying before the command gives up: scripts must not hang.</summary>
    public static readonly TimeSpan ConnectBudget = TimeSpan.FromSeconds(5);

    private static readonly TimeSpan RetryDelay = TimeSpan.FromMilliseconds(500);

    // Generators, checkpoints and sample grids travel as byte arrays well above Orleans' default limit.
    private const int MaxMessageBodySize = 512 * 1024 * 1024;

    private static readonly TimeSpan ResponseTimeout = TimeSpan.FromSeconds(120);

    // Short, so that a client finds a coordinator that moved to a silo which joined after the client connected.
    private static readonly TimeSpan GatewayListRefreshPeriod = TimeSpan.FromSeconds(10);

    /// <exception cref="ClusterUnreachableException">No gateway answered within <see cref="ConnectBudget"/>.</exception>
    public static async Task<ConnectedClusterClient> ConnectAsync(ClusterConnection connection, CancellationToken cancellationToken)
    {
        Stopwatch elapsed = Stopwatch.StartNew();
        Exception? lastFailure = null;
        IPEndPoint[] gateways = connection.Redis is null ? await ResolveGatewaysAsync(connection, cancellationToken) : [];

        var services = new ServiceCollection();
        services.AddLogging();
        services.AddOrleansClient(client =>
        {
            if (connection.Redis is null)
            {
                client.UseStaticClustering(gateways);
            }
            else
            {
                client.UseRedisClustering(options => options.ConfigurationOptions = ConfigurationOptions.Parse(connection.Redis));
            }

            client.Configure<ClusterOptions>(options =>
            {
                options.ClusterId = connection.ClusterId;
                options.ServiceId = connection.ServiceId;
            });
            client.Configure<ClientMessagingOptions>(options =>
            {
                options.MaxMessageBodySize = MaxMessageBodySize;
                options.ResponseTimeout = ResponseTimeout;
            });
            client.Configure<GatewayOptions>(options => options.GatewayListRefreshPeriod = GatewayListRefreshPeriod);
            if (connection.TlsCertificate is { } path)
            {
                var certificate = ClusterCertificate.Load(path, "--tls-certificate");
                client.UseTls(certificate, options =>
                {
                    options.RemoteCertificateMode = RemoteCertificateMode.RequireCertificate;
                    options.RemoteCertificateValidation = (remote, _, _) => ClusterCertificate.IsClusterPeer(certificate, remote);
                    options.OnAuthenticateAsClient = (_, ssl) => ssl.TargetHost = ClusterCertificate.TargetHost(certificate);
                });
            }
            client.UseConnectionRetryFilter(async (exception, token) =>
            {
                lastFailure = exception;
                if (elapsed.Elapsed + RetryDelay > ConnectBudget)
                {
                    return false;
                }

                await Task.Delay(RetryDelay, token);
                return true;
            });
        });

        ServiceProvider provider = services.BuildServiceProvider();
        List<IHostedService> started = [];
        var connected = new ConnectedClusterClient(provider, started);
        try
        {
            foreach (IHostedService hostedService in provider.GetServices<IHostedService>())
            {
                await hostedService.StartAsync(cancellationToken);
                started.Add(hostedService);
            }

            return connected;
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
        {
            await connected.DisposeAsync();
            throw Unreachable(connection, elapsed.Elapsed, lastFailure ?? exception);
        }
        catch
        {
            await connected.DisposeAsync();
            throw;
        }
    }

    private static async Task<IPEndPoint[]> ResolveGatewaysAsync(ClusterConnection connection, CancellationToken cancellationToken)
    {
        try
        {
            return await Task.WhenAll(connection.Gateways.Select(gateway => gateway.ResolveAsync(cancellationToken)));
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            throw Unreachable(connection, TimeSpan.Zero, exception);
        }
    }

    private static ClusterUnreachableException Unreachable(ClusterConnection connection, TimeSpan elapsed, Exception cause) =>
        new($"Cannot reach the cluster through {connection.Describe()}: gave up after {elapsed.TotalSeconds:0.0} s. "
            + $"Last error: {FirstLine(cause.Message)}{Environment.NewLine}"
            + "Is a silo running? Start one with: dotnet run --project silo",
            cause);

    // Orleans and Redis errors can span many lines of diagnostics (and a Redis one may repeat the connection string).
    private static string FirstLine(string message)
    {
        string first = message.Split('\n', 2)[0].TrimEnd('\r');
        return RedisConnectionString.Mask(first);
    }
}
