using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Orleans.Gan.Core.Models;

/// <summary>
/// The face-generation tutorial's generator: dense z to 7x7x(4*ngf), reshape, then 5x5 transposed convolutions
/// (4*ngf)→(2*ngf)→ngf→3 going 7→7→14→28 ("same" padding as in the tutorial), with batch norm, leaky ReLU 0.2 and
/// dropout after every layer but the output, and tanh on the output. With ngf 256 the widths are the tutorial's
/// 1024→512→256→3; the default is narrower (<see cref="GanModelConfig.Tutorial28"/>).
/// </summary>
public sealed class Tutorial28Generator : Module<Tensor, Tensor>, IRandomSource
{
    private readonly Linear project;
    private readonly BatchNorm2d project_norm;
    private readonly Sequential main;
    private readonly int projectedChannels;
    private readonly double dropout;

    public Tutorial28Generator(GanModelConfig config) : base(nameof(Tutorial28Generator))
    {
        int ngf = config.GeneratorFeatures;
        projectedChannels = ngf * 4;
        dropout = config.Dropout;
        project = Linear(config.NoiseSize, 7 * 7 * projectedChannels);
        project_norm = BatchNorm2d(projectedChannels);
        main = Sequential(
            ConvTranspose2d(ngf * 4, ngf * 2, 5, stride: 1, padding: 2),
            BatchNorm2d(ngf * 2),
            LeakyReLU(0.2),
            ConvTranspose2d(ngf * 2, ngf, 5, stride: 2, padding: 2, output_padding: 1),
            BatchNorm2d(ngf),
            LeakyReLU(0.2),
            ConvTranspose2d(ngf, 3, 5, stride: 2, padding: 2, output_padding: 1),
            Tanh());
        RegisterComponents();
    }

    public Generator? Random { get; set; }

    /// <summary>z of shape [N, nz] becomes images of shape [N, 3, 28, 28] in [-1, 1].</summary>
    public override Tensor forward(Tensor z)
    {
        using var scope = NewDisposeScope();
        Tensor x = project.call(z).view(z.shape[0], projectedChannels, 7, 7);
        x = functional.leaky_relu(project_norm.call(x), 0.2);
        x = SeededDropout.Apply(x, dropout, training, Random);
        foreach (var layer in main.children())
        {
            x = ((Module<Tensor, Tensor>)layer).call(x);
            if (layer is LeakyReLU)
                x = SeededDropout.Apply(x, dropout, training, Random);
        }
        return x.MoveToOuterDisposeScope();
    }
}
