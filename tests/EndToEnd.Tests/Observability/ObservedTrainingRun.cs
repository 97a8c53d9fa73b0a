namespace Orleans.Gan.EndToEnd.Tests.Observability;

/// <summary>
/// Two silo processes on localhost clustering training one run, with Prometheus scraping both, shared by the
/// observability tests. The run is long; the tests look at it while it trains, and it is stopped at the end.
/// </summary>
public sealed class ObservedTrainingRun : IAsyncLifetime
{
    public const string Run = "observed";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private readonly List<ChildProcess> silos = [];
    private string[] cluster = [];

    public string Work { get; } = Path.Combine(Path.GetTempPath(), "orleans-gan-observability", Guid.NewGuid().ToString("N"));

    /// <summary>Each silo's HTTP base address: /metrics, the faces page and its API.</summary>
    public List<string> SiloUrls { get; } = [];

    internal PrometheusServer Prometheus { get; private set; } = null!;

    public string Logs => string.Join("\n---- silo ----\n", silos.Select(s => s.Output)) + "\n---- prometheus ----\n" + Prometheus?.Output;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(Work);
        int primary = ChildProcess.FreePort();
        foreach (var (name, siloPort) in new[] { ("silo-a", primary), ("silo-b", ChildProcess.FreePort()) })
        {
            int gatewayPort = ChildProcess.FreePort(), httpPort = ChildProcess.FreePort();
            var silo = ChildProcess.Start("dotnet", [Binaries.Silo, "--name", name, "--silo-port", $"{siloPort}", "--primary-silo-port", $"{primary}",
                "--gateway-port", $"{gatewayPort}", "--http", $"http://127.0.0.1:{httpPort}", "--data", Path.Combine(Work, "data"),
                "--runs", Path.Combine(Work, "runs"), "--threads", "1"], Work);
            silos.Add(silo);
            await silo.WaitForPort(gatewayPort, StartTimeout);
            await silo.WaitForPort(httpPort, StartTimeout);
            SiloUrls.Add($"http://127.0.0.1:{httpPort}");
            cluster = [.. cluster, "--gateway", $"127.0.0.1:{gatewayPort}"];
        }
        Prometheus = await PrometheusServer.StartAsync(Path.Combine(Work, "prometheus"), SiloUrls.Select(u => new Uri(u).Authority), StartTimeout);

        var train = await ChildProcess.Run("dotnet", [Binaries.Client, "train", "--detach", "--workers", "2", "--run", Run, "--batch-size", "4",
            "--epochs", "10000", "--max-steps", "100000", "--synthetic-faces", "160", "--checkpoint-every", "4", "--sample-every", "4", "--quality-every", "4", .. cluster], Work, StartTimeout);
        if (train.ExitCode != 0)
            throw new InvalidOperationException($"client train --detach exited with {train.ExitCode}:\n{train.Output}\n{Logs}");

        // Enough steps for every rate() over [1m] to see a moving counter, and a checkpoint and a quality score for their panels.
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(4);
        while (await Prometheus.SumAsync("gan_steps_total") < 8 || await Prometheus.SumAsync("gan_checkpoint_duration_seconds_count") < 1
            || (await Prometheus.QueryAsync("gan_sample_swd")).Count == 0)
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"Prometheus saw fewer than 8 steps and no checkpoint within 4 minutes.\n{Logs}");
            await Task.Delay(TimeSpan.FromSeconds(1));
        }
    }

    public async Task DisposeAsync()
    {
        if (cluster.Length > 0)
            await ChildProcess.Run("dotnet", [Binaries.Client, "stop", Run, .. cluster], Work, StartTimeout);
        foreach (var silo in silos)
        {
            await silo.Terminate(StartTimeout);
            silo.Dispose();
        }
        Prometheus?.Dispose();
        Directory.Delete(Work, recursive: true);
    }
}
