using System.Text.RegularExpressions;

namespace Orleans.Gan.EndToEnd.Tests;

/// <summary>
/// Bad input that only the cluster can judge, through the client as a user meets it: a clear message naming the
/// file or run, the documented exit code, and nothing lost.
/// </summary>
public sealed class BadInputTests(BadInputCluster fixture) : IClassFixture<BadInputCluster>
{
    private RedisCluster Cluster => fixture.Cluster;

    [Fact]
    public async Task A_data_set_path_that_does_not_exist_fails_the_run_naming_the_path()
    {
        var missing = Path.Combine(Cluster.Work, "no-such-celeba");

        var train = await Cluster.Client("train", "--run", "missing-data", "--dataset", missing, "--workers", "1", "--batch-size", "2", "--max-steps", "1");

        Assert.True(train.ExitCode == 1, train.Output);
        Assert.Matches($"error: Run 'missing-data' failed: .*{Regex.Escape(missing)}.* does not exist", train.Output);
    }

    [Fact]
    public async Task A_data_set_folder_without_images_fails_the_run_naming_the_folder()
    {
        var empty = Directory.CreateDirectory(Path.Combine(Cluster.Work, "empty-celeba")).FullName;

        var train = await Cluster.Client("train", "--run", "no-images", "--dataset", empty, "--workers", "1", "--batch-size", "2", "--max-steps", "1");

        Assert.True(train.ExitCode == 1, train.Output);
        Assert.Matches($"error: Run 'no-images' failed: .*{Regex.Escape(empty)}.* no .jpg images", train.Output);
    }

    [Fact]
    public async Task Empty_cut_and_renamed_images_are_skipped_counted_and_named_and_the_run_completes()
    {
        var dataset = Path.Combine(Cluster.Work, "damaged-celeba");
        var synth = await ChildProcess.Run("dotnet", [Binaries.Client, "dataset", "synth", "--count", "30", "--out", dataset, "--seed", "3"],
            Cluster.Work, TimeSpan.FromMinutes(1));
        Assert.True(synth.ExitCode == 0, synth.Output);
        var images = Path.Combine(dataset, "img_align_celeba");
        File.WriteAllBytes(Path.Combine(images, "000002.jpg"), []);
        File.WriteAllBytes(Path.Combine(images, "000003.jpg"), File.ReadAllBytes(Path.Combine(images, "000003.jpg"))[..500]);
        File.WriteAllText(Path.Combine(images, "000004.jpg"), "a text file named like a photo");

        var train = await Cluster.Client("train", "--run", "damaged-images", "--dataset", dataset, "--workers", "1", "--batch-size", "2", "--max-steps", "1");

        Assert.True(train.ExitCode == 0, train.Output + Cluster.Logs);
        Assert.Matches(@"Skipped files\s+│\s+3\s+│", train.Output);
        Assert.All(new[] { "000002.jpg", "000003.jpg", "000004.jpg" }, name => Assert.Contains($"Skipping {name}", Cluster.Logs));
    }

    [Fact]
    public async Task A_second_train_or_resume_of_a_running_run_is_refused_and_the_first_goes_on()
    {
        string[] forever = ["--epochs", "1000", .. BadInputCluster.TinyRun];
        var first = await Cluster.Client(["train", "--run", "busy", "--detach", .. forever]);
        Assert.True(first.ExitCode == 0, first.Output);

        var second = await Cluster.Client(["train", "--run", "busy", .. forever]);
        var resume = await Cluster.Client("train", "--resume", "busy");

        Assert.True(second.ExitCode == 1, second.Output);
        Assert.Contains("error: Cannot start run 'busy': Run 'busy' is already", second.Output);
        Assert.True(resume.ExitCode == 1, resume.Output);
        Assert.Contains("error: Cannot resume run 'busy': Run 'busy' is already", resume.Output);
        var stop = await Cluster.Client("stop", "busy");
        Assert.True(stop.ExitCode == 0, stop.Output);
    }

    [Fact]
    public async Task Resuming_a_run_without_checkpoints_exits_1_naming_where_it_looked()
    {
        var resume = await Cluster.Client("train", "--resume", "never-started");

        Assert.True(resume.ExitCode == 1, resume.Output);
        Assert.Contains($"has no checkpoint to resume from in {fixture.CheckpointsOf("never-started")}", resume.Output);
    }

