using Orleans.Gan.Core.Tests.Data;
using Orleans.Gan.Core.Checkpoints;
using Orleans.Gan.Core.Models;
using Orleans.Gan.Core.Training;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json.Nodes;
using TorchSharp.Modules;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace Orleans.Gan.Core.Tests.Checkpoints;

public sealed class CheckpointFileTests : IDisposable
{
    private readonly TempFolder directory = new();

    [Fact]
    public void Round_trip_restores_weights_adam_and_state_so_training_continues_bit_identically()
    {
        var config = SmallModels.Training(SmallModels.Dcgan64);
        var path = directory.Combine("run.safetensors");
        using var original = new LocalTrainer(config);
        Train(original, steps: 2, firstBatch: 0);
        var plan = new RunPlan(Epochs: 4, MaxSteps: 10, Dataset: "/data/celeba", SyntheticFaces: 100, SampleEvery: 2, CheckpointEvery: 3, QualityEvery: 4);
        var state = new CheckpointState(config, original.StepsDone, Epoch: 3, BatchInEpoch: 5, Workers: 1, plan);
        CheckpointFile.Save(path, original.Networks, original.Optimizers, state);

        using var restored = new LocalTrainer(config with { Seed = 99 });
        var loaded = CheckpointFile.Load(path, restored.Networks, restored.Optimizers);
        restored.StepsDone = loaded.Step;

        // Saving adds the checksum of the tensors; the rest of the state comes back as it was.
        Assert.Matches("^[0-9a-f]{32}$", loaded.ContentHash);
        Assert.Equal(state, loaded with { ContentHash = null });
        Assert.Equal(loaded, CheckpointFile.ReadState(path));
        Assert.Equal(SmallModels.Weights(original.Networks), SmallModels.Weights(restored.Networks));
        // Continuing needs the Adam moments and step counts too, not only the weights.
        Train(original, steps: 2, firstBatch: 2);
        using var resumed = new LocalTrainer(CheckpointFile.ReadState(path).Config);
        resumed.StepsDone = CheckpointFile.Load(path, resumed.Networks, resumed.Optimizers).Step;
        Train(resumed, steps: 2, firstBatch: 2);
        Assert.Equal(SmallModels.Weights(original.Networks), SmallModels.Weights(resumed.Networks));
        Assert.Equal(new[] { "run.safetensors" }, Directory.GetFiles(directory.Path).Select(Path.GetFileName));
    }

    [Fact]
    public void Generator_and_discriminator_are_stored_under_the_pytorch_reference_names()
    {
        var path = directory.Combine("names.safetensors");
        using var trainer = new LocalTrainer(SmallModels.Training(SmallModels.Dcgan64));
        CheckpointFile.Save(path, trainer.Networks, trainer.Optimizers, new CheckpointState(trainer.Config, 0, 0, 0, 1));

        var keys = Safetensors.LoadStateDict(path).Keys.ToHashSet();
        Assert.Contains("generator.main.0.weight", keys);
        Assert.Contains("generator.main.1.running_mean", keys);
        Assert.Contains("discriminator.main.11.weight", keys);
    }

    /// <summary>Adam's moments under the names of PyTorch's optimizer state dict, shaped as their parameters, with the step as a float scalar.</summary>
    [Fact]
    public void Adam_states_are_stored_under_the_names_of_pytorchs_optimizer_state_dict()
    {
        var path = directory.Combine("adam.safetensors");
        using var trainer = new LocalTrainer(SmallModels.Training(SmallModels.Dcgan64));
        Train(trainer, steps: 3, firstBatch: 0);
        CheckpointFile.Save(path, trainer.Networks, trainer.Optimizers, new CheckpointState(trainer.Config, 3, 0, 3, 1));

        var tensors = Safetensors.LoadStateDict(path);
        Assert.Equal(tensors["generator.main.0.weight"].shape, tensors["optimizer.generator.state.0.exp_avg"].shape);
        // PyTorch numbers a network's parameters in registration order.
        int last = trainer.Networks.Discriminator.named_parameters().Select(p => p.name).ToList().IndexOf("main.11.weight");
        Assert.Equal(tensors["discriminator.main.11.weight"].shape, tensors[$"optimizer.discriminator.state.{last}.exp_avg_sq"].shape);
        Assert.Equal(3f, tensors[$"optimizer.discriminator.state.{last}.step"].item<float>());
        int generatorParameters = trainer.Networks.Generator.parameters().Count();
        Assert.Equal(3 * generatorParameters, tensors.Keys.Count(k => k.StartsWith("optimizer.generator.state.", StringComparison.Ordinal)));
        Assert.Equal(trainer.Optimizers.Generator.ExpAvg[..16].ToArray(), tensors["optimizer.generator.state.0.exp_avg"].flatten()[..16].data<float>().ToArray());
    }

