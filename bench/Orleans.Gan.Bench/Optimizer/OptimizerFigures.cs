using Orleans.Gan.Bench.Measurement;

namespace Orleans.Gan.Bench.Optimizer;

/// <summary>Both Adam steps of dcgan64 three ways, and the memory floor they share.</summary>
/// <param name="FloorSeconds">28 bytes per parameter at the single-thread memcpy traffic rate.</param>
/// <param name="PyTorch">Null where PyTorch could not run.</param>
public sealed record OptimizerFigures(long Parameters, double FloorSeconds, Timings Flat, Timings TorchSharpPerTensor, Timings? PyTorch);
