using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Orleans.Gan.EndToEnd.Tests;

/// <summary>A process started by a test, its output kept for the failure message, stopped with SIGTERM.</summary>
internal sealed class ChildProcess : IDisposable
{
    private readonly Process process;
    private readonly StringBuilder output = new();

    private ChildProcess(string file, IEnumerable<string> arguments, string workingDirectory, IReadOnlyDictionary<string, string>? environment)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = workingDirectory };
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
            start.Environment[name] = value;
        process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public string Output
    {
        get
        {
            lock (output)
                return output.ToString();
        }
    }

    /// <param name="environment">Variables set for the process on top of this one's.</param>
    public static ChildProcess Start(string file, IEnumerable<string> arguments, string workingDirectory, IReadOnlyDictionary<string, string>? environment = null) =>
        new(file, arguments, workingDirectory, environment);

    /// <summary>Runs to the end and returns the exit code and everything printed.</summary>
    public static async Task<(int ExitCode, string Output)> Run(
        string file, IEnumerable<string> arguments, string workingDirectory, TimeSpan timeout, IReadOnlyDictionary<string, string>? environment = null)
    {
        using var child = Start(file, arguments, workingDirectory, environment);
        using var cancel = new CancellationTokenSource(timeout);
        await child.process.WaitForExitAsync(cancel.Token);
        child.process.WaitForExit();
        return (child.process.ExitCode, child.Output);
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>A port free now, and the one after it: the base of a port range for two silos that offset their ports.</summary>
    public static int FreePortPair()
    {
        while (true)
        {
            int port = FreePort();
            if (port < IPEndPoint.MaxPort && IsFree(port + 1))
                return port;
        }
    }

    /// <summary>Whether a port can be listened on, on every interface.</summary>
    public static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Any, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    public async Task WaitForPort(int port, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
                throw new InvalidOperationException($"Process exited with {process.ExitCode} before port {port} opened:\n{Output}");
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(200);
            }
        }
        throw new TimeoutException($"Port {port} did not open within {timeout.TotalSeconds} s:\n{Output}");
    }

    /// <summary>SIGTERM, as a service manager stops a silo, and the exit code once it has shut down.</summary>
    public async Task<int> Terminate(TimeSpan timeout)
    {
        if (!process.HasExited)
            Process.Start("kill", ["-TERM", process.Id.ToString()])!.WaitForExit();
        return await WaitForExit(timeout);
    }

    public async Task<int> WaitForExit(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        await process.WaitForExitAsync(cancel.Token);
        return process.ExitCode;
    }

    /// <summary>SIGKILL, as when a node dies: no shutdown, no goodbye to the cluster.</summary>
    public void Kill()
    {
        process.Kill(entireProcessTree: true);
        process.WaitForExit();
    }

    public void Dispose()
    {
        if (!process.HasExited)
            process.Kill(entireProcessTree: true);
        process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
            return;
        lock (output)
            output.AppendLine(line);
    }
}
