using Orleans.Gan.Bench.Cluster;
using Orleans.Gan.Bench.Data;
using Orleans.Gan.Bench.Exchange;
using Orleans.Gan.Bench.Measurement;
using Orleans.Gan.Bench.Optimizer;
using Orleans.Gan.Bench.PyTorch;
using Orleans.Gan.Bench.Report;
using Orleans.Gan.Bench.Steps;
using Orleans.Gan.Contracts;
using Orleans.Gan.Core.Models;
using Orleans.Gan.Core.Runtime;
using Orleans.Gan.Core.Training;
using static TorchSharp.torch;

namespace Orleans.Gan.Bench;

/// <summary>
/// Runs the parts in one process, one after the other, each of our cases right beside PyTorch's, so that both see the
/// same machine; says on standard error what it is doing.
/// </summary>
public sealed class BenchmarkRun(BenchSettings settings)
{
    private readonly BenchReport report = new(settings);
    private PyTorchRunner python = new(settings.Python);
    // PyTorch under the cap this benchmark set for ours: the like-for-like figures; null where no cap was set here.
    private PyTorchRunner? pythonUnderOurCap;
    private bool pythonWorks;

    public async Task<BenchReport> RunAsync()
    {
        report.LoadAtStart = MachineLoad.Now();
        // Before our first convolution. PyTorch as users run it does not inherit a cap set here; a cap the caller set
        // is theirs, and both sides keep it.
        report.KernelNote = CpuKernels.CapWhereCachesAreHidden();
        report.OurKernelCap = Environment.GetEnvironmentVariable(CpuKernels.IsaVariable);
        if (report.KernelNote is not null)
        {
            python = new PyTorchRunner(settings.Python, unsetVariable: CpuKernels.IsaVariable);
            pythonUnderOurCap = new PyTorchRunner(settings.Python);
        }
        if (settings.Device == "cuda" && !cuda.is_available())
            throw new InvalidOperationException("--device cuda: CUDA is not available; build with -p:TorchDevice=cuda on a GPU machine.");
        set_num_threads(settings.Threads);
        report.TorchSharpVersion = typeof(TorchSharp.torch).Assembly.GetName().Version?.ToString(3) ?? "?";
        var (version, problem) = await python.ProbeAsync(settings.Device);
        pythonWorks = version is not null;
        report.PyTorch = version ?? $"left out: {problem}";
        if (pythonWorks && settings.Device == "cpu")
        {
            report.PyTorchKernels = await python.KernelsAsync();
            report.PyTorchUnderOurCapKernels = pythonUnderOurCap is null ? null : await pythonUnderOurCap.KernelsAsync();
        }
        Directory.CreateDirectory(settings.WorkDirectory);
        // TestingHost writes its silos' logs under ./logs; they belong with the benchmark's files, not in the caller's folder.
        Directory.SetCurrentDirectory(settings.WorkDirectory);

        if (settings.Runs(BenchPart.Step))
            await StepsAsync();
        if (settings.Runs(BenchPart.Optimizer))
            report.Optimizer = await Timed("Adam over dcgan64's G and D", () => OptimizerBenchmark.RunAsync(pythonWorks ? python : null, settings));
        if (settings.Runs(BenchPart.Exchange))
            await ExchangeAsync();
        if (settings.Runs(BenchPart.Scaling))
            await ScalingAsync();
        if (settings.Runs(BenchPart.Data))
            report.Data = await Timed("data pipeline", () => DataPipelineBenchmark.RunAsync(settings));
        if (settings.Runs(BenchPart.Cluster))
            await ClusterAsync();
        report.LoadAtEnd = MachineLoad.Now();
        return report;
    }

    private async Task StepsAsync()
    {
        foreach (var model in settings.Models)
        {
            foreach (int batch in settings.Batches)
            {
                string name = $"{PyTorchSteps.ModelName(model)} batch {batch}";
                var ours = await Timed($"{name}, ours", () => Task.FromResult(LocalStepBenchmark.Run(model, batch, settings)));
                var torch = pythonWorks ? await Timed($"{name}, PyTorch as users run it", () => PyTorchSteps.RunAsync(python, model, batch, settings)) : null;
                var capped = pythonWorks && pythonUnderOurCap is { } underCap
                    ? await Timed($"{name}, PyTorch under our kernel cap", () => PyTorchSteps.RunAsync(underCap, model, batch, settings))
                    : null;
                report.Steps.Add(new StepComparison(model, batch, ours, torch, capped));
            }
        }
    }