    /// <summary>
    /// Checkpoints written before the flat optimizer hold each Adam state as one uint8 tensor in TorchSharp's format,
    /// and no checksum: they still load, with the moments and step counts they had.
    /// </summary>
    [Fact]
    public void A_checkpoint_with_the_adam_states_in_torchsharps_format_still_loads()
    {
        var config = SmallModels.Training(SmallModels.Dcgan64);
        using var trainer = new LocalTrainer(config);
        Train(trainer, steps: 2, firstBatch: 0);
        var path = directory.Combine("flat.safetensors");
        CheckpointFile.Save(path, trainer.Networks, trainer.Optimizers, new CheckpointState(config, 2, 0, 2, 1));
        var tensors = Safetensors.LoadStateDict(path);
        foreach (var (key, network, adam) in new[]
        {
            ("optimizer.generator", (nn.Module)trainer.Networks.Generator, trainer.Optimizers.Generator),
            ("optimizer.discriminator", trainer.Networks.Discriminator, trainer.Optimizers.Discriminator),
        })
        {
            foreach (var name in tensors.Keys.Where(k => k.StartsWith(key + ".", StringComparison.Ordinal)).ToList())
                tensors.Remove(name);
            tensors[key] = TorchSharpAdamState(network, adam, config);
        }
        var state = JsonNode.Parse(tensors["training_state"].bytes)!.AsObject();
        state.Remove("ContentHash");
        tensors["training_state"] = tensor(Encoding.UTF8.GetBytes(state.ToJsonString()));
        var legacy = directory.Combine("torchsharp-adam.safetensors");
        Safetensors.SaveStateDict(legacy, tensors);

        using var resumed = new LocalTrainer(config with { Seed = 99 });
        Assert.Equal(2, CheckpointFile.Load(legacy, resumed.Networks, resumed.Optimizers).Step);
        Assert.Equal(SmallModels.Weights(trainer.Networks), SmallModels.Weights(resumed.Networks));
        foreach (var (written, read) in new[] { (trainer.Optimizers.Generator, resumed.Optimizers.Generator), (trainer.Optimizers.Discriminator, resumed.Optimizers.Discriminator) })
        {
            Assert.Equal(2, read.Steps);
            Assert.Equal(written.ExpAvg.ToArray(), read.ExpAvg.ToArray());
            Assert.Equal(written.ExpAvgSq.ToArray(), read.ExpAvgSq.ToArray());
        }
    }

    /// <summary>
    /// G_ema goes into the checkpoint under <c>generator_ema.</c> and G's names, comes back bit for bit, and goes on
    /// bit-identically after a resume; a checkpoint without it (an older one, or a run that kept none) starts G_ema as G.
    /// </summary>
    [Fact]
    public void G_ema_is_stored_beside_G_resumes_exactly_and_starts_as_G_where_a_checkpoint_has_none()
    {
        var config = SmallModels.Training(SmallModels.Dcgan64);
        using var trainer = new LocalTrainer(config);
        using var average = new GeneratorAverage(trainer.Networks, config.Seed, new AverageSettings(Kimg: 0.1, Rampup: 0));
        TrainAveraged(trainer, average, steps: 3);
        var path = directory.Combine("ema.safetensors");
        CheckpointFile.Save(path, trainer.Networks, trainer.Optimizers, new CheckpointState(config, 3, 0, 3, 1), average);
        var keys = Safetensors.LoadStateDict(path).Keys;
        Assert.Contains("generator_ema.main.0.weight", keys);
        Assert.Contains("generator_ema.main.1.running_mean", keys);

        // Fresh networks of the run's seed: the step's noise is drawn from it.
        using var resumed = new LocalTrainer(config);
        using var resumedAverage = new GeneratorAverage(resumed.Networks, config.Seed, average.Settings);
        Assert.NotEqual(GeneratorOf(average.Networks), GeneratorOf(resumedAverage.Networks));
        resumed.StepsDone = CheckpointFile.Load(path, resumed.Networks, resumed.Optimizers, resumedAverage).Step;
        Assert.Equal(GeneratorOf(average.Networks), GeneratorOf(resumedAverage.Networks));
        TrainAveraged(trainer, average, steps: 2);
        TrainAveraged(resumed, resumedAverage, steps: 2);
        Assert.Equal(GeneratorOf(average.Networks), GeneratorOf(resumedAverage.Networks));
        Assert.NotEqual(GeneratorOf(trainer.Networks), GeneratorOf(average.Networks));

        var (drawn, _) = CheckpointFile.LoadNetworks(path, averaged: true);
        using (drawn)
            Assert.NotEqual(GeneratorOf(drawn), GeneratorOf(CheckpointFile.LoadNetworks(path).Networks));

        var withoutAverage = directory.Combine("without-ema.safetensors");
        CheckpointFile.Save(withoutAverage, trainer.Networks, trainer.Optimizers, new CheckpointState(config, 5, 0, 5, 1));
        using var older = new LocalTrainer(config);
        using var olderAverage = new GeneratorAverage(older.Networks, config.Seed, average.Settings);
        CheckpointFile.Load(withoutAverage, older.Networks, older.Optimizers, olderAverage);
        Assert.Equal(GeneratorOf(trainer.Networks), GeneratorOf(olderAverage.Networks));
    }

