using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Orleans.Gan.Core.Models;

/// <summary>A generator and a discriminator built from one <see cref="GanModelConfig"/> and initialised from a seed.</summary>
public sealed class GanNetworks : IDisposable
{
    private GanNetworks(GanModelConfig config, nn.Module<Tensor, Tensor> generator, nn.Module<Tensor, Tensor> discriminator)
    {
        Config = config;
        Generator = generator;
        Discriminator = discriminator;
    }

    public GanModelConfig Config { get; }

    public nn.Module<Tensor, Tensor> Generator { get; }

    public nn.Module<Tensor, Tensor> Discriminator { get; }

    /// <summary>Where both networks' tensors are.</summary>
    public Device Device => Generator.parameters().First().device;

    /// <summary>
    /// Builds both networks and initialises them as the DCGAN paper does, from a generator seeded with
    /// <paramref name="seed"/>, then moves them to <paramref name="device"/> (the CPU when null). Initialising on the
    /// CPU first gives the same weights on every device.
    /// </summary>
    public static GanNetworks Create(GanModelConfig config, long seed, Device? device = null)
    {
        config.Validate();
        var networks = config.Architecture == GanArchitecture.Dcgan64
            ? new GanNetworks(config, new Dcgan64Generator(config), new Dcgan64Discriminator(config))
            : new GanNetworks(config, new Tutorial28Generator(config), new Tutorial28Discriminator(config));
        using var random = new Generator(unchecked((ulong)seed));
        Initialise(networks.Generator, random);
        Initialise(networks.Discriminator, random);
        if (device is not null && device.type != DeviceType.CPU)
        {
            networks.Generator.to(device);
            networks.Discriminator.to(device);
        }
        return networks;
    }

    /// <summary>Sets the generator that G's dropout masks are drawn from for the next forward passes.</summary>
    public void UseRandom(Generator? random) => ((IRandomSource)Generator).Random = random;

    public void Train()
    {
        Generator.train();
        Discriminator.train();
    }

    public void Eval()
    {
        Generator.eval();
        Discriminator.eval();
    }

    public void Dispose()
    {
        Generator.Dispose();
        Discriminator.Dispose();
    }

    /// <summary>
    /// Weights from N(0, 0.02), batch-norm scales from N(1, 0.02), biases 0: the DCGAN paper's initialisation.
    /// Tensor.normal_ is used because TorchSharp 0.107.0's nn.init.normal_ ignores its generator argument.
    /// </summary>
    private static void Initialise(nn.Module module, Generator random)
    {
        using var noGrad = no_grad();
        foreach (var (_, layer) in module.named_modules())
        {
            switch (layer)
            {
                case Conv2d or ConvTranspose2d or Linear:
                    foreach (var (name, parameter) in layer.named_parameters(recurse: false))
                    {
                        if (name == "weight")
                            parameter.normal_(0.0, 0.02, random);
                        else
                            nn.init.zeros_(parameter);
                    }
                    break;
                case BatchNorm2d norm:
                    norm.weight!.normal_(1.0, 0.02, random);
                    nn.init.zeros_(norm.bias!);
                    break;
            }
        }
    }
}
