namespace Orleans.Gan.Data.Download;

/// <summary>A file that could not be had: why, for each source tried (or the one reason that stopped it all, a full disk).</summary>
public sealed class DownloadException(string file, IReadOnlyList<string> reasons)
    : Exception($"Could not download {file}:{Environment.NewLine}  " + string.Join(Environment.NewLine + "  ", reasons))
{
    public IReadOnlyList<string> Reasons { get; } = reasons;
}
