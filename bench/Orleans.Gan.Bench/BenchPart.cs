namespace Orleans.Gan.Bench;

/// <summary>The parts of the benchmark, which <c>--only</c> picks from.</summary>
public enum BenchPart
{
    Step,
    Cluster,
    Exchange,
    Scaling,
    Data,
}
