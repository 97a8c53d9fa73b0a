namespace Orleans.Gan.EndToEnd.Tests;

/// <summary>
/// The multi-host set-up on one machine, in a temporary folder: a real redis-server for membership and silo
/// processes. Each silo keeps its ports for the whole test, so that one restarted after a kill takes over its old
/// address and Orleans retires the dead incarnation at once instead of probing it for half a minute.
/// </summary>
internal sealed class RedisCluster : IDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);
    private readonly List<ChildProcess> started = [];
    private readonly List<ChildProcess> everySilo = [];
    private readonly Dictionary<string, ChildProcess> silos = [];
    private readonly Dictionary<string, (int Silo, int Gateway, int Http)> ports;
    private readonly string[] redisArguments;

    private RedisCluster(string[] siloNames, string[] redisArguments)
    {
        Directory.CreateDirectory(Work);
        ports = siloNames.ToDictionary(name => name, _ => (ChildProcess.FreePort(), ChildProcess.FreePort(), ChildProcess.FreePort()));
        this.redisArguments = redisArguments;
    }

    public string Work { get; } = Path.Combine(Path.GetTempPath(), "orleans-gan-e2e", Guid.NewGuid().ToString("N"));

    public string RunsDirectory => Path.Combine(Work, "runs");

    public string Connection { get; private set; } = "";

    public string ClusterId { get; } = $"e2e-{Guid.NewGuid():N}";

    /// <summary>What every client command needs to find these silos.</summary>
    public string[] ClientArguments => ["--redis", Connection, "--cluster-id", ClusterId];

    /// <summary>Starts redis-server and the silos; <paramref name="password"/> makes Redis require it of everyone.</summary>
    public static async Task<RedisCluster> StartAsync(string[] siloNames, string? password = null)
    {
        var cluster = new RedisCluster(siloNames, password is null ? [] : ["--requirepass", password]);
        try
        {
            var port = await cluster.StartRedisAsync();
            cluster.Connection = password is null ? $"127.0.0.1:{port}" : $"127.0.0.1:{port},password={password}";
            await cluster.StartSilosAsync();
            return cluster;
        }
        catch
        {
            cluster.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Starts every silo that is not running, all at once, and waits until each is an active member. The gateway
    /// accepts connections seconds earlier, while the silo is still joining; after a restart its dead incarnation is
    /// then still listed as active and requests can be routed to it. The HTTP endpoint opens once the silo is active.
    /// </summary>
    public async Task StartSilosAsync()
    {
        var starting = ports.Where(silo => !silos.ContainsKey(silo.Key))
            .Select(silo => (Process: silos[silo.Key] = KeepSilo(ChildProcess.Start("dotnet", SiloArguments(silo.Key, Connection, silo.Value), Work)),
                silo.Value.Http))
            .ToList();
        await Task.WhenAll(starting.Select(silo => silo.Process.WaitForPort(silo.Http, StartTimeout)));
    }

    /// <summary>
    /// A silo expected to stop by itself (a refused Redis connection, say), on ports of its own and with
    /// <paramref name="connection"/>, run to its exit.
    /// </summary>
    public Task<(int ExitCode, string Output)> RunSilo(string name, string connection, TimeSpan timeout) =>
        ChildProcess.Run("dotnet", SiloArguments(name, connection, (ChildProcess.FreePort(), ChildProcess.FreePort(), ChildProcess.FreePort())),
            Work, timeout);

    /// <summary>SIGKILL to every silo: nothing is flushed, released or written on the way down.</summary>
    public void KillSilos()
    {
        foreach (var silo in silos.Values)
            silo.Kill();
        silos.Clear();
    }

    /// <summary>SIGTERM to every silo, and their exit codes.</summary>
    public async Task<int[]> TerminateSilosAsync()
    {
        var codes = await Task.WhenAll(silos.Values.Select(silo => silo.Terminate(TimeSpan.FromSeconds(60))));
        silos.Clear();
        return codes;
    }

    /// <summary>Runs the client binary against this cluster.</summary>
    public Task<(int ExitCode, string Output)> Client(params string[] arguments) =>
        ChildProcess.Run("dotnet", [Binaries.Client, .. arguments, .. ClientArguments], Work, TimeSpan.FromMinutes(5));

    /// <summary>Everything every silo printed, for failure messages.</summary>
    public string SiloLogs() => string.Join("\n", everySilo.Select(silo => $"---- silo ----\n{silo.Output}"));

    public void Dispose()
    {
        foreach (var process in started)
            process.Dispose();
        if (Directory.Exists(Work))
            Directory.Delete(Work, recursive: true);
    }

    private async Task<int> StartRedisAsync()
    {
        const string redisServer = "/usr/bin/redis-server";
        if (!File.Exists(redisServer))
            throw new InvalidOperationException("redis-server is not installed: apt-get install redis-server (.ci/run does).");
        var port = ChildProcess.FreePort();
        var redis = Keep(ChildProcess.Start(redisServer,
            ["--port", $"{port}", "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", .. redisArguments], Work));
        await redis.WaitForPort(port, StartTimeout);
        return port;
    }

    private string[] SiloArguments(string name, string connection, (int Silo, int Gateway, int Http) on) =>
    [
        Binaries.Silo, "--name", name, "--clustering", "redis", "--redis", connection, "--cluster-id", ClusterId,
        "--silo-port", $"{on.Silo}", "--gateway-port", $"{on.Gateway}", "--http", $"http://127.0.0.1:{on.Http}",
        "--data", Path.Combine(Work, "data"), "--runs", RunsDirectory, "--threads", "1",
    ];

    private ChildProcess Keep(ChildProcess process)
    {
        started.Add(process);
        return process;
    }

    private ChildProcess KeepSilo(ChildProcess silo)
    {
        everySilo.Add(silo);
        return Keep(silo);
    }
}
