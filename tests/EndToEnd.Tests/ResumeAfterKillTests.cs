using System.Diagnostics;
using Orleans.Gan.Tests.Shared;
using Xunit.Abstractions;

namespace Orleans.Gan.EndToEnd.Tests;

/// <summary>
/// Exact resume with real processes. Every silo is killed with SIGKILL and started again; then a run that was going
/// comes back by itself from its record and newest checkpoint, and a run that had ended half-way is continued with
/// <c>client train --resume</c>. Both must end with the same bytes as a run that went straight through: G and D, their
/// batch-norm statistics, both Adam states (moments and step counts) and the training state.
/// </summary>
public sealed class ResumeAfterKillTests(ITestOutputHelper output) : IDisposable
{
    private const int Steps = 6;
    private const int Half = Steps / 2;
    private readonly string work = Path.Combine(Path.GetTempPath(), "orleans-gan-e2e", Guid.NewGuid().ToString("N"));
    private RedisCluster? cluster;

    [Fact]
    public async Task Runs_whose_silos_are_all_killed_half_way_end_bit_identical_to_a_run_straight_through()
    {
        cluster = await RedisCluster.StartAsync(work, "silo-a", "silo-b");
        await Train("straight", Steps);
        await Train("extended", Half);
        var detached = await cluster.Client([.. Training("killed", Steps), "--detach"]);
        Assert.True(detached.ExitCode == 0, detached.Output + cluster.Logs);
        await WaitForFile(Checkpoint("killed", Half), TimeSpan.FromMinutes(3));

        foreach (var silo in cluster.Silos.Values)
            silo.Process.Kill();
        long newestAtKill = Checkpoints("killed").Max();
        Assert.True(newestAtKill < Steps, $"the silos were killed only after the run had ended (step {newestAtKill})");
        var sinceRestart = Stopwatch.StartNew();
        await cluster.RestartSilosAsync(cluster.Silos.Values.ToList());
        var silosUp = sinceRestart.Elapsed;

        var extended = await cluster.Client("train", "--resume", "extended", "--max-steps", $"{Steps}");
        Assert.True(extended.ExitCode == 0, extended.Output + cluster.Logs);
        Assert.Contains($"Continuing run extended after step {Half}", extended.Output);
        Assert.Contains($"step {Steps} / {Steps}", extended.Output);
        var extendedDone = sinceRestart.Elapsed;
        await WaitForCompletion("killed");
        output.WriteLine($"killed after step {newestAtKill}; silos active again {silosUp.TotalSeconds:0.0} s after the restart began; "
            + $"'extended' resumed and done after {extendedDone.TotalSeconds:0.0} s, 'killed' after {sinceRestart.Elapsed.TotalSeconds:0.0} s");

        var expected = SafetensorsTensors.Read(Checkpoint("straight", Steps));
        Assert.Contains("optimizer.generator.state.0.exp_avg", expected.Keys);
        Assert.Contains("generator.main.1.running_mean", expected.Keys);
        foreach (var run in new[] { "killed", "extended" })
        {
            var actual = SafetensorsTensors.Read(Checkpoint(run, Steps));
            Assert.Equal(expected.Keys.Order(), actual.Keys.Order());
            var differing = expected.Keys.Where(name => !expected[name].AsSpan().SequenceEqual(actual[name])).ToList();
            Assert.True(differing.Count == 0, $"{run}: {differing.Count} of {expected.Count} tensors differ: {string.Join(", ", differing)}");
        }

        // TensorBoard shows each resumed run as one curve, every step once, on top of the straight run's.
        var straightCurves = TensorBoardCurves("straight");
        Assert.Equal(Enumerable.Range(1, Steps).Select(s => (long)s), straightCurves.Where(c => c.Tag == "train/Loss_D").Select(c => c.Step));
        foreach (var run in new[] { "killed", "extended" })
            Assert.Equal(straightCurves, TensorBoardCurves(run));
    }

