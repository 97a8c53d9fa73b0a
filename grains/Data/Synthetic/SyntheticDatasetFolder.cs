namespace Orleans.Gan.Data.Synthetic;

/// <summary>
/// The synthetic data set a run trains on when it names none: generated once per size under the data directory and
/// shared by every run and shard there. It is written to a private folder and renamed into place, so that shards in
/// other processes on the same disk never read half a data set; whoever renames first wins, and since the faces are
/// deterministic, the loser's copy was identical.
/// </summary>
public static class SyntheticDatasetFolder
{
    /// <summary>The faces are the same for every run: only the run's seed varies the training, not its data.</summary>
    public const int DatasetSeed = 20_260_101;

    private static readonly SemaphoreSlim Gate = new(1, 1);

    public static string PathFor(string dataDirectory, int count) =>
        Path.Combine(Path.GetFullPath(dataDirectory), $"synthetic-{count}");

    /// <summary>The folder of <paramref name="count"/> synthetic faces, generating it if it is not there yet.</summary>
    public static async Task<string> EnsureAsync(string dataDirectory, int count, IProgress<int>? progress = null)
    {
        var target = PathFor(dataDirectory, count);
        await Gate.WaitAsync();
        try
        {
            if (Directory.Exists(target))
                return target;
            var scratch = $"{target}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp";
            await Task.Run(() => SyntheticFaceWriter.Write(scratch, count, DatasetSeed, progress));
            try
            {
                Directory.Move(scratch, target);
            }
            catch (IOException) when (Directory.Exists(target))
            {
                Directory.Delete(scratch, recursive: true);
            }
            return target;
        }
        finally
        {
            Gate.Release();
        }
    }
}