    [Fact]
    public async Task Resume_sets_a_truncated_newest_checkpoint_aside_and_continues_from_the_one_before()
    {
        fixture.CopyTemplateTo("cut");
        var truncated = fixture.Checkpoint("cut", 2);
        var bytes = File.ReadAllBytes(truncated)[..1_000_000];
        File.WriteAllBytes(truncated, bytes);

        var resume = await Cluster.Client("train", "--resume", "cut", "--max-steps", "3");

        Assert.True(resume.ExitCode == 0, resume.Output + Cluster.Logs);
        Assert.Contains("Continuing run cut after step 1", resume.Output);
        Assert.Contains("step 3 / 3", resume.Output);
        Assert.Equal(bytes, File.ReadAllBytes(truncated + ".damaged"));
        Assert.Contains($"{truncated} is not a readable checkpoint", Cluster.Logs);
        Assert.True(File.Exists(fixture.Checkpoint("cut", 1)) && File.Exists(fixture.Checkpoint("cut", 3)));
    }

    [Fact]
    public async Task Sampling_passes_over_a_newest_file_that_is_not_a_checkpoint_and_leaves_it_alone()
    {
        fixture.CopyTemplateTo("not-a-checkpoint");
        File.WriteAllText(fixture.Checkpoint("not-a-checkpoint", 2), "notes, saved under the wrong name");
        var grid = Path.Combine(Cluster.Work, "not-a-checkpoint.png");

        var sample = await Cluster.Client("sample", "--run", "not-a-checkpoint", "--count", "4", "--out", grid);

        Assert.True(sample.ExitCode == 0, sample.Output + Cluster.Logs);
        Assert.True(File.Exists(grid));
        Assert.Equal("notes, saved under the wrong name", File.ReadAllText(fixture.Checkpoint("not-a-checkpoint", 2)));
        Assert.Contains($"{fixture.Checkpoint("not-a-checkpoint", 2)} is not a readable checkpoint", Cluster.Logs);
    }

    [Fact]
    public async Task When_every_checkpoint_is_damaged_sample_and_resume_exit_1_naming_each_file_and_delete_none()
    {
        fixture.CopyTemplateTo("all-damaged");
        var damaged = new[] { fixture.Checkpoint("all-damaged", 1), fixture.Checkpoint("all-damaged", 2) };
        foreach (var path in damaged)
            File.WriteAllBytes(path, File.ReadAllBytes(path)[..1000]);

        var sample = await Cluster.Client("sample", "--run", "all-damaged", "--out", Path.Combine(Cluster.Work, "never.png"));
        var resume = await Cluster.Client("train", "--resume", "all-damaged");

        Assert.True(sample.ExitCode == 1, sample.Output);
        Assert.True(resume.ExitCode == 1, resume.Output);
        Assert.All(damaged, path => Assert.Contains(path, sample.Output));
        Assert.All(damaged, path => Assert.Contains(path, resume.Output));
        Assert.All(damaged, path => Assert.Equal(1000, new FileInfo(path).Length));
    }

    [Fact]
    public async Task Starting_a_run_again_with_another_model_is_refused_naming_its_checkpoint_which_is_kept()
    {
        fixture.CopyTemplateTo("other-model");
        var checkpoint = fixture.Checkpoint("other-model", 2);
        var before = File.ReadAllBytes(checkpoint);

        var train = await Cluster.Client(["train", "--run", "other-model", "--model", "tutorial28", .. BadInputCluster.TinyRun]);

        Assert.True(train.ExitCode == 1, train.Output);
        Assert.Contains($"error: Cannot start run 'other-model': Run 'other-model' has a checkpoint, {checkpoint}", train.Output);
        Assert.Contains("dcgan64", train.Output);
        Assert.Contains("tutorial28", train.Output);
        Assert.Contains("--resume other-model", train.Output);
        Assert.Equal(before, File.ReadAllBytes(checkpoint));
    }

    [Fact]
    public async Task A_TensorBoard_folder_that_cannot_be_written_warns_once_and_the_run_completes()
    {
        var runFolder = Directory.CreateDirectory(Path.Combine(Cluster.RunsDirectory, "no-tensorboard")).FullName;
        var blocked = Path.Combine(runFolder, "tensorboard");
        File.WriteAllText(blocked, "a file where the run's TensorBoard folder goes");

        var train = await Cluster.Client(["train", "--run", "no-tensorboard", "--max-steps", "2", .. BadInputCluster.TinyRun]);

        Assert.True(train.ExitCode == 0, train.Output + Cluster.Logs);
        Assert.Contains("step 2 / 2", train.Output);
        var warning = $"Run no-tensorboard writes no TensorBoard events: {blocked} cannot be written";
        Assert.True(Regex.Matches(Cluster.Logs, Regex.Escape(warning)).Count == 1, Cluster.Logs);
        Assert.True(File.Exists(fixture.Checkpoint("no-tensorboard", 2)));
    }
}
