using System.Diagnostics;
using Xunit.Abstractions;

namespace Orleans.Gan.EndToEnd.Tests;

/// <summary>A worker's silo is killed mid-run: the run goes on without it and takes exactly the steps it was asked for.</summary>
public sealed class SiloLossTests(ITestOutputHelper output) : IDisposable
{
    private const string Run = "survivor";
    private const int Steps = 14;
    private readonly string work = Path.Combine(Path.GetTempPath(), "orleans-gan-e2e", Guid.NewGuid().ToString("N"));
    private RedisCluster? cluster;

    [Fact]
    public async Task Killing_a_workers_silo_with_sigkill_moves_its_workers_to_the_survivors_and_the_run_completes_every_step()
    {
        cluster = await RedisCluster.StartAsync(work, "silo-a", "silo-b", "silo-c");
        using var train = ChildProcess.Start("dotnet", [Binaries.Client, "train", "--workers", "3", "--run", Run, "--batch-size", "4",
            "--epochs", "100", "--max-steps", $"{Steps}", "--synthetic-faces", "160", "--checkpoint-every", "5", .. cluster.ClientArguments], work);

        var coordinator = (await Eventually(
            () => Task.FromResult(cluster.Silos.Values.FirstOrDefault(s => s.Process.Output.Contains($"Coordinator of run {Run} starts"))),
            silo => silo is not null))!;
        var victim = cluster.Silos.Values.First(s => s != coordinator);
        var stepAtKill = (await Eventually(() => coordinator.RunProgressAsync(Run), p => p?.Step >= 3))!.Value.Step;

        var sinceKill = Stopwatch.StartNew();
        victim.Process.Kill();
        // The step in flight is redone on the survivors; the one after it shows the run is back at full speed.
        await Eventually(() => coordinator.RunProgressAsync(Run), p => p?.Step >= stepAtKill + 2);
        var recovered = sinceKill.Elapsed;

        var exit = await train.WaitForExit(TimeSpan.FromMinutes(5));
        Assert.True(exit == 0, $"client train exited with {exit}:\n{train.Output}\n{cluster.Logs}");
        Assert.Contains($"step {Steps} / {Steps}", train.Output);
        Assert.Equal((Steps, "Completed"), await coordinator.RunProgressAsync(Run));
        Assert.Contains($"moved from {victim.Name}", coordinator.Process.Output);
        Assert.True(File.Exists(Path.Combine(work, "runs", Run, "checkpoints", $"step-{Steps:D8}.safetensors")), cluster.Logs);
        output.WriteLine($"killed {victim.Name} at step {stepAtKill}; two more steps done {recovered.TotalSeconds:0.0} s later");
    }

    public void Dispose() => cluster?.Dispose();

    private async Task<T> Eventually<T>(Func<Task<T>> probe, Func<T, bool> done)
    {
        var deadline = DateTime.UtcNow.AddMinutes(5);
        while (DateTime.UtcNow < deadline)
        {
            var value = await probe();
            if (done(value))
                return value;
            await Task.Delay(100);
        }
        throw new TimeoutException($"Not within 5 minutes; last seen: {await probe()}\n{cluster?.Logs}");
    }
}
