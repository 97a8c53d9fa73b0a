using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Orleans.Gan.Core.Models;

/// <summary>
/// PyTorch's reference DCGAN generator, layer for layer, so that state-dict names (main.0.weight, main.1.running_mean,
/// ...) and parameter counts match and PyTorch can load our weights. The first transposed convolution from a 1x1
/// input is the dense layer plus reshape of the paper. Dropout, when enabled, is applied between the modules of
/// <c>main</c> rather than inserted into it, so that the names stay those of the reference.
/// </summary>
public sealed class Dcgan64Generator : Module<Tensor, Tensor>, IRandomSource
{
    private readonly Sequential main;
    private readonly double dropout;

    public Dcgan64Generator(GanModelConfig config) : base(nameof(Dcgan64Generator))
    {
        int nz = config.NoiseSize, ngf = config.GeneratorFeatures;
        dropout = config.Dropout;
        main = Sequential(
            ConvTranspose2d(nz, ngf * 8, 4, 1, 0, bias: false),
            BatchNorm2d(ngf * 8),
            ReLU(inplace: true),
            ConvTranspose2d(ngf * 8, ngf * 4, 4, 2, 1, bias: false),
            BatchNorm2d(ngf * 4),
            ReLU(inplace: true),
            ConvTranspose2d(ngf * 4, ngf * 2, 4, 2, 1, bias: false),
            BatchNorm2d(ngf * 2),
            ReLU(inplace: true),
            ConvTranspose2d(ngf * 2, ngf, 4, 2, 1, bias: false),
            BatchNorm2d(ngf),
            ReLU(inplace: true),
            ConvTranspose2d(ngf, 3, 4, 2, 1, bias: false),
            Tanh());
        RegisterComponents();
    }

    public Generator? Random { get; set; }

    /// <summary>z of shape [N, nz] becomes images of shape [N, 3, 64, 64] in [-1, 1].</summary>
    public override Tensor forward(Tensor z)
    {
        using var scope = NewDisposeScope();
        Tensor x = z.view(z.shape[0], z.shape[1], 1, 1);
        foreach (var layer in main.children())
        {
            x = ((Module<Tensor, Tensor>)layer).call(x);
            if (layer is ReLU)
                x = SeededDropout.Apply(x, dropout, training, Random);
        }
        return x.MoveToOuterDisposeScope();
    }
}
