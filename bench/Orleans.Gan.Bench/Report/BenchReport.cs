using Orleans.Gan.Bench.Data;
using Orleans.Gan.Bench.Optimizer;

namespace Orleans.Gan.Bench.Report;

/// <summary>Everything one benchmark run measured, filled in part by part.</summary>
public sealed class BenchReport(BenchSettings settings)
{
    public BenchSettings Settings { get; } = settings;

    public string LoadAtStart { get; set; } = "";

    public string LoadAtEnd { get; set; } = "";

    public string TorchSharpVersion { get; set; } = "";

    /// <summary>What was done about this CPU's oneDNN kernels, if anything (see CpuKernels).</summary>
    public string? KernelNote { get; set; }

    /// <summary>The cap on our oneDNN kernels (ONEDNN_MAX_CPU_ISA), null where there is none.</summary>
    public string? OurKernelCap { get; set; }

    /// <summary>The PyTorch version, or why PyTorch could not run.</summary>
    public string PyTorch { get; set; } = "";

    /// <summary>The ISA and convolution kernel oneDNN used in PyTorch as users run it.</summary>
    public string? PyTorchKernels { get; set; }

    /// <summary>The same under our cap, where this benchmark set one; null otherwise.</summary>
    public string? PyTorchUnderOurCapKernels { get; set; }

    public List<StepComparison> Steps { get; } = [];

    public List<ClusterCase> Cluster { get; } = [];

    /// <summary>Why the cluster part was left out, if it was.</summary>
    public string? ClusterSkipped { get; set; }

    public ExchangeFigures? Exchange { get; set; }

    public ScalingFigures? Scaling { get; set; }

    public OptimizerFigures? Optimizer { get; set; }

    public DataPipelineResult? Data { get; set; }
}
