namespace Orleans.Gan.Core.Checkpoints;

/// <summary>
/// Finds a run's newest checkpoint that loads. A damaged one is passed over for the one before it: after a crash or a
/// full disk a user wants the previous good state, not an error, and certainly not a fresh start whose new
/// checkpoints would make pruning delete the good old ones. A sound checkpoint of other networks stops the search,
/// since the older ones of the same run are no better.
/// </summary>
public static class NewestCheckpoint
{
    /// <param name="load">Loads one checkpoint file; throws <see cref="CheckpointException"/> when it cannot.</param>
    /// <param name="passedOver">Told about each damaged checkpoint before the one before it is tried.</param>
    /// <returns>What <paramref name="load"/> returned and the file it read, or null when the run has no checkpoint.</returns>
    /// <exception cref="CheckpointException">Every checkpoint is damaged (the message names each), or one is of other networks.</exception>
    public static (T Loaded, string Path)? Load<T>(RunFolder folder, Func<string, T> load, Action<string, CheckpointException> passedOver)
    {
        var damaged = new List<string>();
        foreach (var (_, path) in folder.Checkpoints().Reverse())
        {
            try
            {
                return (load(path), path);
            }
            catch (CheckpointException e) when (e.Problem == CheckpointProblem.Damaged)
            {
                damaged.Add(e.Message);
                passedOver(path, e);
            }
        }
        return damaged.Count == 0
            ? null
            : throw new CheckpointException(
                $"None of the {damaged.Count} checkpoints in {folder.CheckpointsPath} can be read: {string.Join(" ", damaged)}");
    }
}
