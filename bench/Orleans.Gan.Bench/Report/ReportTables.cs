using System.Globalization;
using Orleans.Gan.Bench.Exchange;
using Orleans.Gan.Bench.Optimizer;
using Orleans.Gan.Bench.PyTorch;
using Orleans.Gan.Contracts;
using Orleans.Gan.Core.Models;
using Orleans.Gan.Core.Runtime;
using Orleans.Gan.Core.Training;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Orleans.Gan.Bench.Report;

/// <summary>The report as tables: medians, ratios to the reference of each table, and peak memory.</summary>
public static class ReportTables
{
    private const double Mega = 1e6;
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static IEnumerable<IRenderable> Render(BenchReport report, TableBorder border)
    {
        var settings = report.Settings;
        yield return new Text(
            $"Orleans.Gan benchmark, {DateTime.Now.ToString("yyyy-MM-dd HH:mm", Invariant)}, {(settings.Quick ? "--quick" : "full")}: " +
            $"{Environment.ProcessorCount} cores ({Measurement.MachineLoad.Processor()}), {settings.Threads} torch threads, device {settings.Device}. " +
            $"Load average (1, 5, 15 min) {report.LoadAtStart} at the start, {report.LoadAtEnd} at the end. " +
            $"TorchSharp {report.TorchSharpVersion}; PyTorch {report.PyTorch}. Medians of {settings.MeasuredSteps} steps after {settings.WarmupSteps} warm-up."
            + (report.KernelNote is { } note ? $" {note}" : "") + Kernels(report) + "\n");
        if (report.Steps.Count > 0)
            yield return Steps(report, border);
        if (report.Optimizer is { } optimizer)
            yield return Optimizer(optimizer, report.Settings.Threads, report.Settings.Device, border);
        if (report.Cluster.Count > 0)
            yield return Cluster(report, border);
        else if (report.ClusterSkipped is { } why)
            yield return new Text($"Cluster overhead left out: {why}\n");
        if (report.Exchange is { } exchange)
        {
            yield return Copies(exchange, border);
            yield return Exchanges(exchange, border);
            yield return Errors(exchange, border);
        }
        if (report.Data is not null)
            yield return Data(report, border);
        if (report.Scaling is { } scaling)
            yield return Scaling(scaling, report.Exchange, border);
    }

    /// <summary>Which kernels each side ran: the header says it once for every table.</summary>
    private static string Kernels(BenchReport report)
    {
        if (report.PyTorchKernels is null)
            return "";
        string ours = report.OurKernelCap is { } cap ? $"oneDNN at most {cap} ({CpuKernels.IsaVariable}={cap})" : "oneDNN uncapped";
        return $" Kernels: ours {ours}; PyTorch as users run it: {report.PyTorchKernels}"
            + (report.PyTorchUnderOurCapKernels is { } capped ? $"; PyTorch under our cap (like for like): {capped}." : ".");
    }

    private static Table Steps(BenchReport report, TableBorder border)
    {
        bool capped = report.Steps.Any(s => s.PyTorchUnderOurCap is not null);
        string[] columns = capped
            ? ["model", "batch", "ours ms", "PyTorch ms, as users run it", "ours ÷ PyTorch", "PyTorch ms under our cap (like for like)",
                "ours ÷ PyTorch under our cap", "ours img/s", "PyTorch img/s", "ours peak MB", "PyTorch peak MB"]
            : ["model", "batch", "ours ms", "PyTorch ms", "ours ÷ PyTorch", "ours img/s", "PyTorch img/s", "ours peak MB", "PyTorch peak MB"];
        var table = NewTable(border, $"1. One training step in one process, {report.Settings.Threads} threads, {report.Settings.Device}", columns);
        foreach (var row in report.Steps)
        {
            var (ours, torch, underCap) = (row.Ours, row.PyTorch, row.PyTorchUnderOurCap);
            string[] cells = [PyTorchSteps.ModelName(row.Model), Text(row.Batch), Ms(ours.Timings.Median), Ms(torch?.Timings.Median),
                Ratio(ours.Timings.Median, torch?.Timings.Median)];
            if (capped)
                cells = [.. cells, Ms(underCap?.Timings.Median), Ratio(ours.Timings.Median, underCap?.Timings.Median)];
            table.AddRow([.. cells, Rate(ours.ImagesPerSecond), Rate(torch?.ImagesPerSecond), Megabytes(ours.PeakBytes), Megabytes(torch?.PeakBytes)]);
        }
        table.Caption("ours ÷ PyTorch below 1 means our step is faster; PyTorch's img/s and peak are PyTorch's as users run it. "
            + "Peak: VmHWM of the process during that case; ours is this benchmark's process, reset before each case, so it includes what the process already held.");
        return table;
    }

