using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace Orleans.Gan.EndToEnd.Tests.Slurm;

/// <summary>
/// A real one-node Slurm cluster on this machine, as Debian's slurm-wlm and munge install it: munged with a key of its
/// own, slurmctld and slurmd in the foreground, all on loopback and free ports, with their configuration, state and
/// sockets in one folder. Jobs are submitted, watched and cancelled with Slurm's own commands. Needs root, as slurmd
/// starts jobs as their users.
/// </summary>
internal sealed partial class SlurmCluster : IDisposable
{
    private const string NodeName = "gan1";
    private static readonly TimeSpan DaemonStart = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(30);
    private readonly List<ChildProcess> daemons = [];

    private SlurmCluster(string folder) => Folder = folder;

    public string Folder { get; }

    /// <summary>What Slurm's commands need to find this cluster rather than /etc/slurm's.</summary>
    private Dictionary<string, string> SlurmEnvironment => new() { ["SLURM_CONF"] = Path.Combine(Folder, "slurm.conf") };

    public string DaemonLogs => string.Join("\n", daemons.Select(d => d.Output))
        + string.Join("\n", Directory.GetFiles(Folder, "*.log").Select(f => $"---- {f} ----\n{File.ReadAllText(f)}"));

    public static async Task<SlurmCluster> StartAsync()
    {
        var munged = InstalledTool.Require("/usr/sbin/munged", "munge");
        var slurmctld = InstalledTool.Require("/usr/sbin/slurmctld", "slurm-wlm");
        var slurmd = InstalledTool.Require("/usr/sbin/slurmd", "slurm-wlm");
        // Short: munge's socket path must fit a Unix socket address (108 bytes).
        var folder = Directory.CreateTempSubdirectory("slurm-").FullName;
        var cluster = new SlurmCluster(folder);
        try
        {
            foreach (var sub in new[] { "state", "spool" })
                Directory.CreateDirectory(Path.Combine(folder, sub));
            var key = Path.Combine(folder, "munge.key");
            await File.WriteAllBytesAsync(key, RandomNumberGenerator.GetBytes(1024));
            // munged refuses a key that others can read.
            if (!OperatingSystem.IsWindows())
                File.SetUnixFileMode(key, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            var socket = Path.Combine(folder, "munge.socket");
            cluster.daemons.Add(ChildProcess.Start(munged, ["--foreground", "--force", $"--socket={socket}", $"--key-file={key}",
                $"--log-file={Path.Combine(folder, "munged.log")}", $"--pid-file={Path.Combine(folder, "munged.pid")}",
                $"--seed-file={Path.Combine(folder, "munged.seed")}"], folder));
            await WaitForFile(socket, cluster);

            int controllerPort = ChildProcess.FreePort(), nodePort = ChildProcess.FreePort();
            await File.WriteAllTextAsync(Path.Combine(folder, "slurm.conf"), Configuration(folder, socket, controllerPort, nodePort));
            var conf = Path.Combine(folder, "slurm.conf");
            cluster.daemons.Add(ChildProcess.Start(slurmctld, ["-D", "-f", conf], folder));
            await cluster.daemons[^1].WaitForPort(controllerPort, DaemonStart);
            cluster.daemons.Add(ChildProcess.Start(slurmd, ["-D", "-f", conf, "-N", NodeName], folder));
            await cluster.WaitForIdleNode();
            return cluster;
        }
        catch
        {
            cluster.Dispose();
            throw;
        }
    }

    /// <summary>sbatch with <paramref name="options"/>, the job's variables in its environment; returns the job id.</summary>
    public async Task<string> SubmitAsync(string script, IEnumerable<string> options, IReadOnlyDictionary<string, string> variables, string workingDirectory)
    {
        var environment = new Dictionary<string, string>(variables);
        foreach (var (name, value) in SlurmEnvironment)
            environment[name] = value;
        var (exitCode, output) = await ChildProcess.Run("sbatch", ["--parsable", .. options, script], workingDirectory, CommandTimeout, environment);
        Assert.True(exitCode == 0, $"sbatch failed with {exitCode}:\n{output}\n{DaemonLogs}");
        return output.Trim().Split(';')[0];
    }

    /// <summary>The job's state and exit code, as <c>scontrol show job</c> has them, e.g. ("COMPLETED", "0:0").</summary>
    public async Task<(string State, string ExitCode)> JobAsync(string jobId)
    {
        var (_, output) = await Command("scontrol", ["--oneliner", "show", "job", jobId]);
        var state = JobStatePattern().Match(output);
        var exit = ExitCodePattern().Match(output);
        Assert.True(state.Success && exit.Success, $"scontrol show job {jobId}:\n{output}");
        return (state.Groups[1].Value, exit.Groups[1].Value);
    }

    /// <summary>Waits until the job has left Slurm's queue (completed, failed or cancelled) and returns how it ended.</summary>
    public async Task<(string State, string ExitCode)> WaitForEndAsync(string jobId, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var job = await JobAsync(jobId);
            if (job.State is not ("PENDING" or "CONFIGURING" or "RUNNING" or "COMPLETING"))
                return job;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"Job {jobId} is still {job.State} after {timeout.TotalSeconds} s.\n{DaemonLogs}");
            await Task.Delay(500);
        }
    }

    /// <summary><c>scancel</c> as a user types it: SIGTERM to every process of the job, SIGKILL after KillWait.</summary>
    public async Task CancelAsync(string jobId)
    {
        var (exitCode, output) = await Command("scancel", [jobId]);
        Assert.True(exitCode == 0, $"scancel {jobId} failed with {exitCode}:\n{output}");
    }

    public void Dispose()
    {
        // Jobs first: their silos run under slurmstepd, which is no child of ours.
        try
        {
            Command("scancel", ["--user=root"]).Wait();
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
            while (DateTime.UtcNow < deadline && Command("squeue", ["--noheader"]).Result.Output.Trim().Length > 0)
                Thread.Sleep(500);
        }
        catch (Exception)
        {
            // The daemons never started; there are no jobs.
        }
        foreach (var daemon in Enumerable.Reverse(daemons))
            daemon.Dispose();
        Directory.Delete(Folder, recursive: true);
    }

    private static string Configuration(string folder, string mungeSocket, int controllerPort, int nodePort) => $"""
        ClusterName=orleansgan
        SlurmctldHost=localhost(127.0.0.1)
        SlurmctldPort={controllerPort}
        SlurmdPort={nodePort}
        SlurmUser=root
        SlurmdUser=root
        AuthType=auth/munge
        CredType=cred/munge
        AuthInfo=socket={mungeSocket}
        StateSaveLocation={folder}/state
        SlurmdSpoolDir={folder}/spool
        SlurmctldPidFile={folder}/slurmctld.pid
        SlurmdPidFile={folder}/slurmd.pid
        SlurmctldLogFile={folder}/slurmctld.log
        SlurmdLogFile={folder}/slurmd.log
        # No cgroups in a container: processes are tracked through /proc, and tasks are not bound to cores.
        ProctrackType=proctrack/linuxproc
        TaskPlugin=task/none
        JobAcctGatherType=jobacct_gather/none
        AccountingStorageType=accounting_storage/none
        SelectType=select/cons_tres
        SelectTypeParameters=CR_CPU
        MpiDefault=none
        ReturnToService=2
        # Time between scancel's SIGTERM and its SIGKILL: the silos' stop checkpoint must fit in it.
        KillWait=60
        # Keeps ended jobs visible to scontrol for the test to read their state.
        MinJobAge=3600
        # Two silo tasks on a node of any size: the node's CPU count is taken from here, not from the hardware.
        SlurmdParameters=config_overrides
        NodeName={NodeName} NodeAddr=127.0.0.1 NodeHostname={System.Net.Dns.GetHostName()} CPUs=4 State=UNKNOWN
        PartitionName=debug Nodes={NodeName} Default=YES MaxTime=INFINITE State=UP
        """;

    private async Task WaitForIdleNode()
    {
        var deadline = DateTime.UtcNow + DaemonStart;
        while (DateTime.UtcNow < deadline)
        {
            var (_, output) = await Command("sinfo", ["--noheader", "--format=%t"]);
            if (output.Trim() == "idle")
                return;
            await Task.Delay(300);
        }
        throw new TimeoutException($"Node {NodeName} did not become idle within {DaemonStart.TotalSeconds} s:\n{DaemonLogs}");
    }

    private static async Task WaitForFile(string path, SlurmCluster cluster)
    {
        var deadline = DateTime.UtcNow + DaemonStart;
        while (!File.Exists(path))
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"{path} did not appear within {DaemonStart.TotalSeconds} s:\n{cluster.DaemonLogs}");
            await Task.Delay(100);
        }
    }

    /// <summary>One of Slurm's commands, run against this cluster.</summary>
    private Task<(int ExitCode, string Output)> Command(string command, string[] arguments) =>
        ChildProcess.Run(command, arguments, Folder, CommandTimeout, SlurmEnvironment);

    [GeneratedRegex(@"JobState=(\S+)")]
    private static partial Regex JobStatePattern();

    [GeneratedRegex(@"\bExitCode=(\S+)")]
    private static partial Regex ExitCodePattern();
}
