using System.Diagnostics;
using Xunit.Abstractions;

namespace Orleans.Gan.EndToEnd.Tests;

/// <summary>
/// Exact resume with real processes: a run whose silos are all killed with SIGKILL half-way, resumed with
/// <c>client train --resume</c> on restarted silos, must end with the same bytes as a run that went straight through:
/// G and D, their batch-norm statistics, both Adam states (moments and step counts) and the training state.
/// </summary>
public sealed class ResumeAfterKillTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Steps = 6;
    private const int KillAfter = Steps / 2;

    // 44 synthetic faces leave 35 for training, shards of 18 and 17 images: 4 steps of 2 x 4 images an epoch, so the
    // resumed half crosses into the second epoch, whose shuffle must also come out the same.
    private static readonly string[] Training =
    [
        "--workers", "2", "--batch-size", "4", "--synthetic-faces", "44", "--epochs", "2", "--max-steps", $"{Steps}",
        "--checkpoint-every", "1", "--sample-every", "0",
    ];

    private RedisCluster cluster = null!;

    public async Task InitializeAsync() => cluster = await RedisCluster.StartAsync(["silo-a", "silo-b"]);

    [Fact]
    public async Task A_run_whose_silos_are_all_killed_half_way_resumes_bit_identical_to_a_run_straight_through()
    {
        var straight = await cluster.Client(["train", "--run", "straight", .. Training]);
        Assert.True(straight.ExitCode == 0, straight.Output + cluster.SiloLogs());
        Assert.Contains($"step {Steps} / {Steps}", straight.Output);

        var detached = await cluster.Client(["train", "--run", "killed", .. Training, "--detach"]);
        Assert.True(detached.ExitCode == 0, detached.Output + cluster.SiloLogs());
        await WaitForFile(Checkpoint("killed", KillAfter), TimeSpan.FromMinutes(3));
        cluster.KillSilos();
        long newestAtKill = Checkpoints("killed").Max();
        Assert.True(newestAtKill < Steps, $"the silos were killed only after the run had ended (step {newestAtKill})");

        var sinceRestart = Stopwatch.StartNew();
        await cluster.StartSilosAsync();
        var silosUp = sinceRestart.Elapsed;
        var resumed = await cluster.Client("train", "--resume", "killed");
        output.WriteLine($"killed after step {newestAtKill}; silos up again after {silosUp.TotalSeconds:0.0} s, "
            + $"run resumed and completed {sinceRestart.Elapsed.TotalSeconds:0.0} s after the restart began");
        Assert.True(resumed.ExitCode == 0, resumed.Output + cluster.SiloLogs());
        Assert.Contains($"after step {newestAtKill}", resumed.Output);
        Assert.Contains($"step {Steps} / {Steps}", resumed.Output);

        var expected = SafetensorsTensors.Read(Checkpoint("straight", Steps));
        var actual = SafetensorsTensors.Read(Checkpoint("killed", Steps));
        Assert.Equal(expected.Keys.Order(), actual.Keys.Order());
        Assert.Contains("optimizer.generator", expected.Keys);
        Assert.Contains("generator.main.1.running_mean", expected.Keys);
        var differing = expected.Keys.Where(name => !expected[name].AsSpan().SequenceEqual(actual[name])).ToList();
        Assert.True(differing.Count == 0, $"{differing.Count} of {expected.Count} tensors differ: {string.Join(", ", differing)}");
    }

    public Task DisposeAsync()
    {
        cluster.Dispose();
        return Task.CompletedTask;
    }

    private string Checkpoint(string run, long step) =>
        Path.Combine(cluster.RunsDirectory, run, "checkpoints", $"step-{step:D8}.safetensors");

    private IEnumerable<long> Checkpoints(string run) =>
        Directory.GetFiles(Path.Combine(cluster.RunsDirectory, run, "checkpoints"), "step-*.safetensors")
            .Select(path => long.Parse(Path.GetFileNameWithoutExtension(path)["step-".Length..]));

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
