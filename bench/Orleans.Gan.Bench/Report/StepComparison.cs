using Orleans.Gan.Bench.Steps;
using Orleans.Gan.Core.Models;

namespace Orleans.Gan.Bench.Report;

/// <summary>
/// Our step and PyTorch's for one model and batch: PyTorch as users run it, and under our kernel cap where this
/// benchmark set one (otherwise null); PyTorch's are null when it could not run here.
/// </summary>
public sealed record StepComparison(GanArchitecture Model, int Batch, StepResult Ours, StepResult? PyTorch, StepResult? PyTorchUnderOurCap = null);
