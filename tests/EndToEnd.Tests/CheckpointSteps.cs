namespace Orleans.Gan.EndToEnd.Tests;

/// <summary>The steps of a run's checkpoints on disk, read from their names as a user would list them.</summary>
internal static class CheckpointSteps
{
    public static IReadOnlyList<long> Of(string runsDirectory, string run)
    {
        var folder = Path.Combine(runsDirectory, run, "checkpoints");
        return Directory.Exists(folder)
            ? [.. Directory.GetFiles(folder, "step-*.safetensors").Select(path => long.Parse(Path.GetFileNameWithoutExtension(path)["step-".Length..])).Order()]
            : [];
    }
}
