using System.Diagnostics;
using Xunit.Abstractions;

namespace Orleans.Gan.EndToEnd.Tests;

/// <summary>
/// A silo is killed with SIGKILL mid-run, as when its node dies: the run goes on on the survivors and takes exactly
/// the steps it was asked for.
/// </summary>
public sealed class SiloFailureTests(ITestOutputHelper output) : IDisposable
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

        var coordinator = await CoordinatorOf(Run);
        var victim = cluster.Silos.Values.First(s => s != coordinator);
        var stepAtKill = (await Eventually(() => coordinator.RunProgressAsync(Run), p => p?.Step >= 3))!.Value.Step;

        var sinceKill = Stopwatch.StartNew();
        victim.Process.Kill();
        output.WriteLine($"{DateTime.Now:HH:mm:ss.fff} killed {victim.Name} at step {stepAtKill}");
        // The step in flight is redone on the survivors; the one after it shows the run is back at full speed.
        await Eventually(() => coordinator.RunProgressAsync(Run), p => p?.Step >= stepAtKill + 2);
        var recovered = sinceKill.Elapsed;

        var exit = await train.WaitForExit(TimeSpan.FromMinutes(5));
        Assert.True(exit == 0, $"client train exited with {exit}:\n{train.Output}\n{cluster.Logs}");
        Assert.Contains($"step {Steps} / {Steps}", train.Output);
        Assert.Equal((Steps, "Completed"), await coordinator.RunProgressAsync(Run));
        Assert.Contains($"moved from {victim.Name}", coordinator.Process.Output);
        Assert.True(File.Exists(Path.Combine(work, "runs", Run, "checkpoints", $"step-{Steps:D8}.safetensors")), cluster.Logs);
        output.WriteLine($"two more steps done {recovered.TotalSeconds:0.0} s after the kill");
        Timeline();
    }

    [Fact]
    public async Task Killing_the_coordinators_silo_resumes_the_run_on_a_survivor_from_its_record_and_checkpoint_and_the_client_follows()
    {
        cluster = await RedisCluster.StartAsync(work, "silo-a", "silo-b", "silo-c");
        using var train = ChildProcess.Start("dotnet", [Binaries.Client, "train", "--workers", "2", "--run", Run, "--batch-size", "4",
            "--epochs", "100", "--max-steps", $"{Steps}", "--synthetic-faces", "160", "--checkpoint-every", "3", .. cluster.ClientArguments], work);

        var coordinator = await CoordinatorOf(Run);
        var stepAtKill = (await Eventually(() => coordinator.RunProgressAsync(Run), p => p?.Step >= 4))!.Value.Step;
        var sinceKill = Stopwatch.StartNew();
        coordinator.Process.Kill();
        output.WriteLine($"{DateTime.Now:HH:mm:ss.fff} killed the coordinator's silo {coordinator.Name} at step {stepAtKill}");

        var survivor = cluster.Silos.Values.First(s => s != coordinator);
        await Eventually(() => survivor.RunProgressAsync(Run), p => p?.Step > stepAtKill);
        var caughtUp = sinceKill.Elapsed;

        var exit = await train.WaitForExit(TimeSpan.FromMinutes(5));
        Assert.True(exit == 0, $"client train exited with {exit}:\n{train.Output}\n{cluster.Logs}");
        Assert.Contains($"step {Steps} / {Steps}", train.Output);
        Assert.Contains(cluster.Silos.Values, s => s != coordinator && s.Process.Output.Contains($"Run {Run} resumes on this silo"));
        Assert.Equal((Steps, "Completed"), await survivor.RunProgressAsync(Run));
        Assert.True(File.Exists(Path.Combine(work, "runs", Run, "checkpoints", $"step-{Steps:D8}.safetensors")), cluster.Logs);
        output.WriteLine($"a survivor was past step {stepAtKill} {caughtUp.TotalSeconds:0.0} s after the kill");
        Timeline();
    }

    [Fact]
    public async Task Status_sample_and_stop_called_while_the_coordinators_silo_is_killed_answer_or_say_why_in_one_line()
    {
        cluster = await RedisCluster.StartAsync(work, "silo-a", "silo-b");
        var started = await cluster.Client("train", "--detach", "--workers", "2", "--run", Run, "--batch-size", "4", "--epochs", "100",
            "--max-steps", "400", "--synthetic-faces", "160", "--checkpoint-every", "2");
        Assert.True(started.ExitCode == 0, started.Output + cluster.Logs);
        var coordinator = await CoordinatorOf(Run);
        await Eventually(() => coordinator.RunProgressAsync(Run), p => p?.Step >= 3);

        var calls = new List<(string Command, int ExitCode, string Output)>();
        string grid = Path.Combine(work, "grid.png");
        for (int round = 0; round < 6; round++)
        {
            if (round == 1)
            {
                coordinator.Process.Kill();
                output.WriteLine($"{DateTime.Now:HH:mm:ss.fff} killed the coordinator's silo {coordinator.Name}");
            }
            foreach (string[] command in new[] { new[] { "status", Run }, ["sample", "--run", Run, "--count", "4", "--out", grid] })
            {
                var (exitCode, text) = await cluster.Client(command);
                calls.Add((command[0], exitCode, text));
                output.WriteLine($"{DateTime.Now:HH:mm:ss.fff} {command[0]}: exit {exitCode}");
            }
        }
        var stop = await cluster.Client("stop", Run);
        calls.Add(("stop", stop.ExitCode, stop.Output));

        // Each call either answered or failed with the documented exit code and a message; none printed a stack frame.
        Assert.All(calls, call => Assert.True(call.ExitCode is 0 or 3 && !call.Output.Contains("   at ", StringComparison.Ordinal),
            $"{call.Command} exited with {call.ExitCode}:\n{call.Output}"));
        // Retried through the other gateway while the cluster recovered, the calls after the kill all answered.
        Assert.All(calls.Skip(2), call => Assert.True(call.ExitCode == 0, $"{call.Command} exited with {call.ExitCode}:\n{call.Output}\n{cluster.Logs}"));
        Assert.True(File.Exists(grid));
    }

    public void Dispose() => cluster?.Dispose();

    /// <summary>The survivors' log lines about the failure, with their times, for the recovery figures.</summary>
    private void Timeline()
    {
        foreach (var silo in cluster!.Silos.Values)
        {
            foreach (var line in silo.Process.Output.Split('\n').Where(l => l.Contains("failed (") || l.Contains("moved from")
                || l.Contains("resumes on this silo") || l.Contains("entered status Dead") || l.Contains("Coordinator of run")))
                output.WriteLine($"{silo.Name}: {line[..Math.Min(line.Length, 220)]}");
        }
    }

    /// <summary>The silo whose coordinator logged that it started the run.</summary>
    private async Task<RedisCluster.Silo> CoordinatorOf(string run) => (await Eventually(
        () => Task.FromResult(cluster!.Silos.Values.FirstOrDefault(s => s.Process.Output.Contains($"Coordinator of run {run} starts"))),
        silo => silo is not null))!;

    /// <summary>Polls until <paramref name="done"/>; a probe that throws (a silo's page while the cluster recovers) counts as not yet.</summary>
    private async Task<T> Eventually<T>(Func<Task<T>> probe, Func<T, bool> done)
    {
        var deadline = DateTime.UtcNow.AddMinutes(5);
        object? last = null;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                var value = await probe();
                if (done(value))
                    return value;
                last = value;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                last = e.Message;
            }
            await Task.Delay(100);
        }
        throw new TimeoutException($"Not within 5 minutes; last seen: {last}\n{cluster?.Logs}");
    }
}