    private async Task ClusterAsync()
    {
        int batch = settings.ClusterBatch, threads = settings.Threads, half = Math.Max(1, threads / 2);
        var inProcess = report.Steps.FirstOrDefault(s => s.Model == GanArchitecture.Dcgan64 && s.Batch == batch)
            ?? new StepComparison(GanArchitecture.Dcgan64, batch,
                await Timed($"dcgan64 batch {batch}, ours", () => Task.FromResult(LocalStepBenchmark.Run(GanArchitecture.Dcgan64, batch, settings))), null);
        report.Cluster.Add(new ClusterCase($"ours in process, 1 x {threads} threads, batch {batch}", inProcess.Ours, [inProcess.Ours.PeakBytes]));

        async Task Run(string setup, int silos, int workers, GradientPrecision precision)
        {
            var run = await Timed(setup, () => ClusterRunBenchmark.RunAsync(silos, workers, batch / workers, precision, settings));
            report.Cluster.Add(new ClusterCase(setup, run.Steps, run.SiloPeakBytes, run.SiloPeakBytesAtEnd,
                run.MedianExchangeSeconds / run.Steps.Timings.Median, run.MedianOptimizerSeconds / run.Steps.Timings.Median));
        }
        if (settings.Device != "cpu")
        {
            // One GPU: one silo, whose single slot (cuda:0) the workers share.
            await Run($"ours, 1 silo, 1 worker x {batch} on {settings.Device}", 1, 1, GradientPrecision.Float32);
            await Run($"ours, 1 silo, 2 workers x {batch / 2} on one {settings.Device} slot", 1, 2, GradientPrecision.Float32);
            return;
        }
        await Run($"ours, 1 silo x {threads} threads, 1 worker x {batch}", 1, 1, GradientPrecision.Float32);
        await Run($"ours, 2 silos x {half} thread(s), 2 workers x {batch / 2}, fp32 gradients", 2, 2, GradientPrecision.Float32);
        if (!settings.Quick)
            await Run($"ours, 2 silos x {half} thread(s), 2 workers x {batch / 2}, bf16 gradients", 2, 2, GradientPrecision.BFloat16);
        // What each process of the two-process cases computes, alone: the yardstick of their overhead.
        set_num_threads(1);
        var oursOneThread = await Timed($"dcgan64 batch {batch / 2}, ours, 1 thread", () => Task.FromResult(LocalStepBenchmark.Run(GanArchitecture.Dcgan64, batch / 2, settings)));
        set_num_threads(settings.Threads);
        report.Cluster.Add(new ClusterCase($"ours in process, 1 x 1 thread, batch {batch / 2}", oursOneThread, [oursOneThread.PeakBytes]));
        if (!pythonWorks)
            return;
        await PyTorchCasesAsync(python, PyTorchKernels.AsUsersRunIt, inProcess.PyTorch);
        if (pythonUnderOurCap is { } underCap)
            await PyTorchCasesAsync(underCap, PyTorchKernels.UnderOurCap, inProcess.PyTorchUnderOurCap);
    }

    /// <summary>The cluster table's PyTorch rows for one PyTorch: in process with every thread and with one, and DDP.</summary>
    private async Task PyTorchCasesAsync(PyTorchRunner runner, PyTorchKernels kernels, StepResult? inProcess)
    {
        int batch = settings.ClusterBatch;
        string which = kernels == PyTorchKernels.UnderOurCap ? $", under our {report.OurKernelCap} cap (like for like)" : ", as users run it";
        if (inProcess is not null)
            report.Cluster.Add(new ClusterCase($"PyTorch in process, 1 x {settings.Threads} threads, batch {batch}{which}", inProcess, [inProcess.PeakBytes]));
        var oneThread = await Timed($"dcgan64 batch {batch / 2}, PyTorch{which}, 1 thread",
            () => PyTorchSteps.RunAsync(runner, GanArchitecture.Dcgan64, batch / 2, settings with { Threads = 1 }));
        report.Cluster.Add(new ClusterCase($"PyTorch in process, 1 x 1 thread, batch {batch / 2}{which}", oneThread, [oneThread.PeakBytes]));
        var (ddp, peaks) = await Timed($"PyTorch DDP{which}", () => PyTorchSteps.RunDistributedAsync(runner, GanArchitecture.Dcgan64, 2, batch / 2, settings));
        report.Cluster.Add(new ClusterCase($"PyTorch DDP (gloo), 2 processes x 1 thread x {batch / 2}{which}", ddp, [.. peaks.Select(p => (long?)p)],
            Ddp: kernels));
    }

