using System.Diagnostics;
using System.Security.Cryptography.X509Certificates;
using Orleans.Gan.Contracts;

namespace Orleans.Gan.EndToEnd.Tests;

/// <summary>
/// Two silos started with --tls-certificate train over mutual TLS, tensors on the side path included; a client with the
/// cluster's certificate gets in, and one without it, or with another certificate, is refused within seconds.
/// </summary>
public sealed class TlsTests : IDisposable
{
    private readonly string work = Path.Combine(Path.GetTempPath(), "orleans-gan-tls", Guid.NewGuid().ToString("N"));
    private readonly List<ChildProcess> silos = [];

    [Fact]
    public async Task Only_clients_holding_the_clusters_certificate_connect_and_the_silos_train_over_tls()
    {
        Directory.CreateDirectory(work);
        var cluster = WriteSelfSigned("orleans-gan-cluster", Path.Combine(work, "cluster.pfx"));
        var stranger = WriteSelfSigned("orleans-gan-cluster", Path.Combine(work, "stranger.pfx"));

        int primary = ChildProcess.FreePort();
        var gateways = new List<string>();
        foreach (var (name, siloPort) in new[] { ("silo-a", primary), ("silo-b", ChildProcess.FreePort()) })
        {
            int gatewayPort = ChildProcess.FreePort();
            var silo = ChildProcess.Start("dotnet", [Binaries.Silo, "--name", name, "--silo-port", $"{siloPort}", "--primary-silo-port", $"{primary}",
                "--gateway-port", $"{gatewayPort}", "--http", $"http://127.0.0.1:{ChildProcess.FreePort()}", "--data", Path.Combine(work, "data"),
                "--runs", Path.Combine(work, "runs"), "--threads", "1", "--tls-certificate", cluster], work);
            silos.Add(silo);
            await silo.WaitForPort(gatewayPort, RedisCluster.StartTimeout);
            gateways.AddRange(["--gateway", $"127.0.0.1:{gatewayPort}"]);
        }

        // Two workers, one per silo: the weights and gradients cross between the silos over TLS.
        var train = await Client(["train", "--workers", "2", "--run", "tls", "--batch-size", "2", "--max-steps", "1", "--synthetic-faces", "40",
            "--model", "tutorial28", .. gateways, "--tls-certificate", cluster]);
        Assert.True(train.ExitCode == 0, train.Output + string.Join("\n----\n", silos.Select(s => s.Output)));
        Assert.Contains("step 1 / 1", train.Output);
        // The tensors take the side path, under mutual TLS with the same certificate.
        Assert.All(silos, silo => Assert.Contains("over mutual TLS with the cluster's certificate", silo.Output));

        foreach (var certificate in new[] { null, stranger })
        {
            var clock = Stopwatch.StartNew();
            var refused = await Client(["status", "tls", .. gateways, .. certificate is null ? Array.Empty<string>() : ["--tls-certificate", certificate]]);
            Assert.True(refused.ExitCode == 3, $"A client with {certificate ?? "no certificate"} got exit code {refused.ExitCode}:\n{refused.Output}");
            Assert.Contains("127.0.0.1:", refused.Output);
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"Refusing took {clock.Elapsed.TotalSeconds:0} s.");
        }

        var missing = await Client(["status", "tls", .. gateways, "--tls-certificate", Path.Combine(work, "nowhere.pfx")]);
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("--tls-certificate", missing.Output);
    }

    public void Dispose()
    {
        foreach (var silo in silos)
            silo.Dispose();
        Directory.Delete(work, recursive: true);
    }

    private Task<(int ExitCode, string Output)> Client(string[] arguments) =>
        ChildProcess.Run("dotnet", [Binaries.Client, .. arguments], work, TimeSpan.FromMinutes(3));

    private static string WriteSelfSigned(string name, string path)
    {
        using var certificate = ClusterCertificate.CreateSelfSigned(name, TimeSpan.FromDays(30));
        File.WriteAllBytes(path, certificate.Export(X509ContentType.Pfx));
        return path;
    }
}
