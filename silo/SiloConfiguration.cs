using System.Net;
using System.Security.Cryptography.X509Certificates;
using Orleans.Configuration;
using Orleans.Connections.Security;
using Orleans.Dashboard;
using Orleans.Gan.Contracts;
using Orleans.Gan.Grains.Exchange;
using Orleans.Gan.Grains.Hosting;
using StackExchange.Redis;

namespace Orleans.Gan.Silo;

/// <summary>Turns <see cref="SiloSettings"/> into Orleans configuration.</summary>
public static class SiloConfiguration
{
    /// <summary>The largest message is a dcgan64 weight set (about 25 MB); past the limit Orleans drops the connection
    /// and callers see only a misleading SiloUnavailableException, so leave ample room.</summary>
    public const int MaxMessageBodySize = 512 * 1024 * 1024;

    /// <param name="pod">The Kubernetes pod the silo runs in, when Kubernetes hosting is on; <paramref name="settings"/> already carry its name and address.</param>
    /// <param name="slotDevices">The devices of the worker slots this silo offers, from <see cref="TorchSetup"/>.</param>
    public static void Configure(ISiloBuilder silo, SiloSettings settings, KubernetesPod? pod, IReadOnlyList<string> slotDevices)
    {
        silo.Configure<ClusterOptions>(o => (o.ClusterId, o.ServiceId) = (settings.ClusterId, settings.ServiceId));
        silo.Configure<SiloOptions>(o => o.SiloName = settings.Name);
        var address = IPAddress.Parse(settings.AdvertisedAddress);
        if (settings.Clustering == "redis")
        {
            silo.UseRedisClustering(settings.Redis!);
            // Runs' records and the run catalog, so that a run resumes on any host after its coordinator's host dies.
            silo.AddRedisGrainStorage(TrainingStorage.Name, o => o.ConfigurationOptions = ConfigurationOptions.Parse(settings.Redis!));
            silo.ConfigureEndpoints(address, settings.SiloPort, settings.GatewayPort, listenOnAnyHostAddress: !IPAddress.IsLoopback(address));
        }
        else
        {
            silo.UseLocalhostClustering(settings.SiloPort, settings.GatewayPort,
                new IPEndPoint(IPAddress.Loopback, settings.PrimarySiloPort), settings.ServiceId, settings.ClusterId);
        }
        if (pod is not null)
        {
            // Labels the pod with the cluster's ids and declares dead the silos whose pods are gone (at start, and as
            // Kubernetes deletes them) without waiting for missed probes; membership itself stays in Redis.
            silo.UseKubernetesHosting();
        }

        silo.Configure<ClusterMembershipOptions>(o =>
        {
            // A lost silo stalls every step, so it must be declared dead in seconds, not Orleans' default of about
            // ten (5 s probes, 3 missed); a slow probe answer is rare on a training cluster's network.
            o.ProbeTimeout = TimeSpan.FromSeconds(settings.ProbeTimeoutSeconds);
            o.NumMissedProbesLimit = settings.MissedProbes;
            // A joining silo must reach every member that refreshed its I-am-alive lately, and gives up after about
            // ten probe timeouts. With Orleans' 5-minute refresh, a silo restarted alone after the whole cluster died
            // (as Kubernetes and Slurm restart them, one at a time) waited for the dead incarnations of the others and
            // failed to start. Refreshed every few seconds, those go stale (two refreshes missed) within its window.
            o.IAmAliveTablePublishTimeout = TimeSpan.FromSeconds(3);
        });

        var stepTimeout = TimeSpan.FromSeconds(settings.StepTimeoutSeconds);
        silo.Configure<SiloMessagingOptions>(o =>
        {
            o.MaxMessageBodySize = MaxMessageBodySize;
            // The default 30 s would hide a lost worker behind a generic timeout; one step's deadline fits.
            o.ResponseTimeout = stepTimeout;
        });
        X509Certificate2? certificate = null;
        if (settings.TlsCertificate is { } path)
        {
            certificate = ClusterCertificate.Load(path, "--tls-certificate");
            silo.UseTls(certificate, o =>
            {
                o.RemoteCertificateMode = RemoteCertificateMode.RequireCertificate;
                o.RemoteCertificateValidation = (remote, _, _) => ClusterCertificate.IsClusterPeer(certificate, remote);
                o.OnAuthenticateAsClient = (_, ssl) => ssl.TargetHost = ClusterCertificate.TargetHost(certificate);
            });
        }

        if (settings.Dashboard)
            silo.AddDashboard();
        silo.AddGanTraining(o =>
        {
            o.DataDirectory = settings.DataDirectory;
            o.RunsDirectory = settings.RunsDirectory;
            o.StepTimeout = stepTimeout;
            o.BulkRoute = settings.BulkTransfer == "orleans" ? BulkRoute.Orleans : BulkRoute.Socket;
            // The side path is as private as Orleans' own traffic: mutual TLS with the same certificate.
            o.ClusterCertificate = certificate;
            o.BulkAddress = settings.AdvertisedAddress;
            o.BulkListenOnAnyAddress = settings.Clustering == "redis" && !IPAddress.IsLoopback(address);
            o.BulkPort = settings.BulkPort;
            o.SlotDevices = slotDevices;
        });
    }
}
