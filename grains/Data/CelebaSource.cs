using System.Globalization;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;

namespace Orleans.Gan.Data;

/// <summary>
/// CelebA's aligned images as users download them: the folder img_align_celeba/ or img_align_celeba.zip (read in
/// place, never extracted), plus the optional list_eval_partition.txt. Reading from a zip is serialised, so one
/// source can be shared by parallel readers.
/// </summary>
public sealed class CelebaSource : IDisposable
{
    public const string ImageFolderName = "img_align_celeba";
    public const string ZipFileName = ImageFolderName + ".zip";
    public const string PartitionFileName = "list_eval_partition.txt";

    private readonly ZipArchive? _zip;
    private readonly Dictionary<string, ZipArchiveEntry> _zipEntries;
    private readonly Dictionary<string, long> _sizes;
    private readonly Dictionary<DataPartition, string[]> _partitions;
    private readonly Lock _zipLock = new();

    private CelebaSource(
        string location,
        ZipArchive? zip,
        Dictionary<string, ZipArchiveEntry> zipEntries,
        Dictionary<string, long> sizes,
        string? partitionFile,
        Dictionary<DataPartition, string[]> partitions,
        string fingerprint)
    {
        Location = location;
        _zip = zip;
        _zipEntries = zipEntries;
        _sizes = sizes;
        PartitionFile = partitionFile;
        _partitions = partitions;
        Fingerprint = fingerprint;
    }

    /// <summary>The image folder or zip file actually read.</summary>
    public string Location { get; }

    public bool IsZip => _zip is not null;

    /// <summary>The partition file used, or null when there is none and every image is in Train.</summary>
    public string? PartitionFile { get; }

    /// <summary>Number of images in all partitions.</summary>
    public int Count => _sizes.Count;

    /// <summary>
    /// Changes whenever the location, the set of images, any image's size (or, in a zip, its CRC) or the partition
    /// file changes; a cache built from another fingerprint is stale.
    /// </summary>
    public string Fingerprint { get; }

    /// <summary>
    /// Opens a data set from its root folder, from the img_align_celeba folder itself, or from img_align_celeba.zip;
    /// list_eval_partition.txt is looked for beside the image folder or zip.
    /// </summary>
    public static CelebaSource Open(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        string fullPath = Path.GetFullPath(path);
        if (File.Exists(fullPath))
        {
            return OpenZip(fullPath);
        }

        if (!Directory.Exists(fullPath))
        {
            throw new DatasetException($"Data set path '{fullPath}' does not exist.");
        }

        string imageFolder = Path.Combine(fullPath, ImageFolderName);
        if (Directory.Exists(imageFolder))
        {
            return OpenFolder(imageFolder);
        }

        string zipPath = Path.Combine(fullPath, ZipFileName);
        if (File.Exists(zipPath))
        {
            return OpenZip(zipPath);
        }

        // Neither layout inside: the path is taken to be the image folder itself.
        return OpenFolder(fullPath);
    }

    /// <summary>Image file names of one partition, in ordinal order.</summary>
    public IReadOnlyList<string> ImageNames(DataPartition partition) =>
        _partitions.TryGetValue(partition, out string[]? names) ? names : [];

    /// <summary>The size in bytes of an image file, without reading it.</summary>
    public long SizeOf(string name) =>
        _sizes.TryGetValue(name, out long size)
            ? size
            : throw new ArgumentException($"'{name}' is not an image of {Location}.", nameof(name));

    /// <summary>The bytes of one image file.</summary>
    public byte[] ReadImage(string name)
    {
        long size = SizeOf(name);
        if (_zip is null)
        {
            return File.ReadAllBytes(Path.Combine(Location, name));
        }

        lock (_zipLock)
        {
            ZipArchiveEntry entry = _zipEntries[name];
            var bytes = new byte[size];
            using Stream stream = entry.Open();
            stream.ReadExactly(bytes);
            return bytes;
        }
    }

    public void Dispose() => _zip?.Dispose();

    private static CelebaSource OpenFolder(string imageFolder)
    {
        var sizes = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (FileInfo file in new DirectoryInfo(imageFolder).EnumerateFiles("*", SearchOption.TopDirectoryOnly))
        {
            if (IsJpegName(file.Name))
            {
                sizes.Add(file.Name, file.Length);
            }
        }

        string? partitionFile = FindPartitionFile(Path.GetDirectoryName(imageFolder));
        return Create(imageFolder, null, [], sizes, partitionFile, _ => 0);
    }

