using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Orleans.Gan.Bench.PyTorch;

/// <summary>Runs a script of bench/pytorch with the configured interpreter and reads the JSON object it prints.</summary>
/// <param name="unsetVariable">
/// An environment variable the scripts do not inherit: the kernel cap this benchmark set for its own process, which
/// PyTorch as users run it does not have. Null: the scripts inherit this process's environment as it is.
/// </param>
public sealed partial class PyTorchRunner(string python, string? unsetVariable = null)
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

    /// <summary>
    /// The instruction set oneDNN reports in these scripts' environment and the kernel its convolution ran, from one
    /// convolution in oneDNN's verbose mode (bench/pytorch/onednn_kernels.py), e.g. "Intel AVX2 (convolution jit:avx2)".
    /// </summary>
    public async Task<string> KernelsAsync()
    {
        var (exitCode, output, error) = await RunAsync([Path.Combine(RepositoryPaths.PyTorchScripts, "onednn_kernels.py")]);
        if (exitCode != 0)
            return $"unknown: onednn_kernels.py exited with {exitCode}: {LastLine(error)}";
        var isa = IsaLine().Match(output);
        var convolution = ConvolutionLine().Match(output);
        return (isa.Success ? isa.Groups[1].Value.Trim() : "oneDNN printed no ISA")
            + (convolution.Success ? $" (convolution {convolution.Groups[1].Value})" : "");
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
        if (unsetVariable is not null)
            start.Environment.Remove(unsetVariable);
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

    [GeneratedRegex(@"^onednn_verbose,info,cpu,isa:(.*)$", RegexOptions.Multiline)]
    private static partial Regex IsaLine();

    [GeneratedRegex(@"^onednn_verbose,exec,cpu,convolution,([^,]+),", RegexOptions.Multiline)]
    private static partial Regex ConvolutionLine();

    private static string LastLine(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault()?.Trim() ?? "no output";
}
