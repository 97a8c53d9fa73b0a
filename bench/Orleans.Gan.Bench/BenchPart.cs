namespace Orleans.Gan.Bench;

/// <summary>The parts of the benchmark, which <c>--only</c> picks from.</summary>
public enum BenchPart
{
    Step,
    Optimizer,
    Cluster,
    Exchange,
    Scaling,
    Data,
}
