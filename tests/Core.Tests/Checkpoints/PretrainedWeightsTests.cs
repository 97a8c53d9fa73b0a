using System.Runtime.InteropServices;
using Orleans.Gan.Core.Checkpoints;
using Orleans.Gan.Core.Models;
using Orleans.Gan.Core.Tests.Data;
using Orleans.Gan.Core.Training;
using Orleans.Gan.Tests.Shared;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace Orleans.Gan.Core.Tests.Checkpoints;

/// <summary>
/// Generators from files users have: written by PyTorch itself, as safetensors, or our checkpoints; the model read
/// from the shapes; a file of another architecture refused naming the first tensor that differs.
/// </summary>
public sealed class PretrainedWeightsTests
{
    [Theory]
    [InlineData("dcgan64", 8)]
    [InlineData("tutorial28", 8)]
    public void A_generator_saved_by_PyTorch_draws_the_faces_PyTorch_draws(string model, int generatorFeatures)
    {
        using var folder = new TempFolder();
        var saved = PyTorchGenerator.Save(folder.Path, model, generatorFeatures);

        var pretrained = PretrainedWeights.Read(saved.StateDict);
        var architecture = model == "dcgan64" ? GanArchitecture.Dcgan64 : GanArchitecture.Tutorial28;
        Assert.Equal((architecture, 100, generatorFeatures), (pretrained.Model.Architecture, pretrained.Model.NoiseSize, pretrained.Model.GeneratorFeatures));
        Assert.False(pretrained.HasDiscriminator);

        using var networks = GanNetworks.Create(pretrained.Model, seed: 0);
        pretrained.LoadInto(networks);
        networks.Eval();
        using var noGrad = no_grad();
        using var noise = tensor(saved.Noise, [4, 100]);
        using var faces = networks.Generator.call(noise);
        var expected = saved.Faces;
        var ours = faces.data<float>().ToArray();
        Assert.Equal(expected.Length, ours.Length);
        double largest = expected.Zip(ours, (a, b) => Math.Abs(a - b)).Max();
        Assert.True(largest < 1e-5, $"G's faces differ from PyTorch's by up to {largest}");
    }

    /// <summary>
    /// PyTorch's own dcgan64 generator class strictly loads G_ema out of our checkpoint (tests/pytorch/draw_from_checkpoint.py,
    /// reading the safetensors format itself) and draws the faces G_ema draws here, not those of G.
    /// </summary>
    [Fact]
    public void PyTorch_loads_G_ema_from_a_checkpoint_into_its_generator_and_draws_G_emas_faces()
    {
        using var folder = new TempFolder();
        var config = SmallModels.Training(GanModelConfig.Dcgan64 with { GeneratorFeatures = 8, DiscriminatorFeatures = 8 });
        using var trainer = new LocalTrainer(config);
        using var average = new GeneratorAverage(trainer.Networks, config.Seed, new AverageSettings(Kimg: 0.05, Rampup: 0));
        for (int step = 0; step < 3; step++)
        {
            using var batch = SmallModels.Batch(config.Model, config.BatchSize, seed: step);
            trainer.TrainStep(batch);
            average.Update(step * config.BatchSize, config.BatchSize);
        }
        var checkpoint = Path.Combine(folder.Path, "step-00000003.safetensors");
        CheckpointFile.Save(checkpoint, trainer.Networks, trainer.Optimizers, new CheckpointState(config, 3, 0, 3, 1), average);

        float[] DrawnByPyTorch(string prefix)
        {
            var output = Path.Combine(folder.Path, prefix);
            DebianPython.Run(Path.Combine(RepositoryRoot.Path, "tests", "pytorch", "draw_from_checkpoint.py"), [checkpoint, prefix, "8", output],
                TimeSpan.FromMinutes(2), ("torch", "python3-torch"));
            return MemoryMarshal.Cast<byte, float>(File.ReadAllBytes(Path.Combine(output, "faces.f32"))).ToArray();
        }
        var noise = Path.Combine(folder.Path, CheckpointFile.AveragePrefix, "noise.f32");
        var averaged = DrawnByPyTorch(CheckpointFile.AveragePrefix);
        var raw = DrawnByPyTorch(CheckpointFile.GeneratorPrefix);

        average.Networks.Eval();
        using var noGrad = no_grad();
        using var z = tensor(MemoryMarshal.Cast<byte, float>(File.ReadAllBytes(noise)).ToArray(), [4, 100]);
        using var ours = average.Networks.Generator.call(z);
        var oursFaces = ours.data<float>().ToArray();
        double largest = averaged.Zip(oursFaces, (a, b) => Math.Abs(a - b)).Max();
        Assert.True(largest < 1e-5, $"G_ema's faces differ from PyTorch's by up to {largest}");
        double apart = raw.Zip(averaged, (a, b) => Math.Abs(a - b)).Max();
        Assert.True(apart > 100 * largest, $"PyTorch's faces from G and from G_ema are {apart} apart, too close to tell which it loaded (ours and PyTorch's G_ema: {largest})");
    }