    private async Task ExchangeAsync()
    {
        var memcpy = await Timed("memcpy bandwidth", () => Task.FromResult(MemcpyBandwidth.Measure(settings.Repeats)));
        var tcp = await Timed("loopback TCP bandwidth", () => LoopbackTcpBandwidth.MeasureAsync(settings.Repeats));
        var copies = await Timed("tensor copies, previous and now", () => Task.FromResult(TensorCopyBenchmark.Run(settings.Repeats)));
        Timings message, sidePath;
        await using (var cluster = await Timed("two silos for one buffer's paths", ExchangeCluster.StartAsync))
        {
            message = await Timed("25 MB in an Orleans message", () => cluster.MessageAsync(ExchangeFigures.ProbeBytes, settings.Repeats));
            sidePath = await Timed("25 MB on the bulk side path", () => cluster.SidePathAsync(ExchangeFigures.ProbeBytes, settings.Repeats));
        }
        var exchanges = new List<ExchangeCase>();
        var certificate = BenchCertificate.Write(Path.Combine(settings.WorkDirectory, "tls"));
        foreach (var (route, precision, tls) in new[]
        {
            ("socket", GradientPrecision.Float32, false), ("socket", GradientPrecision.Float32, true), ("orleans", GradientPrecision.Float32, false),
            ("socket", GradientPrecision.BFloat16, false),
        })
        {
            string label = tls ? $"{route} under TLS" : route;
            var run = await Timed($"exchange on 2 silo processes, {label}, {ReportTables.Precision(precision)} gradients",
                () => ClusterRunBenchmark.RunAsync(2, 2, settings.SimulatedBatch, precision, settings, ["--bulk-transfer", route], simulateComputeMs: 0,
                    tlsCertificate: tls ? certificate : null));
            exchanges.Add(new ExchangeCase(label, precision, run));
        }
        var errors = await Timed("error of half-precision gradients", () => Task.FromResult(PrecisionErrorBenchmark.Run(settings.PrecisionSteps)));
        report.Exchange = new ExchangeFigures(memcpy, tcp, copies, message, sidePath, exchanges, errors);
    }

    /// <summary>The exchange behind a GPU's step: workers wait instead of computing, on 1, 2 and 4 silo processes.</summary>
    private async Task ScalingAsync()
    {
        var cases = new List<ScalingCase>();
        foreach (int silos in settings.ScalingSilos)
        {
            var runs = Path.Combine(settings.WorkDirectory, "runs", Guid.NewGuid().ToString("N"));
            await using (var cluster = await Timed($"{silos} silo processes", () => LocalSiloCluster.StartAsync(silos, 1, settings.DataDirectory, runs, ["--device", "cpu"])))
            {
                foreach (int workers in settings.ScalingWorkers.Where(w => w >= silos))
                {
                    var run = await Timed($"{workers} workers on {silos} silos, {settings.SimulateComputeMs} ms compute",
                        () => ClusterRunBenchmark.RunOnAsync(cluster, workers, settings.SimulatedBatch, GradientPrecision.Float32, settings, settings.SimulateComputeMs));
                    cases.Add(new ScalingCase(silos, workers, run));
                }
            }
            Directory.Delete(runs, recursive: true);
        }
        report.Scaling = new ScalingFigures(settings.SimulateComputeMs, cases);
    }

    private static async Task<T> Timed<T>(string what, Func<Task<T>> part)
    {
        Console.Error.WriteLine($"{DateTime.Now:HH:mm:ss} {what} (load {MachineLoad.Now()})");
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var result = await part();
        Console.Error.WriteLine($"{DateTime.Now:HH:mm:ss}   done in {System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds:0.0} s");
        return result;
    }
}
