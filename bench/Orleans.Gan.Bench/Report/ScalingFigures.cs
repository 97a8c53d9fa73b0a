namespace Orleans.Gan.Bench.Report;

/// <summary>The scaling part: steps whose compute is a wait of <paramref name="ComputeMs"/> per phase.</summary>
public sealed record ScalingFigures(int ComputeMs, IReadOnlyList<ScalingCase> Cases);