    [Fact]
    public void A_safetensors_generator_and_a_checkpoint_load_with_their_widths_and_a_checkpoint_brings_D()
    {
        using var folder = new TempFolder();
        var model = SmallModels.Dcgan64;
        using var trained = GanNetworks.Create(model, seed: 4);

        var safetensors = Path.Combine(folder.Path, "netG.safetensors");
        using (var file = File.Create(safetensors))
            Safetensors.SaveStateDict(file, trained.Generator.state_dict());
        var fromSafetensors = PretrainedWeights.Read(safetensors);
        Assert.Equal((16, 8), (fromSafetensors.Model.NoiseSize, fromSafetensors.Model.GeneratorFeatures));
        using var loaded = GanNetworks.Create(fromSafetensors.Model, seed: 9);
        fromSafetensors.LoadInto(loaded);
        Assert.Equal(TensorBlock.Parameters(trained.Generator).ReadValues(), TensorBlock.Parameters(loaded.Generator).ReadValues());

        var checkpoint = Path.Combine(folder.Path, "step-00000001.safetensors");
        var config = SmallModels.Training(model);
        CheckpointFile.Save(checkpoint, trained, new GanOptimizers(trained, config), new CheckpointState(config, 1, 0, 1, 1, null));
        var fromCheckpoint = PretrainedWeights.Read(checkpoint);
        Assert.True(fromCheckpoint.HasDiscriminator);
        Assert.Equal(model, fromCheckpoint.Model);
        using var both = GanNetworks.Create(model, seed: 9);
        fromCheckpoint.LoadInto(both);
        Assert.Equal(SmallModels.Weights(trained), SmallModels.Weights(both));
    }

    [Fact]
    public void A_file_of_another_architecture_is_refused_naming_the_first_tensor_that_differs()
    {
        using var folder = new TempFolder();
        using var tutorial = GanNetworks.Create(SmallModels.Tutorial28, seed: 1);
        var path = Path.Combine(folder.Path, "tutorial.safetensors");
        using (var file = File.Create(path))
            Safetensors.SaveStateDict(file, tutorial.Generator.state_dict());
        var asDcgan = Assert.Throws<CheckpointException>(() => PretrainedWeights.Read(path, GanArchitecture.Dcgan64));
        Assert.Contains("does not hold a dcgan64 generator", asDcgan.Message);
        Assert.Contains("project.weight", asDcgan.Message);

        using var dcgan = GanNetworks.Create(SmallModels.Dcgan64, seed: 1);
        var state = dcgan.Generator.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value);
        state["main.3.weight"] = zeros(5, 5, 4, 4);
        var reshaped = Path.Combine(folder.Path, "reshaped.safetensors");
        using (var file = File.Create(reshaped))
            Safetensors.SaveStateDict(file, state);
        var shape = Assert.Throws<CheckpointException>(() => PretrainedWeights.Read(reshaped));
        Assert.Contains("its tensor main.3.weight is [5, 5, 4, 4], not [64, 32, 4, 4]", shape.Message);

        var text = Path.Combine(folder.Path, "notes.pth");
        File.WriteAllText(text, "not weights");
        Assert.Contains("is neither a PyTorch state dict", Assert.Throws<CheckpointException>(() => PretrainedWeights.Read(text)).Message);
    }
}
