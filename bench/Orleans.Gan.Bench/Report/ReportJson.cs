using System.Text.Json;
using System.Text.Json.Nodes;
using Orleans.Gan.Bench.Cluster;
using Orleans.Gan.Bench.Exchange;
using Orleans.Gan.Bench.PyTorch;
using Orleans.Gan.Bench.Steps;

namespace Orleans.Gan.Bench.Report;

/// <summary>
/// The report's figures as JSON (results.json), for tools that compare runs. The field names are part of the
/// benchmark's interface: add fields, never rename them. Times are medians in seconds, sizes in bytes.
/// </summary>
public static class ReportJson
{
    public static string Write(BenchReport report)
    {
        var settings = report.Settings;
        var root = new JsonObject
        {
            ["schema"] = 1,
            ["date"] = DateTime.UtcNow.ToString("O"),
            ["quick"] = settings.Quick,
            ["cores"] = Environment.ProcessorCount,
            ["threads"] = settings.Threads,
            ["device"] = settings.Device,
            ["load_at_start"] = report.LoadAtStart,
            ["load_at_end"] = report.LoadAtEnd,
            ["torchsharp"] = report.TorchSharpVersion,
            ["pytorch"] = report.PyTorch,
            ["kernel_note"] = report.KernelNote,
            ["our_kernel_cap"] = report.OurKernelCap,
            ["pytorch_kernels"] = report.PyTorchKernels,
            ["pytorch_under_our_cap_kernels"] = report.PyTorchUnderOurCapKernels,
            ["steps"] = new JsonArray([.. report.Steps.Select(s => new JsonObject
            {
                ["model"] = PyTorchSteps.ModelName(s.Model),
                ["batch"] = s.Batch,
                ["ours"] = Step(s.Ours),
                ["pytorch"] = s.PyTorch is null ? null : Step(s.PyTorch),
                ["pytorch_under_our_cap"] = s.PyTorchUnderOurCap is null ? null : Step(s.PyTorchUnderOurCap),
            })]),
            ["cluster"] = new JsonArray([.. report.Cluster.Select(c => new JsonObject
            {
                ["setup"] = c.Setup,
                ["step"] = Step(c.Result),
                ["peak_bytes_per_process"] = new JsonArray([.. c.PeakBytesPerProcess.Select(p => (JsonNode?)p)]),
                ["silo_peak_bytes_at_end"] = c.PeakBytesAtEnd is null ? null : new JsonArray([.. c.PeakBytesAtEnd.Select(p => (JsonNode?)p)]),
                ["exchange_share"] = c.ExchangeShare,
                ["optimizer_share"] = c.OptimizerShare,
                ["ddp"] = c.Ddp switch { PyTorchKernels.AsUsersRunIt => "as_users_run_it", PyTorchKernels.UnderOurCap => "under_our_cap", _ => null },
            })]),
        };
        if (report.Exchange is { } exchange)
        {
            root["exchange"] = new JsonObject
            {
                ["memcpy_bytes_per_second"] = MemcpyBandwidth.Bytes / exchange.Memcpy.Median,
                ["loopback_tcp_bytes_per_second"] = exchange.TcpBytesPerSecond,
                ["probe_bytes"] = ExchangeFigures.ProbeBytes,
                ["orleans_message_seconds"] = exchange.OrleansMessage.Median,
                ["side_path_seconds"] = exchange.SidePath.Median,
                ["runs"] = new JsonArray([.. exchange.Exchanges.Select(e => Run(e.Result, new JsonObject
                {
                    ["bulk_transfer"] = e.Route,
                    ["gradients"] = ReportTables.Precision(e.Precision),
                    ["loopback_tcp_seconds_same_bytes"] = e.Result.MedianBusiestSiloBytes / exchange.TcpBytesPerSecond,
                }))]),
            };
        }
        if (report.Optimizer is { } optimizer)
        {
            root["optimizer"] = new JsonObject
            {
                ["parameters"] = optimizer.Parameters,
                ["memory_floor_seconds"] = optimizer.FloorSeconds,
                ["flat_adam_seconds"] = optimizer.Flat.Median,
                ["torchsharp_per_tensor_adam_seconds"] = optimizer.TorchSharpPerTensor.Median,
                ["pytorch_adam_seconds"] = optimizer.PyTorch?.Median,
            };
        }
        if (report.Scaling is { } scaling)
        {
            root["scaling"] = new JsonObject
            {
                ["simulate_compute_ms"] = scaling.ComputeMs,
                ["runs"] = new JsonArray([.. scaling.Cases.Select(c => Run(c.Result, new JsonObject { ["silos"] = c.Silos, ["workers"] = c.Workers }))]),
            };
        }
        return root.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }

    private static JsonObject Step(StepResult step) => new()
    {
        ["step_seconds"] = step.Timings.Median,
        ["images_per_second"] = step.ImagesPerSecond,
        ["peak_bytes"] = step.PeakBytes,
    };

    private static JsonObject Run(ClusterRunResult run, JsonObject fields)
    {
        fields["step_seconds"] = run.Steps.Timings.Median;
        fields["exchange_seconds"] = run.MedianExchangeSeconds;
        fields["busiest_silo_bytes_per_step"] = run.MedianBusiestSiloBytes;
        fields["silo_peak_bytes"] = new JsonArray([.. run.SiloPeakBytes.Select(p => (JsonNode?)p)]);
        fields["silo_peak_bytes_at_end"] = new JsonArray([.. run.SiloPeakBytesAtEnd.Select(p => (JsonNode?)p)]);
        return fields;
    }
}
