using System.Diagnostics;
using Orleans.Gan.Contracts;
using Orleans.Gan.Core.Models;
using Orleans.Gan.Core.Training;
using Orleans.Gan.Grains.Placement;
using Orleans.Gan.Grains.Training;
using static TorchSharp.torch;

namespace Orleans.Gan.Bench.Exchange;

[SiloNamePlacement]
public sealed class ExchangeWorkerGrain : Grain, IExchangeWorkerGrain
{
    private static readonly TrainingMetrics NoMetrics = new(0, 0, 0, 0, 0);
    private GanNetworks? replica;
    private NetworkBlocks? blocks;
    private WirePrecision precision;

    public Task Prepare(GradientPrecision gradientPrecision)
    {
        Release();
        precision = gradientPrecision.ToCore();
        replica = GanNetworks.Create(GanModelConfig.Dcgan64, seed: 2);
        blocks = new NetworkBlocks(replica);
        // Gradients of a realistic size, so that rounding them costs what it costs after a real backward pass.
        using var noGrad = no_grad();
        foreach (var parameter in replica.Generator.parameters().Concat(replica.Discriminator.parameters()))
            parameter.grad = randn_like(parameter).mul_(1e-3);
        return Task.CompletedTask;
    }

    public async Task<DiscriminatorGradients> ComputeDiscriminatorGradients(DiscriminatorPhaseRequest request)
    {
        var clock = Stopwatch.StartNew();
        var gradients = await Task.Run(() =>
        {
            WeightSets.Write(Blocks, request.Weights);
            return Blocks.DiscriminatorParameters.ReadGradients(precision);
        });
        return new DiscriminatorGradients(request.Step, 0, gradients, new WorkerTiming(0, clock.Elapsed.TotalSeconds));
    }

    public async Task<GeneratorGradients> ComputeGeneratorGradients(GeneratorPhaseRequest request)
    {
        var clock = Stopwatch.StartNew();
        return await Task.Run(() =>
        {
            Blocks.DiscriminatorParameters.WriteValues(request.DiscriminatorParameters);
            return new GeneratorGradients(request.Step, 0, Blocks.GeneratorParameters.ReadGradients(precision),
                Blocks.GeneratorStatistics.ReadValues(), Blocks.DiscriminatorStatistics.ReadValues(), NoMetrics,
                new WorkerTiming(0, clock.Elapsed.TotalSeconds));
        });
    }

    public Task Release()
    {
        replica?.Dispose();
        (replica, blocks) = (null, null);
        return Task.CompletedTask;
    }

    private NetworkBlocks Blocks => blocks ?? throw new InvalidOperationException("Prepare the exchange worker first.");
}