    private static Table Optimizer(OptimizerFigures figures, int threads, string device, TableBorder border)
    {
        var table = NewTable(border, $"1b. Adam's step over all of dcgan64's G and D ({figures.Parameters:#,0} parameters), {threads} threads",
            "optimizer", "ms", "÷ memory floor", "÷ PyTorch");
        void Add(string what, double? seconds) =>
            table.AddRow(what, Ms(seconds), seconds is { } s ? Ratio(s, figures.FloorSeconds) : "n/a", seconds is { } t ? Ratio(t, figures.PyTorch?.Median) : "n/a");
        Add($"memory floor: {OptimizerBenchmark.BytesPerParameter} B per parameter at memcpy's traffic rate", figures.FloorSeconds);
        Add("ours: flat Adam, one pass (FlatAdam)", figures.Flat.Median);
        Add("TorchSharp's per-tensor Adam (the coordinator's before)", figures.TorchSharpPerTensor.Median);
        Add($"PyTorch torch.optim.Adam, as users run it, on {device}", figures.PyTorch?.Median);
        table.Caption("Both optimizers' steps together, on gradients already in place. The floor: Adam reads parameter, gradient and both moments "
            + "and writes parameter and both moments, at twice the bytes per second of a single-thread 64 MB memcpy (each byte read once and written once), "
            + "measured in the same run.");
        return table;
    }

    private static Table Cluster(BenchReport report, TableBorder border)
    {
        var reference = report.Cluster[0].Result.ImagesPerSecond;
        var ddp = report.Cluster.FirstOrDefault(c => c.Ddp == PyTorchKernels.AsUsersRunIt);
        var ddpUnderCap = report.Cluster.FirstOrDefault(c => c.Ddp == PyTorchKernels.UnderOurCap);
        string[] columns = ddpUnderCap is null
            ? ["setup", "img/s", "÷ ours in process", "÷ PyTorch DDP", "step ms", "exchange + optimizer ÷ step", "peak MB per process", "÷ DDP's peak", "silos' peak MB at the end"]
            : ["setup", "img/s", "÷ ours in process", "÷ PyTorch DDP as users run it", "÷ DDP under our cap", "step ms", "exchange + optimizer ÷ step",
                "peak MB per process", "÷ DDP's peak", "silos' peak MB at the end"];
        var table = NewTable(border, $"2. Cluster overhead: dcgan64, global batch {report.Settings.ClusterBatch} per step, device {report.Settings.Device}", columns);
        long? ddpPeak = ddp?.PeakBytesPerProcess.Max();
        foreach (var row in report.Cluster)
        {
            double rate = row.Result.ImagesPerSecond;
            string[] cells = [row.Setup, Rate(rate), Ratio(rate, reference), Ratio(rate, ddp?.Result.ImagesPerSecond)];
            if (ddpUnderCap is not null)
                cells = [.. cells, Ratio(rate, ddpUnderCap.Result.ImagesPerSecond)];
            long? peak = row.PeakBytesPerProcess.Max();
            table.AddRow([.. cells, Ms(row.Result.Timings.Median), row.ExchangeShare is { } share ? Ratio(share + (row.OptimizerShare ?? 0), 1) : "",
                string.Join(" + ", row.PeakBytesPerProcess.Select(Megabytes)), peak is { } p ? Ratio(p, ddpPeak) : "n/a",
                row.PeakBytesAtEnd is { } atEnd ? string.Join(" + ", atEnd.Select(Megabytes)) : ""]);
        }
        table.Caption("Cluster steps are the coordinator's own step times (all phases, both exchanges, the slices' Adam steps on their holders); "
            + "exchange + optimizer ÷ step: the median step's exchange phase (both fan-outs less the slowest worker's work) and optimizer phase "
            + "(the reduce-scatter with the slices' Adam steps), all of the step but the workers' own work, over the median step. "
            + "Silos are real processes on this machine with the threads split between them. Peaks: VmHWM after the measured steps; "
            + "÷ DDP's peak: the largest process's peak over the larger DDP process's (DDP as users run it); "
            + "at the end: after the run's last step has also scored its samples (SWD) and written a checkpoint on the coordinator's silo.");
        return table;
    }

