using Orleans.Gan.Core.Models;
using Orleans.Gan.Core.Training;
using static TorchSharp.torch;

namespace Orleans.Gan.KernelProbe;

/// <summary>
/// <see cref="LocalTrainer"/>'s step, phase by phase, watched for the first NaN: every module's output as it is
/// computed, then, after each phase's backward pass, every parameter's gradient. Names where NaN first appeared.
/// </summary>
internal sealed class TracedStep : IDisposable
{
    private readonly TrainingConfig config;
    private readonly GanOptimizers optimizers;
    private readonly AdversarialStep step;
    private long stepsDone;

    public TracedStep(TrainingConfig config)
    {
        this.config = config;
        Networks = GanNetworks.Create(config.Model, config.Seed);
        optimizers = new GanOptimizers(Networks, config);
        step = new AdversarialStep(Networks);
        foreach (var (prefix, network) in new[] { ("G", Networks.Generator), ("D", Networks.Discriminator) })
        {
            foreach (var (name, module) in network.named_modules())
            {
                if (module is nn.Module<Tensor, Tensor> layer && !module.named_children().Any())
                {
                    layer.register_forward_hook((_, input, output) =>
                    {
                        if (FirstNan is null && output.isnan().any().item<bool>())
                            FirstNan = $"{prefix}.{name} ({module.GetType().Name}) forward"
                                + (input.isnan().any().item<bool>() ? ", whose input already held NaN" : "");
                        return output;
                    });
                }
            }
        }
    }

    public GanNetworks Networks { get; }

    /// <summary>Where NaN first appeared, or null.</summary>
    public string? FirstNan { get; private set; }

    public StepMetrics Take(Tensor real)
    {
        using var random = StepRandom.For(config.Seed, stepsDone++, worker: 0);
        step.ComputeDiscriminatorGradients(real, random);
        CheckGradients("D", Networks.Discriminator, "D's phase");
        optimizers.StepDiscriminator();
        var metrics = step.ComputeGeneratorGradients();
        CheckGradients("G", Networks.Generator, "G's phase");
        optimizers.StepGenerator();
        return metrics;
    }

    private void CheckGradients(string prefix, nn.Module network, string phase)
    {
        if (FirstNan is not null)
            return;
        foreach (var (name, parameter) in network.named_parameters())
        {
            if (parameter.grad is { } gradient && gradient.isnan().any().item<bool>())
            {
                FirstNan = $"{prefix}.{name} gradient, backward of {phase}";
                return;
            }
        }
    }

    public void Dispose()
    {
        step.Dispose();
        Networks.Dispose();
    }
}
