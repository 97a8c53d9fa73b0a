using Orleans.Gan.Core.Models;
using static TorchSharp.torch;

namespace Orleans.Gan.Core.Tests.Models;

public sealed class ModelShapeTests
{
    [Fact]
    public void Dcgan64_has_the_parameter_counts_of_the_pytorch_reference()
    {
        using var networks = GanNetworks.Create(GanModelConfig.Dcgan64, seed: 1);
        Assert.Equal(3_576_704, networks.Generator.parameters().Sum(p => p.numel()));
        Assert.Equal(2_765_568, networks.Discriminator.parameters().Sum(p => p.numel()));
    }

    [Fact]
    public void Dcgan64_state_dict_names_match_the_pytorch_reference()
    {
        using var networks = GanNetworks.Create(GanModelConfig.Dcgan64, seed: 1);
        var generator = networks.Generator.state_dict().Keys.ToHashSet();
        var discriminator = networks.Discriminator.state_dict().Keys.ToHashSet();

        // The reference: nn.Sequential named main, conv/bn/activation triples, no biases in the convolutions.
        string[] expectedG = [.. new[] { 0, 3, 6, 9, 12 }.Select(i => $"main.{i}.weight"),
            .. new[] { 1, 4, 7, 10 }.SelectMany(i => new[] { "weight", "bias", "running_mean", "running_var", "num_batches_tracked" }.Select(n => $"main.{i}.{n}"))];
        string[] expectedD = [.. new[] { 0, 2, 5, 8, 11 }.Select(i => $"main.{i}.weight"),
            .. new[] { 3, 6, 9 }.SelectMany(i => new[] { "weight", "bias", "running_mean", "running_var", "num_batches_tracked" }.Select(n => $"main.{i}.{n}"))];
        Assert.Equal(expectedG.Order(), generator.Order());
        Assert.Equal(expectedD.Order(), discriminator.Order());
        Assert.Equal([512, 256, 4, 4], networks.Generator.state_dict()["main.3.weight"].shape);
        Assert.Equal([1, 512, 4, 4], networks.Discriminator.state_dict()["main.11.weight"].shape);
    }

    [Theory]
    [InlineData(GanArchitecture.Dcgan64, 64)]
    [InlineData(GanArchitecture.Tutorial28, 28)]
    public void Generator_makes_images_in_range_that_the_discriminator_scores_one_logit_each(GanArchitecture architecture, int size)
    {
        using var scope = NewDisposeScope();
        var config = GanModelConfig.For(architecture);
        using var networks = GanNetworks.Create(config, seed: 3);
        var images = networks.Generator.call(randn(5, config.NoiseSize));
        Assert.Equal([5, 3, size, size], images.shape);
        Assert.True(images.min().item<float>() >= -1f && images.max().item<float>() <= 1f);
        Assert.Equal([5], networks.Discriminator.call(images).shape);
    }

    [Fact]
    public void Tutorial28_at_ngf_256_and_ndf_64_has_the_tutorial_widths_and_a_dense_projection()
    {
        using var networks = GanNetworks.Create(GanModelConfig.Tutorial28 with { GeneratorFeatures = 256, DiscriminatorFeatures = 64 }, seed: 1);
        var g = networks.Generator.state_dict();
        Assert.Equal([7 * 7 * 1024, 100], g["project.weight"].shape);
        Assert.Equal([1024, 512, 5, 5], g["main.0.weight"].shape);
        Assert.Equal([256, 3, 5, 5], g["main.6.weight"].shape);
        var d = networks.Discriminator.state_dict();
        Assert.Equal([64, 3, 5, 5], d["main.0.weight"].shape);
        Assert.False(d.ContainsKey("main.1.running_mean"), "the input layer of D has no batch norm");
        Assert.Equal([1, 4 * 4 * 256], d["main.9.weight"].shape);
    }

    [Fact]
    public void Weights_are_initialised_as_in_the_dcgan_paper_and_depend_on_the_seed()
    {
        using var networks = GanNetworks.Create(GanModelConfig.Dcgan64, seed: 11);
        var g = networks.Generator.state_dict();
        Assert.InRange(g["main.3.weight"].std().item<float>(), 0.019f, 0.021f);
        Assert.InRange(g["main.3.weight"].mean().item<float>(), -0.001f, 0.001f);
        Assert.InRange(g["main.1.weight"].mean().item<float>(), 0.99f, 1.01f);
        Assert.Equal(0f, g["main.1.bias"].abs().sum().item<float>());

        using var same = GanNetworks.Create(GanModelConfig.Dcgan64, seed: 11);
        using var other = GanNetworks.Create(GanModelConfig.Dcgan64, seed: 12);
        Assert.True(SmallModels.Weights(networks).SequenceEqual(SmallModels.Weights(same)));
        Assert.False(SmallModels.Weights(networks).SequenceEqual(SmallModels.Weights(other)));
    }

    [Theory]
    [InlineData(0, 64, 64, 0.0, 1.0, "NoiseSize")]
    [InlineData(100, 0, 64, 0.0, 1.0, "GeneratorFeatures")]
    [InlineData(100, 64, -1, 0.0, 1.0, "DiscriminatorFeatures")]
    [InlineData(100, 64, 64, 1.0, 1.0, "Dropout")]
    [InlineData(100, 64, 64, 0.0, 0.3, "RealLabel")]
    public void Out_of_range_settings_are_refused_by_name(int nz, int ngf, int ndf, double dropout, double realLabel, string name)
    {
        var config = new GanModelConfig(GanArchitecture.Dcgan64, nz, ngf, ndf, dropout, realLabel);
        var error = Assert.Throws<ArgumentException>(() => config.Validate());
        Assert.Equal(name, error.ParamName);
    }
}
