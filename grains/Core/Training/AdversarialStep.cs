using Orleans.Gan.Core.Models;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace Orleans.Gan.Core.Training;

/// <summary>
/// The two gradient computations of one DCGAN step on one batch, in the order of PyTorch's DCGAN example. Between them
/// the caller takes D's optimizer step, in process or on the silos' slices; the fake batch and its graph are kept so
/// that G's loss is taken through the updated D. Each phase leaves its gradients in <see cref="DiscriminatorGradients"/>
/// or <see cref="GeneratorGradients"/>.
/// </summary>
public sealed class AdversarialStep : IDisposable
{
    private readonly GanNetworks networks;
    private Tensor? fake;
    private double lossD;
    private double realScore;
    private double fakeScoreBeforeD;

    public AdversarialStep(GanNetworks networks)
    {
        this.networks = networks;
        DiscriminatorGradients = new ParameterGradients(TensorBlock.Parameters(networks.Discriminator));
        GeneratorGradients = new ParameterGradients(TensorBlock.Parameters(networks.Generator));
    }

    /// <summary>D's gradients from the last discriminator phase.</summary>
    public ParameterGradients DiscriminatorGradients { get; }

    /// <summary>G's gradients from the last generator phase.</summary>
    public ParameterGradients GeneratorGradients { get; }

    /// <summary>
    /// Phase 1: D's gradients from BCE on the real batch (towards the smoothed real label) and on G(z) detached
    /// (towards 0), into <see cref="DiscriminatorGradients"/>.
    /// </summary>
    /// <param name="real">A batch of real images, [N, 3, S, S] in [-1, 1], on the networks' device.</param>
    /// <param name="random">The step's generator, on the CPU: z and G's dropout masks are drawn from it, so every
    /// device draws the same values.</param>
    public void ComputeDiscriminatorGradients(Tensor real, Generator random)
    {
        var (generator, discriminator) = (networks.Generator, networks.Discriminator);
        DisposeFake();
        networks.Train();
        DiscriminatorGradients.Clear();
        using var scope = NewDisposeScope();
        long batch = real.shape[0];

        var realLogits = discriminator.call(real);
        var lossReal = binary_cross_entropy_with_logits(realLogits, full(batch, networks.Config.RealLabel, device: real.device));
        lossReal.backward();

        var noise = randn([batch, networks.Config.NoiseSize], generator: random);
        if (real.device_type != DeviceType.CPU)
            noise = noise.to(real.device);
        networks.UseRandom(random);
        fake = generator.call(noise).DetachFromDisposeScope();
        networks.UseRandom(null);
        var fakeLogits = discriminator.call(fake.detach());
        var lossFake = binary_cross_entropy_with_logits(fakeLogits, zeros(batch, device: real.device));
        lossFake.backward();

        lossD = lossReal.item<float>() + lossFake.item<float>();
        realScore = realLogits.sigmoid().mean().item<float>();
        fakeScoreBeforeD = fakeLogits.sigmoid().mean().item<float>();
    }

    /// <summary>
    /// Phase 2, after D has been updated: G's gradients from the non-saturating loss, BCE of D(G(z)) against 1.
    /// Leaves the gradients in <see cref="GeneratorGradients"/> and returns the step's metrics; D's gradients of this
    /// pass are thrown away, and D's of the discriminator phase are left as they were.
    /// </summary>
    public StepMetrics ComputeGeneratorGradients()
    {
        if (fake is null)
            throw new InvalidOperationException("The discriminator phase must run before the generator phase.");
        GeneratorGradients.Clear();
        DiscriminatorGradients.Detach();
        double lossG, fakeScoreAfterD;
        using (NewDisposeScope())
        {
            var logits = networks.Discriminator.call(fake);
            var loss = binary_cross_entropy_with_logits(logits, ones(fake.shape[0], device: fake.device));
            loss.backward();
            lossG = loss.item<float>();
            fakeScoreAfterD = logits.sigmoid().mean().item<float>();
        }
        DisposeFake();
        return new StepMetrics(lossD, lossG, realScore, fakeScoreBeforeD, fakeScoreAfterD);
    }

    public void Dispose()
    {
        DisposeFake();
        DiscriminatorGradients.Dispose();
        GeneratorGradients.Dispose();
    }

    private void DisposeFake()
    {
        fake?.Dispose();
        fake = null;
    }
}
