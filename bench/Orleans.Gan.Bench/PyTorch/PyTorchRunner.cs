using System.Diagnostics;
using System.Text.Json;

namespace Orleans.Gan.Bench.PyTorch;

/// <summary>Runs a script of bench/pytorch with the configured interpreter and reads the JSON object it prints.</summary>
public sealed class PyTorchRunner(string python)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(10);

    /// <summary>The torch version, or why PyTorch cannot be used on <paramref name="device"/> (then every PyTorch figure is left out).</summary>
    public async Task<(string? Version, string? Problem)> ProbeAsync(string device)
    {
        try
        {
            var (exitCode, output, error) = await RunAsync(["-c",
                $"import torch; assert '{device}' != 'cuda' or torch.cuda.is_available(), 'this torch has no CUDA'; print(torch.__version__)"]);
            return exitCode == 0 ? (output.Trim(), null) : (null, $"{python} cannot run torch on {device}: {LastLine(error)}");
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            return (null, $"{python} cannot be started: {e.Message}");
        }
    }

    /// <summary>Runs <paramref name="script"/> with <paramref name="arguments"/>; throws with its error output if it fails.</summary>
    public async Task<JsonElement> RunScriptAsync(string script, IEnumerable<string> arguments)
    {
        var (exitCode, output, error) = await RunAsync([Path.Combine(RepositoryPaths.PyTorchScripts, script), .. arguments]);
        if (exitCode != 0)
            throw new InvalidOperationException($"{script} exited with {exitCode}: {error}");
        var json = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Last();
        return JsonDocument.Parse(json).RootElement.Clone();
    }

    private async Task<(int ExitCode, string Output, string Error)> RunAsync(IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo(python)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = RepositoryPaths.PyTorchScripts,
        };
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{python} did not start.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(Deadline);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{python} {string.Join(' ', start.ArgumentList)} took longer than {Deadline.TotalMinutes} minutes.");
        }
        return (process.ExitCode, await output, await error);
    }

    private static string LastLine(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault()?.Trim() ?? "no output";
}
