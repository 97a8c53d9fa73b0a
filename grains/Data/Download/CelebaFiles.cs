namespace Orleans.Gan.Data.Download;

/// <summary>
/// The two CelebA files that training reads, with the MD5 sums and Google Drive ids that torchvision's CelebA
/// dataset uses: the aligned faces as a zip (1.4 GB; the reader trains from it as it is) and the partition list.
/// </summary>
public static class CelebaFiles
{
    public static IReadOnlyList<(ExpectedFile File, string DriveId)> All { get; } =
    [
        (new ExpectedFile(CelebaSource.ZipFileName, "00d2c5bc6d35e252742224ab0c1e8fcb", IsZip: true), "0B7EVK8r0v71pZjFTYXZWM3FlRnM"),
        (new ExpectedFile(CelebaSource.PartitionFileName, "d32c9cbf5e040fd4025c592c306e6668", IsZip: false), "0B7EVK8r0v71pY0NSMzRuSXJEVkk"),
    ];

    /// <summary>
    /// Where to fetch <paramref name="file"/>: each mirror (a base URL the file's name is appended to) in the order
    /// given, then, unless left out, Google Drive as torchvision fetches it (<c>confirm=t</c> skips the page that
    /// warns large files are not virus-scanned; a page saying the quota is used up comes back as HTML).
    /// </summary>
    public static IReadOnlyList<Uri> Sources(ExpectedFile file, string driveId, IEnumerable<Uri> mirrors, bool withDrive) =>
    [
        .. mirrors.Select(m => new Uri(m.AbsoluteUri.TrimEnd('/') + "/" + file.Name)),
        .. withDrive ? [new Uri($"https://drive.usercontent.google.com/download?id={driveId}&export=download&confirm=t")] : Array.Empty<Uri>(),
    ];
}
