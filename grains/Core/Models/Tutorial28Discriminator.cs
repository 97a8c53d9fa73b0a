using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Orleans.Gan.Core.Models;

/// <summary>
/// The tutorial's 4-layer discriminator: 5x5 stride-2 convolutions to ndf, 2*ndf and 4*ndf channels (28→14→7→4), batch
/// norm on all but the input layer, leaky ReLU 0.2, then a dense layer to a single logit.
/// </summary>
public sealed class Tutorial28Discriminator : Module<Tensor, Tensor>
{
    private readonly Sequential main;

    public Tutorial28Discriminator(GanModelConfig config) : base(nameof(Tutorial28Discriminator))
    {
        int ndf = config.DiscriminatorFeatures;
        main = Sequential(
            Conv2d(3, ndf, 5, stride: 2, padding: 2),
            LeakyReLU(0.2),
            Conv2d(ndf, ndf * 2, 5, stride: 2, padding: 2),
            BatchNorm2d(ndf * 2),
            LeakyReLU(0.2),
            Conv2d(ndf * 2, ndf * 4, 5, stride: 2, padding: 2),
            BatchNorm2d(ndf * 4),
            LeakyReLU(0.2),
            Flatten(),
            Linear(4 * 4 * ndf * 4, 1));
        RegisterComponents();
    }

    /// <summary>Images of shape [N, 3, 28, 28] become one logit each, shape [N].</summary>
    public override Tensor forward(Tensor images) => main.call(images).view(-1);
}
