using Orleans.Gan.Data;
using System.Globalization;

namespace Orleans.Gan.Core.Checkpoints;

/// <summary>
/// A run's folder under the runs directory: <c>checkpoints/step-00000100.safetensors</c>, <c>samples/step-00000100.png</c>,
/// <c>faces.png</c>, the newest grid, each written with <see cref="AtomicFile"/>, and <c>tensorboard/</c>, whose event
/// files are appended to (<see cref="TensorBoard.TensorBoardLog"/>).
/// </summary>
public sealed class RunFolder(string runsDirectory, string run)
{
    private const string CheckpointPrefix = "step-";
    private const string CheckpointSuffix = ".safetensors";
    private const string DamagedSuffix = ".damaged";

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetFullPath(runsDirectory), run);

    public string CheckpointsPath => System.IO.Path.Combine(Path, "checkpoints");

    public string SamplesPath => System.IO.Path.Combine(Path, "samples");

    public string TensorBoardPath => System.IO.Path.Combine(Path, "tensorboard");

    public string LatestGridPath => System.IO.Path.Combine(Path, "faces.png");

    public string CheckpointPath(long step) =>
        System.IO.Path.Combine(CheckpointsPath, $"{CheckpointPrefix}{step:D8}{CheckpointSuffix}");

    public string GridPath(long step) => System.IO.Path.Combine(SamplesPath, $"step-{step:D8}.png");

    /// <summary>The checkpoints on disk, oldest first.</summary>
    public IReadOnlyList<(long Step, string Path)> Checkpoints()
    {
        if (!Directory.Exists(CheckpointsPath))
            return [];
        return Directory.EnumerateFiles(CheckpointsPath, $"{CheckpointPrefix}*{CheckpointSuffix}")
            .Select(path => (Name: System.IO.Path.GetFileName(path), Path: path))
            .Select(f => (Ok: long.TryParse(f.Name[CheckpointPrefix.Length..^CheckpointSuffix.Length], NumberStyles.None,
                CultureInfo.InvariantCulture, out var step), Step: step, f.Path))
            .Where(f => f.Ok)
            .OrderBy(f => f.Step)
            .Select(f => (f.Step, f.Path))
            .ToList();
    }

    /// <summary>The newest checkpoint and its step, or null when the run has none.</summary>
    public (long Step, string Path)? LatestCheckpoint() => Checkpoints() is [.., var latest] ? latest : null;

    /// <summary>Deletes all but the newest <paramref name="keep"/> checkpoints.</summary>
    public void PruneCheckpoints(int keep)
    {
        var all = Checkpoints();
        foreach (var (_, path) in all.Take(Math.Max(0, all.Count - Math.Max(1, keep))))
            File.Delete(path);
    }

    /// <summary>
    /// Renames a checkpoint that cannot be read to <c>step-NNNNNNNN.safetensors.damaged</c>: it no longer counts as the
    /// newest, pruning never deletes it, and a new checkpoint of the same step does not overwrite it, so that someone
    /// can still look at what went wrong. Returns the new path.
    /// </summary>
    public string SetAside(string checkpointPath)
    {
        var aside = checkpointPath + DamagedSuffix;
        File.Move(checkpointPath, aside, overwrite: true);
        return aside;
    }

    /// <summary>Writes a faces grid for <paramref name="step"/> and makes it the run's newest.</summary>
    public string WriteGrid(long step, byte[] png)
    {
        var path = GridPath(step);
        AtomicFile.Write(path, png);
        AtomicFile.Write(LatestGridPath, png);
        return LatestGridPath;
    }
}
