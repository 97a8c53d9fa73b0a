namespace Orleans.Gan.Data.Download;

/// <summary>Bytes of <paramref name="File"/> on disk so far, resumed ones included, of <paramref name="Total"/> where the server said.</summary>
public sealed record DownloadProgress(string File, long Bytes, long? Total);
