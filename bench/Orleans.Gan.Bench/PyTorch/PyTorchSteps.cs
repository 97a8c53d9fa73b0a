using System.Globalization;
using System.Text.Json;
using Orleans.Gan.Bench.Measurement;
using Orleans.Gan.Bench.Steps;
using Orleans.Gan.Core.Models;

namespace Orleans.Gan.Bench.PyTorch;

/// <summary>The same step in PyTorch (bench/pytorch/dcgan_step.py), and PyTorch DDP over gloo (ddp_step.py).</summary>
public static class PyTorchSteps
{
    public static async Task<StepResult> RunAsync(PyTorchRunner runner, GanArchitecture architecture, int batch, BenchSettings settings)
    {
        var json = await runner.RunScriptAsync("dcgan_step.py",
        [
            "--model", ModelName(architecture), "--batch", Text(batch), "--threads", Text(settings.Threads), .. Widths(architecture),
            "--warmup", Text(settings.WarmupSteps), "--steps", Text(settings.MeasuredSteps), "--device", settings.Device,
        ]);
        return new StepResult(StepSeconds(json), batch, json.GetProperty("peak_rss_bytes").GetInt64());
    }

    /// <summary>DDP with <paramref name="processes"/> processes of one thread each, <paramref name="batchPerProcess"/> images each.</summary>
    public static async Task<(StepResult Result, IReadOnlyList<long> PeakBytes)> RunDistributedAsync(
        PyTorchRunner runner, GanArchitecture architecture, int processes, int batchPerProcess, BenchSettings settings)
    {
        var json = await runner.RunScriptAsync("ddp_step.py",
        [
            "--model", ModelName(architecture), "--batch", Text(batchPerProcess), "--world-size", Text(processes), .. Widths(architecture),
            "--threads", "1", "--warmup", Text(settings.WarmupSteps), "--steps", Text(settings.MeasuredSteps),
        ]);
        var peaks = json.GetProperty("peak_rss_bytes").EnumerateArray().Select(p => p.GetInt64()).ToList();
        return (new StepResult(StepSeconds(json), processes * batchPerProcess, peaks.Max()), peaks);
    }

    /// <summary>G's and D's widths as our side trains the model (its default config), so that both sides build the same networks.</summary>
    public static string[] Widths(GanArchitecture architecture)
    {
        var model = GanModelConfig.For(architecture);
        return ["--ngf", Text(model.GeneratorFeatures), "--ndf", Text(model.DiscriminatorFeatures)];
    }

    public static string ModelName(GanArchitecture architecture) => architecture == GanArchitecture.Dcgan64 ? "dcgan64" : "tutorial28";

    private static Timings StepSeconds(JsonElement json) =>
        new([.. json.GetProperty("step_seconds").EnumerateArray().Select(s => s.GetDouble())]);

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);
}