    private static Table Copies(ExchangeFigures exchange, TableBorder border)
    {
        double memcpy = MemcpyBandwidth.Bytes / exchange.Memcpy.Median;
        var table = NewTable(border, "3a. This machine's ceilings, and the copies between tensors and message bytes",
            "what", "MB", "ms", "MB/s", "÷ memcpy");
        void Add(string what, long bytes, double seconds) =>
            table.AddRow(what, Megabytes(bytes), Ms(seconds), Rate(bytes / seconds / Mega), Ratio(bytes / seconds, memcpy));
        Add("memcpy, one thread", MemcpyBandwidth.Bytes, exchange.Memcpy.Median);
        Add("loopback TCP, one connection, 1 MB writes", LoopbackTcpBandwidth.Bytes, exchange.LoopbackTcp.Median);
        var copies = exchange.Copies;
        Add("weight set out of the tensors, previous (cat, then copy out)", copies.Bytes, copies.PreviousOut.Median);
        Add("weight set out of the tensors, now (one copy per tensor)", copies.Bytes, copies.CurrentOut.Median);
        Add("weight set into the tensors, previous (staging tensor, then copy_)", copies.Bytes, copies.PreviousIn.Median);
        Add("weight set into the tensors, now (one copy per tensor)", copies.Bytes, copies.CurrentIn.Median);
        Add("25 MB in one Orleans message between two silos", ExchangeFigures.ProbeBytes, exchange.OrleansMessage.Median);
        Add("25 MB on the bulk side path between the same silos, checked", ExchangeFigures.ProbeBytes, exchange.SidePath.Median);
        table.Caption($"A dcgan64 weight set: G's and D's parameters and batch-norm statistics, as every worker receives each step. "
            + $"Out: now takes {Ratio(copies.CurrentOut.Median, copies.PreviousOut.Median)} of the previous time; in: {Ratio(copies.CurrentIn.Median, copies.PreviousIn.Median)}. "
            + $"The two silos are TestingHost silos in this process on loopback TCP: the Orleans message takes {Ratio(exchange.OrleansMessage.Median, ExchangeFigures.ProbeBytes / exchange.TcpBytesPerSecond)} "
            + $"of loopback TCP's time for the same bytes, the side path {Ratio(exchange.SidePath.Median, ExchangeFigures.ProbeBytes / exchange.TcpBytesPerSecond)}.");
        return table;
    }

    private static Table Exchanges(ExchangeFigures exchange, TableBorder border)
    {
        var table = NewTable(border, "3b. The exchange of a dcgan64 step between two silo processes: 2 workers, one beside the coordinator, no compute",
            "bulk transfer", "gradients", "step ms", "exchange ms", "MB, busiest silo", "loopback TCP ms, same MB", "exchange ÷ TCP", "step ÷ TCP");
        foreach (var (route, precision, run) in exchange.Exchanges)
        {
            long bytes = run.MedianBusiestSiloBytes;
            double tcp = bytes / exchange.TcpBytesPerSecond, step = run.Steps.Timings.Median;
            table.AddRow(route, Precision(precision), Ms(step), Ms(run.MedianExchangeSeconds), Megabytes(bytes), Ms(tcp),
                Ratio(run.MedianExchangeSeconds, tcp), Ratio(step, tcp));
        }
        table.Caption("Real silo processes (--threads 1 each) and a real run whose workers load every weight and send real-sized gradients "
            + "but compute nothing (--simulate-compute-ms 0). Exchange: the coordinator's gan_step_phase_duration_seconds{phase=\"exchange\"}, "
            + "both fan-outs less the slowest worker's own work. Step: all of it, Adam included. MB, busiest silo: what the silo that moved "
            + "the most sent plus received per step (slices of the gradient sums, new slices of weights). TCP: this run's loopback TCP bandwidth for those bytes.");
        return table;
    }

    private static Table Scaling(ScalingFigures scaling, ExchangeFigures? exchange, TableBorder border)
    {
        var table = NewTable(border, $"5. Scaling with simulated GPU compute: dcgan64, {scaling.ComputeMs} ms per phase instead of the networks",
            "silos", "workers", "step ms", "exchange ms", "optimizer ms", "MB, busiest silo", "÷ step at 2 workers on 2 silos");
        var reference = scaling.Cases.FirstOrDefault(c => c.Silos == 2 && c.Workers == 2)?.Result.Steps.Timings.Median;
        foreach (var (silos, workers, run) in scaling.Cases)
        {
            table.AddRow(Text(silos), Text(workers), Ms(run.Steps.Timings.Median), Ms(run.MedianExchangeSeconds), Ms(run.MedianOptimizerSeconds),
                Megabytes(run.MedianBusiestSiloBytes), Ratio(run.Steps.Timings.Median, reference));
        }
        table.Caption("Silo processes of one thread each on this machine, workers dealt round-robin; each phase waits instead of computing "
            + "but loads the weights and sends gradients of the real size. Optimizer: the reduce-scatter with the slices' Adam steps. "
            + "The bytes: what the silo that moved the most sent plus received per step, as the coordinator reckons it from the layout."
            + (exchange is null ? "" : $" Loopback TCP here: {Rate(exchange.TcpBytesPerSecond / Mega)} MB/s."));
        return table;
    }

