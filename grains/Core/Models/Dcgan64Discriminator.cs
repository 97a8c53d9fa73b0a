using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Orleans.Gan.Core.Models;

/// <summary>
/// PyTorch's reference DCGAN discriminator with the same state-dict names. The reference ends in a sigmoid (main.12);
/// we return the logit instead and train with BCE on logits, which is the same loss and numerically stable. The
/// sigmoid has no parameters, so PyTorch still loads these weights.
/// </summary>
public sealed class Dcgan64Discriminator : Module<Tensor, Tensor>
{
    private readonly Sequential main;

    public Dcgan64Discriminator(GanModelConfig config) : base(nameof(Dcgan64Discriminator))
    {
        int ndf = config.DiscriminatorFeatures;
        main = Sequential(
            Conv2d(3, ndf, 4, 2, 1, bias: false),
            LeakyReLU(0.2, inplace: true),
            Conv2d(ndf, ndf * 2, 4, 2, 1, bias: false),
            BatchNorm2d(ndf * 2),
            LeakyReLU(0.2, inplace: true),
            Conv2d(ndf * 2, ndf * 4, 4, 2, 1, bias: false),
            BatchNorm2d(ndf * 4),
            LeakyReLU(0.2, inplace: true),
            Conv2d(ndf * 4, ndf * 8, 4, 2, 1, bias: false),
            BatchNorm2d(ndf * 8),
            LeakyReLU(0.2, inplace: true),
            Conv2d(ndf * 8, 1, 4, 1, 0, bias: false));
        RegisterComponents();
    }

    /// <summary>Images of shape [N, 3, 64, 64] become one logit each, shape [N].</summary>
    public override Tensor forward(Tensor images) => main.call(images).view(-1);
}
