using Orleans.Gan.Contracts;

namespace Orleans.Gan.Bench.Exchange;

/// <summary>
/// A worker that does everything a <see cref="IWorkerGrain"/> does with the messages (writes the weights into a dcgan64
/// replica, reads its gradients out in the run's precision) but computes nothing, so that only the exchange is timed.
/// </summary>
public interface IExchangeWorkerGrain : IGrainWithStringKey
{
    Task Prepare(GradientPrecision precision);

    Task<DiscriminatorGradients> ComputeDiscriminatorGradients(DiscriminatorPhaseRequest request);

    Task<GeneratorGradients> ComputeGeneratorGradients(GeneratorPhaseRequest request);

    Task Release();
}