    /// <summary>G's parameters and statistics, for bit-for-bit comparisons.</summary>
    private static byte[] GeneratorOf(GanNetworks networks) =>
        [.. TensorBlock.Parameters(networks.Generator).ReadValues(), .. TensorBlock.RunningStatistics(networks.Generator).ReadValues()];

    private static void TrainAveraged(LocalTrainer trainer, GeneratorAverage average, int steps)
    {
        for (int i = 0; i < steps; i++)
        {
            using var batch = SmallModels.Batch(trainer.Config.Model, trainer.Config.BatchSize, seed: trainer.StepsDone);
            trainer.TrainStep(batch);
            average.Update((trainer.StepsDone - 1) * trainer.Config.BatchSize, trainer.Config.BatchSize);
        }
    }

    /// <summary>A flat Adam's state as TorchSharp's own Adam saves it.</summary>
    private static Tensor TorchSharpAdamState(nn.Module network, FlatAdam flat, TrainingConfig config)
    {
        using var adam = optim.Adam(network.parameters(), config.LearningRate, config.Beta1, config.Beta2);
        foreach (var (state, segment) in adam.state_dict().State.Cast<Adam.State>().Zip(flat.Parameters.Segments))
        {
            state.step = flat.Steps;
            state.exp_avg.bytes = MemoryMarshal.AsBytes(flat.ExpAvg[segment.Range]);
            state.exp_avg_sq.bytes = MemoryMarshal.AsBytes(flat.ExpAvgSq[segment.Range]);
        }
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true))
            adam.save_state_dict(writer);
        return tensor(stream.ToArray());
    }

    [Fact]
    public void Truncated_file_is_refused_with_its_path()
    {
        var path = SaveSmall("truncated.safetensors");
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);
        AssertRefused(path, "truncated");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(100_000)]
    public void A_file_cut_short_is_refused_even_when_only_its_state_is_read(int bytesCut)
    {
        var path = SaveSmall("cut.safetensors");
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..^bytesCut]);

        var error = Assert.Throws<CheckpointException>(() => CheckpointFile.ReadState(path));
        Assert.Contains(path, error.Message);
        Assert.Contains("truncated", error.Message);
        Assert.Equal(CheckpointProblem.Damaged, error.Problem);
        AssertRefused(path, "truncated");
    }

    [Fact]
    public void A_file_that_is_not_a_checkpoint_is_refused_with_its_path()
    {
        var path = directory.Combine("notes.safetensors");
        File.WriteAllText(path, "these are not tensors");
        AssertRefused(path, "not a readable checkpoint");

        var plain = directory.Combine("plain.safetensors");
        using var trainer = new LocalTrainer(SmallModels.Training(SmallModels.Tutorial28));
        trainer.Networks.Generator.save_safetensors(plain);
        AssertRefused(plain, "not an Orleans.Gan checkpoint");
    }

    [Fact]
    public void A_checkpoint_of_another_model_size_is_refused()
    {
        var path = SaveSmall("small.safetensors");
        using var other = new LocalTrainer(SmallModels.Training(SmallModels.Dcgan64 with { GeneratorFeatures = 16 }));
        var error = Assert.Throws<CheckpointException>(() => CheckpointFile.Load(path, other.Networks, other.Optimizers));
        Assert.Contains(path, error.Message);
        Assert.Contains("ngf 8", error.Message);
        Assert.Equal(CheckpointProblem.OtherNetworks, error.Problem);
    }

    public void Dispose() => directory.Dispose();

    private string SaveSmall(string name)
    {
        var path = directory.Combine(name);
        using var trainer = new LocalTrainer(SmallModels.Training(SmallModels.Dcgan64));
        CheckpointFile.Save(path, trainer.Networks, trainer.Optimizers, new CheckpointState(trainer.Config, 0, 0, 0, 1));
        return path;
    }

    private static void AssertRefused(string path, string reason)
    {
        using var trainer = new LocalTrainer(SmallModels.Training(SmallModels.Dcgan64));
        var error = Assert.Throws<CheckpointException>(() => CheckpointFile.Load(path, trainer.Networks, trainer.Optimizers));
        Assert.Contains(path, error.Message);
        Assert.Contains(reason, error.Message);
        Assert.Equal(CheckpointProblem.Damaged, error.Problem);
    }

    private static void Train(LocalTrainer trainer, int steps, int firstBatch)
    {
        for (int i = 0; i < steps; i++)
        {
            using var batch = SmallModels.Batch(trainer.Config.Model, trainer.Config.BatchSize, seed: firstBatch + i);
            trainer.TrainStep(batch);
        }
    }
}