    private static Table Errors(ExchangeFigures exchange, TableBorder border)
    {
        int steps = exchange.Errors.FirstOrDefault()?.Steps ?? 0;
        var table = NewTable(border, "3c. What half-precision gradients cost in accuracy (dcgan64, batch 32)",
            "gradients", "averaged gradient: relative error", $"weights after {steps} steps: error ÷ movement", "error ÷ weights");
        foreach (var error in exchange.Errors)
        {
            table.AddRow(Precision(error.Precision), Scientific(error.GradientError), Scientific(error.WeightsVersusMovement),
                Scientific(error.WeightsVersusWeights));
        }
        table.Caption("Relative L2 errors against the same run with fp32 gradients. One rounding is at most 2^-8 = 3.9e-3 (bf16) or 2^-11 = 4.9e-4 (fp16) of each value.");
        return table;
    }

    private static Table Data(BenchReport report, TableBorder border)
    {
        var data = report.Data!;
        var table = NewTable(border, $"4. Data pipeline: one shard of {data.Images} synthetic faces at 64 px",
            "stage", "images/s", "÷ what training consumes");
        var consumption = Consumption(report).ToList();
        double? needed = consumption.Count > 0 ? consumption.Max(c => c.ImagesPerSecond) : null;
        table.AddRow("JPEG decode, crop, resize, cache write (first run)", Rate(data.Images / data.Decode.Median), Ratio(data.Images / data.Decode.Median, needed));
        table.AddRow("cache file checked (later runs)", Rate(data.Images / data.CacheLoad.Median), Ratio(data.Images / data.CacheLoad.Median, needed));
        table.AddRow($"batch of {data.BatchSize} read from the cache file to a float tensor (every step)", Rate(data.BatchSize / data.Batch.Median),
            Ratio(data.BatchSize / data.Batch.Median, needed));
        foreach (var (what, imagesPerSecond) in consumption)
            table.AddRow($"training consumes: {what}", Rate(imagesPerSecond), Ratio(imagesPerSecond, needed));
        table.Caption("Ratios against the fastest training measured here; above 1, the stage keeps up.");
        return table;
    }

    private static IEnumerable<(string What, double ImagesPerSecond)> Consumption(BenchReport report)
    {
        foreach (var step in report.Steps.Where(s => s.Model == GanArchitecture.Dcgan64))
            yield return ($"dcgan64 in process, batch {step.Batch}", step.Ours.ImagesPerSecond);
        foreach (var run in report.Cluster.Skip(1).Where(c => c.Setup.StartsWith("ours", StringComparison.Ordinal)))
            yield return (run.Setup, run.Result.ImagesPerSecond);
    }

    private static Table NewTable(TableBorder border, string title, params string[] columns)
    {
        var table = new Table().Border(border).Title(title);
        table.AddColumn(columns[0]);
        foreach (var column in columns.Skip(1))
            table.AddColumn(new TableColumn(column).RightAligned());
        return table;
    }

    public static string Precision(GradientPrecision precision) => precision switch
    {
        GradientPrecision.BFloat16 => "bf16",
        GradientPrecision.Float16 => "fp16",
        _ => "fp32",
    };

    public static string Precision(WirePrecision precision) => precision switch
    {
        WirePrecision.BFloat16 => "bf16",
        WirePrecision.Float16 => "fp16",
        _ => "fp32",
    };

    private static double Median(IEnumerable<double> values) => new Measurement.Timings([.. values]).Median;

    private static string Text(int value) => value.ToString(Invariant);

    private static string Ms(double? seconds) => seconds is { } s ? (s * 1000).ToString(s < 0.01 ? "0.00" : s < 1 ? "0.0" : "0", Invariant) : "n/a";

    private static string Rate(double? value) => value is { } v ? v.ToString(v < 10 ? "0.00" : v < 1000 ? "0.0" : "#,0", Invariant) : "n/a";

    private static string Megabytes(long? bytes) => bytes is { } b ? (b / Mega).ToString(b < 10 * Mega ? "0.00" : "#,0", Invariant) : "n/a";

    private static string Ratio(double value, double? reference) =>
        reference is { } r && r > 0 ? (value / r).ToString(value / r < 10 ? "0.00" : "#,0", Invariant) + "x" : "n/a";

    private static string Scientific(double value) => value.ToString("0.0e+0", Invariant);
}
