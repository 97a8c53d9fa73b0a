using Orleans.Gan.Core.Checkpoints;
using Orleans.Gan.Core.Tests.Data;
using Orleans.Gan.Core.Training;

namespace Orleans.Gan.Core.Tests.Checkpoints;

/// <summary>Which checkpoint a run continues from when its newest ones are damaged, on real checkpoint files.</summary>
public sealed class NewestCheckpointTests : IDisposable
{
    private readonly TempFolder directory = new();
    private readonly RunFolder folder;
    private readonly TrainingConfig config = SmallModels.Training(SmallModels.Dcgan64);

    public NewestCheckpointTests()
    {
        folder = new RunFolder(directory.Path, "run");
        foreach (var step in new long[] { 2, 4, 6 })
        {
            using var trainer = new LocalTrainer(config);
            CheckpointFile.Save(folder.CheckpointPath(step), trainer.Networks, trainer.Optimizers, new CheckpointState(config, step, 0, 0, 1));
        }
    }

    [Fact]
    public void Damaged_newest_checkpoints_are_passed_over_for_the_newest_good_one_and_left_on_disk()
    {
        var truncated = folder.CheckpointPath(6);
        File.WriteAllBytes(truncated, File.ReadAllBytes(truncated)[..^10]);
        var notCheckpoint = folder.CheckpointPath(4);
        File.WriteAllText(notCheckpoint, "not tensors");
        var passedOver = new List<string>();

        var loaded = NewestCheckpoint.Load(folder, CheckpointFile.ReadState, (path, _) => passedOver.Add(path));

        Assert.Equal((2L, folder.CheckpointPath(2)), (loaded!.Value.Loaded.Step, loaded.Value.Path));
        Assert.Equal([truncated, notCheckpoint], passedOver);
        Assert.Equal([2L, 4, 6], folder.Checkpoints().Select(c => c.Step));
    }

    [Fact]
    public void A_flipped_byte_inside_a_weight_makes_the_checkpoint_damaged_and_the_one_before_is_loaded()
    {
        var flipped = folder.CheckpointPath(6);
        FlipByteInside(flipped, "generator.main.3.weight");
        var passedOver = new List<(string Path, CheckpointException Why)>();

        var loaded = NewestCheckpoint.Load(folder, path => CheckpointFile.LoadNetworks(path), (path, why) => passedOver.Add((path, why)));

        using (loaded!.Value.Loaded.Networks)
            Assert.Equal((4L, folder.CheckpointPath(4)), (loaded.Value.Loaded.State.Step, loaded.Value.Path));
        var (path, why) = Assert.Single(passedOver);
        Assert.Equal(flipped, path);
        Assert.Contains($"{flipped} is damaged: its tensors' checksum is", why.Message);
        using var trainer = new LocalTrainer(config);
        Assert.Equal(CheckpointProblem.Damaged,
            Assert.Throws<CheckpointException>(() => CheckpointFile.Load(flipped, trainer.Networks, trainer.Optimizers)).Problem);
    }

    [Fact]
    public void When_every_checkpoint_is_damaged_the_error_names_each_file()
    {
        foreach (var (_, path) in folder.Checkpoints())
            File.WriteAllBytes(path, File.ReadAllBytes(path)[..100]);

        var error = Assert.Throws<CheckpointException>(() => NewestCheckpoint.Load(folder, CheckpointFile.ReadState, (_, _) => { }));

        Assert.All(folder.Checkpoints(), c => Assert.Contains(c.Path, error.Message));
        Assert.Contains(folder.CheckpointsPath, error.Message);
    }

    [Fact]
    public void A_checkpoint_of_other_networks_stops_the_search_since_older_ones_are_no_better()
    {
        using var other = new LocalTrainer(SmallModels.Training(SmallModels.Dcgan64 with { GeneratorFeatures = 16 }));
        var tried = new List<string>();

        var error = Assert.Throws<CheckpointException>(() => NewestCheckpoint.Load(folder, path =>
        {
            tried.Add(path);
            return CheckpointFile.Load(path, other.Networks, other.Optimizers);
        }, (_, _) => { }));

        Assert.Equal(CheckpointProblem.OtherNetworks, error.Problem);
        Assert.Equal([folder.CheckpointPath(6)], tried);
    }

    [Fact]
    public void A_run_without_checkpoints_has_nothing_to_load()
    {
        var empty = new RunFolder(directory.Path, "empty");

        Assert.Null(NewestCheckpoint.Load(empty, CheckpointFile.ReadState, (_, _) => throw new InvalidOperationException("nothing to pass over")));
    }

    [Fact]
    public void A_checkpoint_set_aside_is_kept_but_no_longer_listed_pruned_or_overwritten()
    {
        var damaged = folder.CheckpointPath(6);
        File.WriteAllText(damaged, "damaged");

        var aside = folder.SetAside(damaged);
        using (var trainer = new LocalTrainer(config))
        {
            foreach (var step in new long[] { 6, 8, 10 })
                CheckpointFile.Save(folder.CheckpointPath(step), trainer.Networks, trainer.Optimizers, new CheckpointState(config, step, 0, 0, 1));
        }
        folder.PruneCheckpoints(keep: 3);

        Assert.Equal("damaged", File.ReadAllText(aside));
        Assert.StartsWith(damaged, aside);
        Assert.Equal([6L, 8, 10], folder.Checkpoints().Select(c => c.Step));
    }

    public void Dispose() => directory.Dispose();

    /// <summary>Inverts one byte in the middle of <paramref name="tensor"/>'s data, found through the safetensors header.</summary>
    private static void FlipByteInside(string path, string tensor)
    {
        var bytes = File.ReadAllBytes(path);
        long headerLength = BitConverter.ToInt64(bytes, 0);
        using var header = System.Text.Json.JsonDocument.Parse(bytes.AsMemory(8, (int)headerLength));
        var offsets = header.RootElement.GetProperty(tensor).GetProperty("data_offsets");
        long begin = offsets[0].GetInt64(), end = offsets[1].GetInt64();
        bytes[8 + headerLength + (begin + end) / 2] ^= 0xFF;
        File.WriteAllBytes(path, bytes);
    }
}