    /// <summary>The curves of a run that resuming must not change, in the order TensorBoard reads them.</summary>
    private IReadOnlyList<(string? Tag, long Step, float? Value)> TensorBoardCurves(string run) =>
        [.. TensorBoardEvent.Read(Path.Combine(cluster!.RunsDirectory, run, "tensorboard"))
            .Where(e => e.Tag is "train/Loss_D" or "train/Loss_G" or "train/D(x)" or "train/D(G(z))_after_D_step")
            .Select(e => (e.Tag, e.Step, e.Value))];

    [Fact]
    public async Task After_every_silo_is_killed_silos_restarted_one_at_a_time_resume_the_run_and_it_completes()
    {
        cluster = await RedisCluster.StartAsync(work, "silo-a", "silo-b");
        const int longer = 40;
        var detached = await cluster.Client("train", "--run", "one-by-one", "--workers", "2", "--batch-size", "4", "--synthetic-faces", "44",
            "--epochs", "100", "--max-steps", $"{longer}", "--checkpoint-every", "1", "--sample-every", "0", "--detach");
        Assert.True(detached.ExitCode == 0, detached.Output + cluster.Logs);
        await WaitForFile(Checkpoint("one-by-one", 2), TimeSpan.FromMinutes(3));

        var killed = cluster.Silos.Values.ToList();
        foreach (var silo in killed)
            silo.Process.Kill();
        var sinceKill = Stopwatch.StartNew();
        // As a launcher restarts them: one, and only later the other.
        await cluster.RestartSilosAsync([killed[1]]);
        var firstUp = sinceKill.Elapsed;
        await Task.Delay(TimeSpan.FromSeconds(10));
        await cluster.RestartSilosAsync([killed[0]]);
        await WaitForCompletion("one-by-one");

        Assert.True(File.Exists(Checkpoint("one-by-one", longer)), cluster.Logs);
        output.WriteLine($"{killed[1].Name} alone was up {firstUp.TotalSeconds:0.0} s after the kill; the run completed "
            + $"{sinceKill.Elapsed.TotalSeconds:0.0} s after it");
    }

    public void Dispose() => cluster?.Dispose();

    /// <summary>
    /// 44 synthetic faces leave 35 for training, shards of 18 and 17 images: 4 steps of 2 x 4 images an epoch, so the
    /// second half crosses into the second epoch, whose shuffle must also come out the same.
    /// </summary>
    private static string[] Training(string run, int maxSteps) =>
    [
        "train", "--run", run, "--workers", "2", "--batch-size", "4", "--synthetic-faces", "44", "--epochs", "2",
        "--max-steps", $"{maxSteps}", "--checkpoint-every", "1", "--sample-every", "0",
    ];

    private async Task Train(string run, int maxSteps)
    {
        var train = await cluster!.Client(Training(run, maxSteps));
        Assert.True(train.ExitCode == 0, train.Output + cluster.Logs);
        Assert.Contains($"step {maxSteps} / {maxSteps}", train.Output);
    }

    private async Task WaitForCompletion(string run)
    {
        var deadline = DateTime.UtcNow.AddMinutes(5);
        var last = "";
        while (DateTime.UtcNow < deadline)
        {
            var status = await cluster!.Client("status", run);
            if (status.Output.Contains("Completed"))
                return;
            Assert.DoesNotContain("Failed", status.Output);
            last = status.Output;
            await Task.Delay(1000);
        }
        throw new TimeoutException($"Run {run} did not complete within 5 minutes; last status:\n{last}\n{cluster!.Logs}");
    }

    private string Checkpoint(string run, long step) =>
        Path.Combine(cluster!.RunsDirectory, run, "checkpoints", $"step-{step:D8}.safetensors");

    private IEnumerable<long> Checkpoints(string run) => CheckpointSteps.Of(cluster!.RunsDirectory, run);

    /// <summary>Checkpoints are renamed into place whole, so once the name exists the file is complete.</summary>
    private static async Task WaitForFile(string path, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!File.Exists(path))
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"{path} did not appear within {timeout.TotalSeconds:0} s.");
            await Task.Delay(20);
        }
    }
}
