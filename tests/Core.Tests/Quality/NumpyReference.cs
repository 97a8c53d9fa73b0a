using System.Diagnostics;
using System.Text.Json;
using Orleans.Gan.Core.Quality;
using Orleans.Gan.Tests.Shared;

namespace Orleans.Gan.Core.Tests.Quality;

/// <summary>Runs bench/quality/swd_reference.py with Debian's python3 and numpy on inputs written by SwdReferenceInputs.</summary>
internal static class NumpyReference
{
    public const string Python = "/usr/bin/python3";

    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    public static string Script { get; } = Path.Combine(RepositoryRoot.Path, "bench", "quality", "swd_reference.py");

    /// <summary>The script's levels and average; fails the test, saying what to install, when python3 or numpy is missing.</summary>
    public static (IReadOnlyList<SwdLevelScore> Levels, double Average) Score(string inputFolder)
    {
        if (!File.Exists(Python))
            Assert.Fail($"{Python} is missing; the SWD reference check needs it: apt-get install -y python3-numpy.");
        var start = new ProcessStartInfo(Python) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Script);
        start.ArgumentList.Add(inputFolder);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(Timeout))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{Script} did not finish within {Timeout.TotalSeconds} s.");
        }
        if (process.ExitCode != 0)
        {
            string message = error.Result;
            if (message.Contains("No module named 'numpy'", StringComparison.Ordinal))
                Assert.Fail($"numpy is missing for {Python}; the SWD reference check needs it: apt-get install -y python3-numpy.");
            Assert.Fail($"{Script} exited with {process.ExitCode}: {message}");
        }
        return Parse(output.Result);
    }

    private static (IReadOnlyList<SwdLevelScore> Levels, double Average) Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        var levels = document.RootElement.GetProperty("levels").EnumerateArray()
            .Select(level => new SwdLevelScore(level.GetProperty("size").GetInt32(), level.GetProperty("value").GetDouble()))
            .ToList();
        return (levels, document.RootElement.GetProperty("average").GetDouble());
    }
}
