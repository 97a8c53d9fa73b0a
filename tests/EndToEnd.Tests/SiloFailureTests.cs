using System.Diagnostics;
using Orleans.Gan.Tests.Shared;
using Xunit.Abstractions;

namespace Orleans.Gan.EndToEnd.Tests;

/// <summary>
/// A silo is killed with SIGKILL mid-run, as when its node dies: the run goes on on the survivors and takes exactly
/// the steps it was asked for. Every silo with workers holds a slice of the master and mirrors another's, so neither
/// a worker's silo nor the coordinator's sends the run back to a checkpoint: these runs write none before the end.
/// </summary>
public sealed class SiloFailureTests(ITestOutputHelper output) : IDisposable
{
    private const string Run = "survivor";
    private const int Steps = 14;
    private readonly string work = Path.Combine(Path.GetTempPath(), "orleans-gan-e2e", Guid.NewGuid().ToString("N"));
    private RedisCluster? cluster;

    [Fact]
    public async Task Killing_a_slice_owners_silo_with_sigkill_takes_its_step_again_on_the_survivors_and_the_run_completes_every_step()
    {
        cluster = await RedisCluster.StartAsync(work, "silo-a", "silo-b", "silo-c");
        using var train = ChildProcess.Start("dotnet", [Binaries.Client, "train", "--workers", "3", "--run", Run, "--batch-size", "4",
            "--epochs", "100", "--max-steps", $"{Steps}", "--synthetic-faces", "160", "--checkpoint-every", "0", .. cluster.ClientArguments], work);

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
        // One step was taken again, from the master the survivors held: no checkpoint to go back to existed.
        var takenAgain = coordinator.Process.Output.Split('\n').Where(l => l.Contains("is taken again on the silos that answer")).ToList();
        Assert.True(takenAgain.Count == 1, $"{string.Join("\n", takenAgain)}\n{cluster.Logs}");
        Assert.DoesNotContain("goes on from its newest checkpoint", coordinator.Process.Output);
        AssertNoCheckpointBefore(stepAtKill);
        output.WriteLine($"two more steps done {recovered.TotalSeconds:0.0} s after the kill");
        Timeline();
    }

    [Fact]
    public async Task Killing_the_coordinators_silo_moves_the_run_to_a_survivor_that_goes_on_from_the_master_the_silos_hold()
    {
        cluster = await RedisCluster.StartAsync(work, "silo-a", "silo-b", "silo-c");
        using var train = ChildProcess.Start("dotnet", [Binaries.Client, "train", "--workers", "3", "--run", Run, "--batch-size", "4",
            "--epochs", "100", "--max-steps", $"{Steps}", "--synthetic-faces", "160", "--checkpoint-every", "0", .. cluster.ClientArguments], work);

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
        var successor = Assert.Single(cluster.Silos.Values, s => s != coordinator && s.Process.Output.Contains($"Run {Run} resumes on this silo"));
        // It went on after at least the steps the client had seen before the kill, not from a checkpoint (there was none).
        var takenOver = System.Text.RegularExpressions.Regex.Match(successor.Process.Output, $@"Run {Run} goes on from the master its silos hold, after (\d+) steps");
        Assert.True(takenOver.Success, successor.Process.Output);
        Assert.True(long.Parse(takenOver.Groups[1].Value) >= stepAtKill, takenOver.Value);
        Assert.Equal((Steps, "Completed"), await survivor.RunProgressAsync(Run));
        AssertNoCheckpointBefore(stepAtKill);
        await AssertOneTensorBoardCurveAsync(survivor);
        output.WriteLine($"{takenOver.Value}; the kill was at step {stepAtKill}");
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

    /// <summary>
    /// The run wrote checkpoints only after the kill (epoch ends, the last step): going back to one was impossible, so
    /// the run went on from the master in the silos' memory. The last step's is there.
    /// </summary>
    private void AssertNoCheckpointBefore(long stepAtKill)
    {
        var steps = Directory.GetFiles(Path.Combine(work, "runs", Run, "checkpoints"), "step-*.safetensors")
            .Select(f => long.Parse(Path.GetFileNameWithoutExtension(f)["step-".Length..])).Order().ToList();
        Assert.True(steps.Count > 0 && steps[0] > stepAtKill && steps[^1] == Steps, $"checkpoints of steps {string.Join(", ", steps)}; the kill was at step {stepAtKill}");
    }

    /// <summary>
    /// The run's TensorBoard files, as TensorBoard reads them: the killed coordinator's and its successor's make one
    /// curve with every step once, whose values are those <c>/api/runs</c> shows, and the grids decode at their size.
    /// </summary>
    private async Task AssertOneTensorBoardCurveAsync(RedisCluster.Silo coordinator)
    {
        var events = TensorBoardEvent.Read(Path.Combine(work, "runs", Run, "tensorboard"));
        Assert.Equal(2, events.Count(e => e.FileVersion is not null));
        foreach (var tag in new[] { "train/Loss_D", "train/Loss_G", "train/D(x)", "speed/images_per_second", "step_seconds/compute" })
            Assert.Equal(Enumerable.Range(1, Steps).Select(s => (long)s), events.Where(e => e.Tag == tag).Select(e => e.Step));
        float Scalar(string tag, long step) => Assert.Single(events, e => e.Tag == tag && e.Step == step).Value!.Value;

        var (losses, ema, raw) = await coordinator.RunCurvesAsync(Run);
        Assert.Contains(losses, l => l.Step == Steps);
        Assert.All(losses, l => Assert.Equal(((float)l.LossD, (float)l.LossG), (Scalar("train/Loss_D", l.Step), Scalar("train/Loss_G", l.Step))));
        Assert.Equal((Steps, (float)ema!.Value.Swd), (ema.Value.Step, Scalar("quality/SWD_G_ema", Steps)));
        Assert.Equal((Steps, (float)raw!.Value.Swd), (raw.Value.Step, Scalar("quality/SWD_G", Steps)));

        var grids = events.Where(e => e.Tag == "samples/G_ema").ToList();
        Assert.Contains(grids, g => g.Step == Steps);
        Assert.Equal(grids.Count, grids.Select(g => g.Step).Distinct().Count());
        Assert.All(grids, g => Assert.Equal((g.Width, g.Height), (g.PngWidth, g.PngHeight)));
    }

    /// <summary>The survivors' log lines about the failure, with their times, for the recovery figures.</summary>
    private void Timeline()
    {
        foreach (var silo in cluster!.Silos.Values)
        {
            foreach (var line in silo.Process.Output.Split('\n').Where(l => l.Contains("failed (") || l.Contains("moved from")
                || l.Contains("resumes on this silo") || l.Contains("entered status Dead") || l.Contains("Coordinator of run")
                || l.Contains("goes on from the master") || l.Contains("seeded in")))
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
