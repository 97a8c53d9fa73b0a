using Orleans.Gan.Bench.Cluster;

namespace Orleans.Gan.Bench.Report;

/// <summary>One run of the scaling part: <paramref name="Workers"/> workers spread over <paramref name="Silos"/> silo processes.</summary>
public sealed record ScalingCase(int Silos, int Workers, ClusterRunResult Result);
