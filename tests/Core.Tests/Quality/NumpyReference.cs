using System.Text.Json;
using Orleans.Gan.Core.Quality;
using Orleans.Gan.Tests.Shared;

namespace Orleans.Gan.Core.Tests.Quality;

/// <summary>Runs bench/quality/swd_reference.py with Debian's python3 and numpy (<see cref="DebianPython"/>) on inputs written by SwdReferenceInputs.</summary>
internal static class NumpyReference
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    public static string Script { get; } = Path.Combine(RepositoryRoot.Path, "bench", "quality", "swd_reference.py");

    /// <summary>The script's levels and average; fails the test, saying what to install, when python3 or numpy is missing.</summary>
    public static (IReadOnlyList<SwdLevelScore> Levels, double Average) Score(string inputFolder) =>
        Parse(DebianPython.Run(Script, [inputFolder], Timeout, ("numpy", "python3-numpy")));

    private static (IReadOnlyList<SwdLevelScore> Levels, double Average) Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        var levels = document.RootElement.GetProperty("levels").EnumerateArray()
            .Select(level => new SwdLevelScore(level.GetProperty("size").GetInt32(), level.GetProperty("value").GetDouble()))
            .ToList();
        return (levels, document.RootElement.GetProperty("average").GetDouble());
    }
}