    private static CelebaSource OpenZip(string zipPath)
    {
        ZipArchive zip;
        try
        {
            zip = ZipFile.OpenRead(zipPath);
        }
        catch (InvalidDataException exception)
        {
            throw new DatasetException($"Data set path '{zipPath}' is not a readable zip file: {exception.Message}", exception);
        }

        try
        {
            var entries = new Dictionary<string, ZipArchiveEntry>(StringComparer.Ordinal);
            var sizes = new Dictionary<string, long>(StringComparer.Ordinal);
            foreach (ZipArchiveEntry entry in zip.Entries)
            {
                // Images sit in a folder named img_align_celeba; some mirrors nest it one level deeper.
                string[] parts = entry.FullName.Split('/');
                if (parts.Length >= 2 && parts[^2] == ImageFolderName && IsJpegName(parts[^1]))
                {
                    entries.TryAdd(parts[^1], entry);
                    sizes.TryAdd(parts[^1], entry.Length);
                }
            }

            string? partitionFile = FindPartitionFile(Path.GetDirectoryName(zipPath));
            return Create(zipPath, zip, entries, sizes, partitionFile, name => entries[name].Crc32);
        }
        catch
        {
            zip.Dispose();
            throw;
        }
    }

    private static CelebaSource Create(
        string location,
        ZipArchive? zip,
        Dictionary<string, ZipArchiveEntry> zipEntries,
        Dictionary<string, long> sizes,
        string? partitionFile,
        Func<string, uint> crcOf)
    {
        if (sizes.Count == 0)
        {
            throw new DatasetException($"Data set path '{location}' contains no .jpg images.");
        }

        string[] allNames = [.. sizes.Keys.Order(StringComparer.Ordinal)];
        Dictionary<DataPartition, string[]> partitions = partitionFile is null
            ? new() { [DataPartition.Train] = allNames }
            : AssignPartitions(allNames, ReadPartitionFile(partitionFile));

        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes($"{(zip is null ? "folder" : "zip")}\n{location}\n{allNames.Length}\n"));
        foreach (string name in allNames)
        {
            hash.AppendData(Encoding.UTF8.GetBytes(
                string.Create(CultureInfo.InvariantCulture, $"{name} {sizes[name]} {crcOf(name)}\n")));
        }

        hash.AppendData(Encoding.UTF8.GetBytes($"partition {partitionFile ?? "none"}\n"));
        if (partitionFile is not null)
        {
            hash.AppendData(File.ReadAllBytes(partitionFile));
        }

        string fingerprint = Convert.ToHexStringLower(hash.GetHashAndReset());
        return new CelebaSource(location, zip, zipEntries, sizes, partitionFile, partitions, fingerprint);
    }

    private static string? FindPartitionFile(string? folder)
    {
        if (folder is null)
        {
            return null;
        }

        string candidate = Path.Combine(folder, PartitionFileName);
        return File.Exists(candidate) ? candidate : null;
    }

    private static Dictionary<string, DataPartition> ReadPartitionFile(string partitionFile)
    {
        var assignment = new Dictionary<string, DataPartition>(StringComparer.Ordinal);
        int lineNumber = 0;
        foreach (string line in File.ReadLines(partitionFile))
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            string[] fields = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length != 2)
            {
                throw new DatasetException(
                    $"{partitionFile} line {lineNumber}: expected '<image name> <0|1|2>', found '{line}'.");
            }

            DataPartition partition = fields[1] switch
            {
                "0" => DataPartition.Train,
                "1" => DataPartition.Valid,
                "2" => DataPartition.Test,
                _ => throw new DatasetException(
                    $"{partitionFile} line {lineNumber}: unknown partition '{fields[1]}' (expected 0, 1 or 2)."),
            };

            if (!assignment.TryAdd(fields[0], partition))
            {
                throw new DatasetException($"{partitionFile} line {lineNumber}: '{fields[0]}' is listed twice.");
            }
        }

        return assignment;
    }

    private static Dictionary<DataPartition, string[]> AssignPartitions(
        string[] sortedNames, Dictionary<string, DataPartition> assignment)
    {
        // Listed names without a file are ignored (users delete broken images); files without a line go to Train,
        // the same rule as a data set without a partition file.
        return sortedNames
            .GroupBy(name => assignment.GetValueOrDefault(name, DataPartition.Train))
            .ToDictionary(group => group.Key, group => group.ToArray());
    }

    private static bool IsJpegName(string name) =>
        name.EndsWith(".jpg", StringComparison.OrdinalIgnoreCase) ||
        name.EndsWith(".jpeg", StringComparison.OrdinalIgnoreCase);
}
