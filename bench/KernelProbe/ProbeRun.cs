using System.Diagnostics;
using System.Globalization;

namespace Orleans.Gan.KernelProbe;

/// <summary>
/// What one probe process saw: whether its whole steps gave NaN (and, traced, where first), their median time and
/// losses' bits, and each pass's result with the oneDNN kernels that ran it.
/// </summary>
internal sealed record ProbeRun(IReadOnlyList<PassResult> Passes, bool StepNan, double StepMilliseconds, string Losses, string? FirstNan, string? Failure)
{
    /// <summary>
    /// Starts this program as a probe process under <paramref name="isa"/> and reads what it printed; with
    /// <paramref name="kernels"/>, oneDNN's verbose mode names the kernel of each pass.
    /// </summary>
    public static ProbeRun Start(string isa, int threads, ProbeShape shape, int steps, bool kernels, bool trace)
    {
        var self = Environment.ProcessPath!;
        var start = new ProcessStartInfo(self) { RedirectStandardOutput = true, RedirectStandardError = true };
        if (Path.GetFileNameWithoutExtension(self) == "dotnet")
            start.ArgumentList.Add(typeof(ProbeRun).Assembly.Location);
        foreach (var argument in (string[])["child", .. shape.Arguments, "--threads", $"{threads}", "--steps", $"{steps}", "--trace", $"{trace}"])
            start.ArgumentList.Add(argument);
        start.Environment["ONEDNN_MAX_CPU_ISA"] = isa;
        if (kernels)
            start.Environment["ONEDNN_VERBOSE"] = "1";
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        var lines = new List<string>();
        while (process.StandardOutput.ReadLine() is { } line)
            lines.Add(line);
        process.WaitForExit();
        return Parse(lines, process.ExitCode == 0 ? null : $"exit {process.ExitCode}: {error.Result.Split('\n')[0]}");
    }

    private static ProbeRun Parse(List<string> lines, string? failure)
    {
        var passes = new List<PassResult>();
        var kernels = new SortedSet<string>(StringComparer.Ordinal);
        bool stepNan = false;
        double stepMs = double.NaN;
        string losses = "";
        string? firstNan = null;
        foreach (var line in lines)
        {
            var words = line.Split(' ');
            if (words[0] == "PASS")
                kernels = new SortedSet<string>(StringComparer.Ordinal);
            else if (words[0] == "RESULT")
                passes.Add(new PassResult(words[1], words[2], words[3] == "nan", [.. kernels]));
            else if (words[0] == "FIRSTNAN")
                firstNan = line["FIRSTNAN ".Length..];
            else if (words[0] == "STEP")
                (stepNan, stepMs, losses) = (words[1] == "nan", double.Parse(words[2], CultureInfo.InvariantCulture), words[3]);
            else if (Kernel(line) is { } kernel)
                kernels.Add(kernel);
        }
        return new ProbeRun(passes, stepNan, stepMs, losses, firstNan, failure);
    }

    /// <summary>"convolution brgconv:avx512_core backward_weights" from an execution line of oneDNN's verbose mode.</summary>
    private static string? Kernel(string line)
    {
        if (!line.StartsWith("onednn_verbose", StringComparison.Ordinal))
            return null;
        var fields = line.Split(',');
        int exec = Array.IndexOf(fields, "exec");
        return exec >= 0 && fields.Length > exec + 4 ? $"{fields[exec + 2]} {fields[exec + 3]} {fields[exec + 4]}" : null;
    }
}

/// <summary>One pass of one convolution: whether its result held NaN, and the oneDNN kernels that ran it.</summary>
internal sealed record PassResult(string Layer, string Pass, bool Nan, IReadOnlyList<string> Kernels);
