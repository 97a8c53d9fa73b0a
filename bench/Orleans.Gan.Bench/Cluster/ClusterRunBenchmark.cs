using Orleans.Gan.Bench.Measurement;
using Orleans.Gan.Bench.Steps;
using Orleans.Gan.Contracts;

namespace Orleans.Gan.Bench.Cluster;

/// <summary>
/// A real run of dcgan64 on silo processes, started as the client starts one. Each step's time is the coordinator's
/// own (the images/s it reports for the step just done), and its split into phases and its bytes are the coordinator's
/// too, read by polling its status, so polling adds no error.
/// </summary>
public static class ClusterRunBenchmark
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(10);
    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(20);

    /// <summary>A run on a cluster of its own, started for it and stopped after it.</summary>
    public static async Task<ClusterRunResult> RunAsync(int silos, int workers, int batchPerWorker, GradientPrecision precision,
        BenchSettings settings, IReadOnlyList<string>? siloArguments = null, int? simulateComputeMs = null, string? tlsCertificate = null)
    {
        var runs = Path.Combine(settings.WorkDirectory, "runs", Guid.NewGuid().ToString("N"));
        try
        {
            await using var cluster = await LocalSiloCluster.StartAsync(silos, Math.Max(1, settings.Threads / silos), settings.DataDirectory, runs,
                ["--device", settings.Device, .. siloArguments ?? []], tlsCertificate);
            return await RunOnAsync(cluster, workers, batchPerWorker, precision, settings, simulateComputeMs);
        }
        finally
        {
            if (Directory.Exists(runs))
                Directory.Delete(runs, recursive: true);
        }
    }

    /// <summary>
    /// A run on a cluster that is up. The peaks are each silo's since it started, so a cluster used for several runs
    /// reports the largest so far.
    /// </summary>
    public static async Task<ClusterRunResult> RunOnAsync(LocalSiloCluster cluster, int workers, int batchPerWorker, GradientPrecision precision,
        BenchSettings settings, int? simulateComputeMs = null)
    {
        var run = new RunSettings($"bench-{Guid.NewGuid():N}", ModelKind.Dcgan64, workers, batchPerWorker, Epochs: 1000,
            MaxSteps: settings.WarmupSteps + settings.MeasuredSteps + 1, Seed: 1, Dataset: null, SyntheticFaces: settings.SyntheticFaces,
            SampleEvery: 0, CheckpointEvery: 0, GradientPrecision: precision, SimulateComputeMs: simulateComputeMs);
        var coordinator = cluster.Client.GetGrain<ICoordinatorGrain>(run.Run);
        await coordinator.Start(run);

        var seconds = new List<double>();
        var breakdowns = new List<StepBreakdown>();
        IReadOnlyList<long?>? peaks = null;
        long seen = 0;
        var giveUp = DateTime.UtcNow + Deadline;
        while (true)
        {
            var status = await coordinator.GetStatus();
            if (status.Step > seen)
            {
                // The status always holds the newest step's figures, so a step between two polls is missed, never mixed up.
                if (status.Step > settings.WarmupSteps && status.Step < run.MaxSteps)
                {
                    seconds.Add(workers * batchPerWorker / status.ImagesPerSecond);
                    breakdowns.Add(status.LastStep!);
                }
                // The run's last step, which is not measured, ends by scoring its samples and writing a checkpoint:
                // the peaks of training are taken before it.
                if (status.Step >= run.MaxSteps - 1)
                    peaks ??= cluster.Silos.Select(s => s.PeakBytes).ToList();
                seen = status.Step;
            }
            if (!status.IsActive)
            {
                if (status.Phase != RunPhase.Completed)
                    throw new InvalidOperationException($"The benchmark run ended {status.Phase}: {status.Message}\n{string.Join('\n', cluster.Silos.Select(s => s.Output))}");
                break;
            }
            if (DateTime.UtcNow > giveUp)
                throw new TimeoutException($"The benchmark run took longer than {Deadline.TotalMinutes} minutes (step {status.Step}).");
            await Task.Delay(PollInterval);
        }
        var peaksAtEnd = cluster.Silos.Select(s => s.PeakBytes).ToList();
        peaks ??= peaksAtEnd;
        return new ClusterRunResult(new StepResult(new Timings(seconds), workers * batchPerWorker, peaks.Max()), peaks, breakdowns, peaksAtEnd);
    }
}
