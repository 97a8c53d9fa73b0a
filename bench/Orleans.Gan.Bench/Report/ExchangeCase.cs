using Orleans.Gan.Bench.Cluster;
using Orleans.Gan.Contracts;

namespace Orleans.Gan.Bench.Report;

/// <summary>A run with no compute on two silo processes whose bulk transfer takes <paramref name="Route"/>.</summary>
public sealed record ExchangeCase(string Route, GradientPrecision Precision, ClusterRunResult Result);
