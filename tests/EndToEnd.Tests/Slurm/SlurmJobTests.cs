using System.Text.RegularExpressions;

namespace Orleans.Gan.EndToEnd.Tests.Slurm;

/// <summary>
/// deploy/slurm/train.sbatch on a real one-node Slurm: two silo tasks on the node, Redis started by the job, the run's
/// end as the job's end. Cancelled with scancel, the job leaves the stop checkpoint, and a later job resumes from it.
/// </summary>
public sealed class SlurmJobTests : IAsyncLifetime
{
    private static readonly TimeSpan JobTimeout = TimeSpan.FromMinutes(4);
    private readonly string work = Directory.CreateTempSubdirectory("orleans-gan-slurm-").FullName;
    private SlurmCluster? slurm;

    private SlurmCluster Slurm => slurm!;

    private string Script => Path.Combine(Binaries.Root, "deploy", "slurm", "train.sbatch");

    private string RunsDirectory => Path.Combine(work, "runs");

    public async Task InitializeAsync() => slurm = await SlurmCluster.StartAsync();

    public Task DisposeAsync()
    {
        slurm?.Dispose();
        Directory.Delete(work, recursive: true);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task A_job_of_two_silo_tasks_trains_the_run_to_its_end_and_ends_with_it()
    {
        var job = await SubmitAsync(new() { ["RUN"] = "slurm-complete", ["TRAIN_ARGS"] = "--model tutorial28 --batch-size 8 --synthetic-faces 96 --max-steps 4 --sample-every 0" });

        var (state, exitCode) = await Slurm.WaitForEndAsync(job, JobTimeout);

        var output = JobOutput(job);
        Assert.True(state == "COMPLETED" && exitCode == "0:0", $"Job {job} ended {state} with {exitCode}:\n{output}");
        Assert.Contains("Run slurm-complete completed", output);
        // One silo per task, named after the node and the task.
        Assert.Contains("gan1-0/cpu", output);
        Assert.Contains("gan1-1/cpu", output);
        Assert.Equal([4L], CheckpointSteps.Of(RunsDirectory, "slurm-complete"));
    }

    [Fact]
    public async Task A_run_that_fails_on_a_Redis_of_the_users_fails_its_job_with_the_clients_exit_code_1()
    {
        int redisPort = ChildProcess.FreePort();
        using var redis = ChildProcess.Start(InstalledTool.Require("/usr/bin/redis-server", "redis-server"),
            ["--port", $"{redisPort}", "--bind", "127.0.0.1", "--requirepass", "users-own", "--save", "", "--appendonly", "no"], work);
        await redis.WaitForPort(redisPort, RedisCluster.StartTimeout);
        var missing = Path.Combine(work, "no-such-dataset");
        var job = await SubmitAsync(new()
        {
            ["RUN"] = "slurm-failed",
            ["ORLEANS_GAN_REDIS"] = $"127.0.0.1:{redisPort},password=users-own",
            ["TRAIN_ARGS"] = $"--model tutorial28 --batch-size 8 --dataset {missing}",
        });

        var (state, exitCode) = await Slurm.WaitForEndAsync(job, JobTimeout);

        var output = JobOutput(job);
        Assert.True(state == "FAILED" && exitCode == "1:0", $"Job {job} ended {state} with {exitCode}:\n{output}");
        Assert.Contains("Run 'slurm-failed' failed", output);
        Assert.Contains(missing, output);
        Assert.DoesNotContain("Redis for this job", output);
        Assert.DoesNotContain("users-own", output);
    }

    [Fact]
    public async Task Scancel_mid_run_leaves_the_stop_checkpoint_and_a_later_job_resumes_from_it()
    {
        // 40 steps an epoch and 50 epochs: far more than are taken before the cancel, however fast the steps.
        var job = await SubmitAsync(new()
        {
            ["RUN"] = "slurm-cancelled",
            ["TRAIN_ARGS"] = "--model tutorial28 --batch-size 8 --synthetic-faces 800 --epochs 50 --sample-every 0 --checkpoint-every 0",
        });
        await WaitForOutput(job, new Regex(@"Training step ([2-9]|[1-9]\d+) /"));

        await Slurm.CancelAsync(job);
        var (state, _) = await Slurm.WaitForEndAsync(job, JobTimeout);

        var output = JobOutput(job);
        Assert.True(state == "CANCELLED", $"Job {job} ended {state}:\n{output}");
        // No periodic checkpoints were asked for: any checkpoint is the one written on the way out.
        var checkpoints = CheckpointSteps.Of(RunsDirectory, "slurm-cancelled");
        Assert.True(checkpoints is [>= 2], $"Checkpoints of steps [{string.Join(", ", checkpoints)}], not one stop checkpoint:\n{output}");
        long stopped = checkpoints[0];

        var resumed = await SubmitAsync(new() { ["RESUME"] = "slurm-cancelled", ["TRAIN_ARGS"] = $"--max-steps {stopped + 2}" });
        var (resumedState, resumedExit) = await Slurm.WaitForEndAsync(resumed, JobTimeout);

        var resumedOutput = JobOutput(resumed);
        Assert.True(resumedState == "COMPLETED" && resumedExit == "0:0", $"Job {resumed} ended {resumedState} with {resumedExit}:\n{resumedOutput}");
        Assert.Contains($"Continuing run slurm-cancelled after step {stopped}", resumedOutput);
        Assert.Equal(stopped + 2, CheckpointSteps.Of(RunsDirectory, "slurm-cancelled")[^1]);
    }

    /// <summary>Submits the script with two tasks on the node, the silos and client of this build, loopback addresses and free ports.</summary>
    private Task<string> SubmitAsync(Dictionary<string, string> variables)
    {
        variables["ORLEANS_GAN_SILO_DLL"] = Binaries.Silo;
        variables["ORLEANS_GAN_CLIENT_DLL"] = Binaries.Client;
        variables["ORLEANS_GAN_ENTRYPOINT"] = Path.Combine(Binaries.Root, "deploy", "docker", "silo-entrypoint.sh");
        variables["ORLEANS_GAN_DATA"] = Path.Combine(work, "data");
        variables["ORLEANS_GAN_RUNS"] = RunsDirectory;
        variables["ORLEANS_GAN_REDIS_HOST"] = "127.0.0.1";
        variables["ORLEANS_GAN_REDIS_PORT"] = $"{ChildProcess.FreePort()}";
        variables["ORLEANS_GAN_SILO_PORT_BASE"] = $"{ChildProcess.FreePortPair()}";
        variables["ORLEANS_GAN_GATEWAY_PORT_BASE"] = $"{ChildProcess.FreePortPair()}";
        variables["ORLEANS_GAN_HTTP_PORT_BASE"] = $"{ChildProcess.FreePortPair()}";
        variables["ORLEANS_GAN_Silo__AdvertisedAddress"] = "127.0.0.1";
        variables["ORLEANS_GAN_Silo__Dashboard"] = "false";
        // Two silos share this machine's cores.
        variables["ORLEANS_GAN_Silo__Threads"] = "1";
        return Slurm.SubmitAsync(Script, ["--ntasks-per-node=2", $"--output={work}/job-%j.out"], variables, work);
    }

    private string JobOutput(string job)
    {
        var path = Path.Combine(work, $"job-{job}.out");
        return File.Exists(path) ? File.ReadAllText(path) : $"(no {path})\n{Slurm.DaemonLogs}";
    }

    private async Task WaitForOutput(string job, Regex line)
    {
        var deadline = DateTime.UtcNow + JobTimeout;
        while (!line.IsMatch(JobOutput(job)))
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"Job {job} never printed '{line}':\n{JobOutput(job)}");
            await Task.Delay(300);
        }
    }
}
