using Orleans.Gan.Contracts;

namespace Orleans.Gan.Bench.Exchange;

/// <summary>Does a coordinator's side of the exchange of every step with one <see cref="IExchangeWorkerGrain"/>, and times it.</summary>
public interface IExchangeCoordinatorGrain : IGrainWithStringKey
{
    Task<List<ExchangeSample>> Measure(string workerKey, GradientPrecision precision, int warmup, int repeats);
}
