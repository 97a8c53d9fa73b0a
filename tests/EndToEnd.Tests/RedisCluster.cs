using System.Text.Json;

namespace Orleans.Gan.EndToEnd.Tests;

/// <summary>
/// The multi-host set-up on one machine: a real redis-server for membership and silo processes that find each other
/// through it, each with its own ports, sharing one data and one runs folder. Silos can be killed and started again.
/// </summary>
internal sealed class RedisCluster : IDisposable
{
    public static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private readonly List<ChildProcess> processes = [];
    private readonly string connection;
    private readonly string clusterId = $"e2e-{Guid.NewGuid():N}";

    private RedisCluster(string work, string connection)
    {
        Work = work;
        this.connection = connection;
    }

    public string Work { get; }

    /// <summary>The silos by name; a restarted silo replaces its entry.</summary>
    public Dictionary<string, Silo> Silos { get; } = [];

    /// <summary>What the client needs to find this cluster.</summary>
    public string[] ClientArguments => ["--redis", connection, "--cluster-id", clusterId];

    public string Logs => string.Join("\n", Silos.Values.Select(s => $"---- {s.Name} ----\n{s.Process.Output}"));

    public static async Task<RedisCluster> StartAsync(string work, params string[] siloNames)
    {
        Directory.CreateDirectory(work);
        var redisServer = InstalledTool.Require("/usr/bin/redis-server", "redis-server");
        var port = ChildProcess.FreePort();
        var redis = ChildProcess.Start(redisServer, ["--port", $"{port}", "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], work);
        var cluster = new RedisCluster(work, $"127.0.0.1:{port}");
        cluster.processes.Add(redis);
        await redis.WaitForPort(port, StartTimeout);
        foreach (var name in siloNames)
            await cluster.StartSiloAsync(name);
        return cluster;
    }

    public async Task<Silo> StartSiloAsync(string name)
    {
        int siloPort = ChildProcess.FreePort(), gatewayPort = ChildProcess.FreePort(), httpPort = ChildProcess.FreePort();
        var process = ChildProcess.Start("dotnet", [Binaries.Silo, "--name", name, "--clustering", "redis", "--redis", connection,
            "--cluster-id", clusterId, "--silo-port", $"{siloPort}", "--gateway-port", $"{gatewayPort}", "--http", $"http://127.0.0.1:{httpPort}",
            "--data", Path.Combine(Work, "data"), "--runs", Path.Combine(Work, "runs"), "--threads", "1"], Work);
        processes.Add(process);
        await process.WaitForPort(gatewayPort, StartTimeout);
        return Silos[name] = new Silo(name, process, $"http://127.0.0.1:{httpPort}");
    }

    public void Dispose()
    {
        foreach (var process in processes)
            process.Dispose();
        if (Directory.Exists(Work))
            Directory.Delete(Work, recursive: true);
    }

    public sealed record Silo(string Name, ChildProcess Process, string Url)
    {
        /// <summary>A run's step and phase as this silo's <c>/api/runs</c> reports them, or null if it lists no such run.</summary>
        public async Task<(long Step, string Phase)?> RunProgressAsync(string run)
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
            using var runs = JsonDocument.Parse(await http.GetStringAsync($"{Url}/api/runs"));
            foreach (var summary in runs.RootElement.EnumerateArray())
            {
                var status = summary.GetProperty("status");
                if (status.GetProperty("run").GetString() == run)
                    return (status.GetProperty("step").GetInt64(), status.GetProperty("phase").GetString()!);
            }
            return null;
        }
    }
}
