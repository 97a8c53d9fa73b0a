using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Orleans.Gan.Bench.Measurement;

namespace Orleans.Gan.Bench.Cluster;

/// <summary>One silo started from the silo build as a user starts it (<c>dotnet silo.dll --name … --threads N</c>).</summary>
public sealed class SiloProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartDeadline = TimeSpan.FromMinutes(2);
    private readonly Process process;
    private readonly StringBuilder output = new();

    private SiloProcess(string name, IEnumerable<string> arguments, int gatewayPort)
    {
        Name = name;
        GatewayPort = gatewayPort;
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        // As deploy/ starts silos (README, "Memory").
        start.Environment.TryAdd("MALLOC_ARENA_MAX", "1");
        start.ArgumentList.Add(RepositoryPaths.Silo);
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public string Name { get; }

    public int GatewayPort { get; }

    public IPEndPoint Gateway => new(IPAddress.Loopback, GatewayPort);

    /// <summary>The silo's peak resident memory so far.</summary>
    public long? PeakBytes => PeakMemory.Of(process.Id);

    public string Output
    {
        get
        {
            lock (output)
                return output.ToString();
        }
    }

    /// <summary>Starts a silo in localhost clustering under <paramref name="clusterId"/> and waits until its gateway listens.</summary>
    public static async Task<SiloProcess> StartAsync(string name, int primarySiloPort, int siloPort, string clusterId, int threads, string dataDirectory, string runsDirectory,
        IReadOnlyList<string> moreArguments)
    {
        if (!File.Exists(RepositoryPaths.Silo))
            throw new FileNotFoundException($"No silo build at {RepositoryPaths.Silo}; build the solution in {RepositoryPaths.Configuration} first.");
        int gatewayPort = FreePort.Next();
        string[] arguments =
        [
            "--name", name, "--cluster-id", clusterId, "--service-id", clusterId,
            "--silo-port", Text(siloPort), "--primary-silo-port", Text(primarySiloPort), "--gateway-port", Text(gatewayPort),
            "--http", $"http://127.0.0.1:{FreePort.Next()}", "--data", dataDirectory, "--runs", runsDirectory,
            "--threads", Text(threads), .. moreArguments,
        ];
        var silo = new SiloProcess(name, arguments, gatewayPort);
        try
        {
            await silo.WaitForGatewayAsync();
            return silo;
        }
        catch
        {
            await silo.DisposeAsync();
            throw;
        }
    }

    /// <summary>SIGTERM, as a service manager stops a silo; killed if it has not left within 30 s.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            using var kill = Process.Start("kill", ["-TERM", process.Id.ToString(CultureInfo.InvariantCulture)]);
            await kill!.WaitForExitAsync();
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            try
            {
                await process.WaitForExitAsync(deadline.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
            }
        }
        process.Dispose();
    }

    private async Task WaitForGatewayAsync()
    {
        var deadline = DateTime.UtcNow + StartDeadline;
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
                throw new InvalidOperationException($"Silo {Name} exited with {process.ExitCode} before its gateway opened:\n{Output}");
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, GatewayPort);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(200);
            }
        }
        throw new TimeoutException($"Silo {Name}'s gateway on port {GatewayPort} did not open within {StartDeadline.TotalMinutes} minutes:\n{Output}");
    }

    private void Append(string? line)
    {
        if (line is null)
            return;
        lock (output)
            output.AppendLine(line);
    }

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);
}
