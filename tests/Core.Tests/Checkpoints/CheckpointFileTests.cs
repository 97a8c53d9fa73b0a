using Orleans.Gan.Core.Tests.Data;
using Orleans.Gan.Core.Checkpoints;
using Orleans.Gan.Core.Training;
using TorchSharp.PyBridge;

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
