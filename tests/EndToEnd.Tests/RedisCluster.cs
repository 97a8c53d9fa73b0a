using System.Text.Json;

namespace Orleans.Gan.EndToEnd.Tests;

/// <summary>
/// The multi-host set-up on one machine: a real redis-server for membership and silo processes that find each other
/// through it, each with its own ports, sharing one data and one runs folder. Silos can be killed and started again,
/// on new ports or on their old ones.
/// </summary>
internal sealed class RedisCluster : IDisposable
{
    public static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private readonly List<ChildProcess> processes = [];
    private readonly string clusterId = $"e2e-{Guid.NewGuid():N}";

    private RedisCluster(string work, string connection)
    {
        Work = work;
        Connection = connection;
    }

    public string Work { get; }

    public string RunsDirectory => Path.Combine(Work, "runs");

    /// <summary>The StackExchange.Redis connection string the silos and the client use, password included.</summary>
    public string Connection { get; }

    /// <summary>The silos by name; a restarted silo replaces its entry.</summary>
    public Dictionary<string, Silo> Silos { get; } = [];

    /// <summary>What the client needs to find this cluster.</summary>
    public string[] ClientArguments => ["--redis", Connection, "--cluster-id", clusterId];

    public string Logs => string.Join("\n", Silos.Values.Select(s => $"---- {s.Name} ----\n{s.Process.Output}"));

    public static Task<RedisCluster> StartAsync(string work, params string[] siloNames) => StartAsync(work, null, siloNames);

    /// <summary>With <paramref name="redisPassword"/>, Redis refuses every connection that does not give it.</summary>
    public static async Task<RedisCluster> StartAsync(string work, string? redisPassword, string[] siloNames)
    {
        Directory.CreateDirectory(work);
        var redisServer = InstalledTool.Require("/usr/bin/redis-server", "redis-server");
        var port = ChildProcess.FreePort();
        string[] requirePass = redisPassword is null ? [] : ["--requirepass", redisPassword];
        var redis = ChildProcess.Start(redisServer, ["--port", $"{port}", "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", .. requirePass], work);
        var cluster = new RedisCluster(work, redisPassword is null ? $"127.0.0.1:{port}" : $"127.0.0.1:{port},password={redisPassword}");
        cluster.processes.Add(redis);
        await redis.WaitForPort(port, StartTimeout);
        foreach (var name in siloNames)
            await cluster.StartSiloAsync(name);
        return cluster;
    }

    public Task<Silo> StartSiloAsync(string name) =>
        StartSiloAsync(name, new SiloPorts(ChildProcess.FreePort(), ChildProcess.FreePort(), ChildProcess.FreePort()));

    /// <summary>
    /// Starts killed silos again under their names and on their ports, as service managers restart them on their hosts:
    /// each retires its dead incarnation at its address at once, and waits no longer than a few seconds for the others'
    /// (SiloConfiguration's I-am-alive refresh), so they may come back together or one at a time.
    /// </summary>
    public async Task RestartSilosAsync(IEnumerable<Silo> killed)
    {
        var starting = killed.Select(silo => Launch(silo.Name, silo.Ports)).ToList();
        foreach (var silo in starting)
            await silo.Process.WaitForPort(silo.Ports.Http, StartTimeout);
    }

    /// <summary>A silo expected to stop by itself (Redis refuses it, say), with another connection string, run to its exit.</summary>
    public Task<(int ExitCode, string Output)> RunSilo(string name, string connection, TimeSpan timeout) =>
        ChildProcess.Run("dotnet", SiloArguments(name, connection, new SiloPorts(ChildProcess.FreePort(), ChildProcess.FreePort(), ChildProcess.FreePort())),
            Work, timeout);

    /// <summary>Runs the client binary against this cluster.</summary>
    public Task<(int ExitCode, string Output)> Client(params string[] arguments) =>
        ChildProcess.Run("dotnet", [Binaries.Client, .. arguments, .. ClientArguments], Work, TimeSpan.FromMinutes(5));

    public void Dispose()
    {
        foreach (var process in processes)
            process.Dispose();
        if (Directory.Exists(Work))
            Directory.Delete(Work, recursive: true);
    }

    /// <summary>
    /// Waits for the silo's HTTP endpoint, which opens once the silo is an active member. Its gateway accepts clients
    /// seconds earlier, while it is still joining; after a restart, requests sent then can be routed to its dead
    /// incarnation, which is still listed as active.
    /// </summary>
    private async Task<Silo> StartSiloAsync(string name, SiloPorts ports)
    {
        var silo = Launch(name, ports);
        await silo.Process.WaitForPort(ports.Http, StartTimeout);
        return silo;
    }

    private Silo Launch(string name, SiloPorts ports)
    {
        var process = ChildProcess.Start("dotnet", SiloArguments(name, Connection, ports), Work);
        processes.Add(process);
        return Silos[name] = new Silo(name, process, $"http://127.0.0.1:{ports.Http}", ports);
    }

    private string[] SiloArguments(string name, string connection, SiloPorts ports) =>
    [
        Binaries.Silo, "--name", name, "--clustering", "redis", "--redis", connection, "--cluster-id", clusterId,
        "--silo-port", $"{ports.Silo}", "--gateway-port", $"{ports.Gateway}", "--http", $"http://127.0.0.1:{ports.Http}",
        "--data", Path.Combine(Work, "data"), "--runs", RunsDirectory, "--threads", "1",
    ];

    public sealed record SiloPorts(int Silo, int Gateway, int Http);

    public sealed record Silo(string Name, ChildProcess Process, string Url, SiloPorts Ports)
    {
        /// <summary>A run's step and phase as this silo's <c>/api/runs</c> reports them, or null if it lists no such run.</summary>
        public async Task<(long Step, string Phase)?> RunProgressAsync(string run) =>
            await SummaryAsync(run) is { } summary
                ? (summary.GetProperty("status").GetProperty("step").GetInt64(), summary.GetProperty("status").GetProperty("phase").GetString()!)
                : null;

        /// <summary>
        /// A run's loss curves, (step, Loss_D, Loss_G), and its newest scores of G_ema and G, (step, SWD), as this silo's
        /// <c>/api/runs</c> reports them.
        /// </summary>
        public async Task<(IReadOnlyList<(long Step, double LossD, double LossG)> Losses, (long Step, double Swd)? Ema, (long Step, double Swd)? Raw)> RunCurvesAsync(string run)
        {
            var summary = await SummaryAsync(run) ?? throw new InvalidOperationException($"{Name} lists no run {run}");
            var losses = summary.GetProperty("losses").EnumerateArray()
                .Select(p => (p.GetProperty("step").GetInt64(), p.GetProperty("lossD").GetDouble(), p.GetProperty("lossG").GetDouble())).ToList();
            var status = summary.GetProperty("status");
            static (long, double)? Score(JsonElement score) =>
                score.ValueKind == JsonValueKind.Object ? (score.GetProperty("step").GetInt64(), score.GetProperty("average").GetDouble()) : null;
            return (losses, Score(status.GetProperty("quality")), Score(status.GetProperty("rawQuality")));
        }

        private async Task<JsonElement?> SummaryAsync(string run)
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
            using var runs = JsonDocument.Parse(await http.GetStringAsync($"{Url}/api/runs"));
            foreach (var summary in runs.RootElement.EnumerateArray())
            {
                if (summary.GetProperty("status").GetProperty("run").GetString() == run)
                    return summary.Clone();
            }
            return null;
        }
    }
}
