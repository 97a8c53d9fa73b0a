using System.Security.Cryptography;
using System.Text;

namespace Orleans.Gan.Data;

/// <summary>
/// One shard's preprocessed images in a single file, so later runs skip JPEG decoding. Layout (little-endian):
/// magic "OGANCACHE", int32 format version, int32 header length, header (key, image count, skipped files),
/// SHA-256 of the header, int64 payload length, payload (uint8 CHW images back to back), SHA-256 over header and
/// payload. The header's own checksum tells a damaged header from a stale one without reading the payload.
/// </summary>
public sealed class ShardCache
{
    public const int FormatVersion = 1;

    private const int HashLength = 32;
    private const int MaxHeaderLength = 256 * 1024 * 1024;
    private static readonly byte[] Magic = "OGANCACHE"u8.ToArray();

    public ShardCache(ShardCacheKey key, int count, IReadOnlyList<SkippedImage> skipped, byte[] pixels)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(skipped);
        ArgumentNullException.ThrowIfNull(pixels);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (pixels.LongLength != (long)count * BytesPerImage(key.ImageSize))
        {
            throw new ArgumentException(
                $"{pixels.LongLength} bytes do not hold {count} images of {key.ImageSize}x{key.ImageSize}.", nameof(pixels));
        }

        Key = key;
        Count = count;
        Skipped = skipped;
        Pixels = pixels;
    }

    public ShardCacheKey Key { get; }

    /// <summary>Number of images in <see cref="Pixels"/>.</summary>
    public int Count { get; }

    public IReadOnlyList<SkippedImage> Skipped { get; }

    /// <summary>uint8 RGB images in CHW order, back to back.</summary>
    public byte[] Pixels { get; }

    public static int BytesPerImage(int imageSize) => 3 * imageSize * imageSize;

    /// <summary>Writes to a temporary file in the same folder and then renames it, so a crash or a concurrent
    /// reader never sees a half-written cache.</summary>
    public void Write(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        string fullPath = Path.GetFullPath(path);
        string folder = Path.GetDirectoryName(fullPath)!;
        Directory.CreateDirectory(folder);
        string temporary = Path.Combine(folder, $".{Path.GetFileName(fullPath)}.{Guid.NewGuid():N}.tmp");
        try
        {
            byte[] header = EncodeHeader();
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            hash.AppendData(header);
            hash.AppendData(Pixels);
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            using (var writer = new BinaryWriter(stream))
            {
                writer.Write(Magic);
                writer.Write(FormatVersion);
                writer.Write(header.Length);
                writer.Write(header);
                writer.Write(SHA256.HashData(header));
                writer.Write(Pixels.LongLength);
                writer.Write(Pixels);
                writer.Write(hash.GetHashAndReset());
            }

            File.Move(temporary, fullPath, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    /// <summary>Loads a cache file if it exists, matches <paramref name="expected"/> and is intact.</summary>
    public static ShardCacheLoad Load(string path, ShardCacheKey expected)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(expected);
        if (!File.Exists(path))
        {
            return new ShardCacheLoad(ShardCacheStatus.Missing, null, $"cache {path} does not exist");
        }

        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
            using var reader = new BinaryReader(stream);
            if (!reader.ReadBytes(Magic.Length).AsSpan().SequenceEqual(Magic))
            {
                return Corrupt(path, "bad magic");
            }

            int version = reader.ReadInt32();
            if (version != FormatVersion)
            {
                return new ShardCacheLoad(
                    ShardCacheStatus.Stale, null, $"cache {path} has format version {version}, expected {FormatVersion}");
            }

            int headerLength = reader.ReadInt32();
            if (headerLength <= 0 || headerLength > MaxHeaderLength || headerLength > stream.Length - stream.Position)
            {
                return Corrupt(path, $"impossible header length {headerLength}");
            }

            byte[] header = reader.ReadBytes(headerLength);
            if (!SHA256.HashData(header).AsSpan().SequenceEqual(reader.ReadBytes(HashLength)))
            {
                return Corrupt(path, "header checksum mismatch");
            }

            (ShardCacheKey key, int count, List<SkippedImage> skipped) = DecodeHeader(header);
            if (key != expected)
            {
                return new ShardCacheLoad(
                    ShardCacheStatus.Stale, null, $"cache {path} was built from {Describe(key)}, wanted {Describe(expected)}");
            }

            long payloadLength = reader.ReadInt64();
            long expectedLength = (long)count * BytesPerImage(key.ImageSize);
            if (count < 0 || payloadLength != expectedLength
                || stream.Length - stream.Position != payloadLength + HashLength)
            {
                return Corrupt(path, $"file length does not match {count} images (truncated or padded)");
            }

            var pixels = new byte[payloadLength];
            stream.ReadExactly(pixels);
            byte[] storedHash = reader.ReadBytes(HashLength);
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            hash.AppendData(header);
            hash.AppendData(pixels);
            if (!hash.GetHashAndReset().AsSpan().SequenceEqual(storedHash))
            {
                return Corrupt(path, "checksum mismatch");
            }

            return new ShardCacheLoad(ShardCacheStatus.Valid, new ShardCache(key, count, skipped, pixels), $"cache {path} is valid");
        }
        catch (Exception exception) when (exception is EndOfStreamException or IOException or FormatException
                                              or ArgumentException or DecoderFallbackException)
        {
            return Corrupt(path, exception.Message);
        }
    }

    private static ShardCacheLoad Corrupt(string path, string why) =>
        new(ShardCacheStatus.Corrupt, null, $"cache {path} is corrupt: {why}");

    private static string Describe(ShardCacheKey key) =>
        $"{key.Partition} shard {key.ShardIndex}/{key.ShardCount} at {key.ImageSize}px of source {key.SourceFingerprint[..Math.Min(12, key.SourceFingerprint.Length)]}";

    private byte[] EncodeHeader()
    {
        using var buffer = new MemoryStream();
        using (var writer = new BinaryWriter(buffer, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(Key.SourceFingerprint);
            writer.Write((int)Key.Partition);
            writer.Write(Key.ShardIndex);
            writer.Write(Key.ShardCount);
            writer.Write(Key.ImageSize);
            writer.Write(Count);
            writer.Write(Skipped.Count);
            foreach (SkippedImage skip in Skipped)
            {
                writer.Write(skip.Name);
                writer.Write((int)skip.Reason);
                writer.Write(skip.Message);
            }
        }

        return buffer.ToArray();
    }

    private static (ShardCacheKey Key, int Count, List<SkippedImage> Skipped) DecodeHeader(byte[] header)
    {
        using var reader = new BinaryReader(new MemoryStream(header), new UTF8Encoding(false, throwOnInvalidBytes: true));
        var key = new ShardCacheKey(
            reader.ReadString(), (DataPartition)reader.ReadInt32(), reader.ReadInt32(), reader.ReadInt32(), reader.ReadInt32());
        int count = reader.ReadInt32();
        int skippedCount = reader.ReadInt32();
        if (skippedCount < 0 || skippedCount > header.Length)
        {
            throw new FormatException($"impossible skipped-file count {skippedCount}");
        }

        var skipped = new List<SkippedImage>(skippedCount);
        for (int i = 0; i < skippedCount; i++)
        {
            skipped.Add(new SkippedImage(reader.ReadString(), (SkipReason)reader.ReadInt32(), reader.ReadString()));
        }

        if (reader.BaseStream.Position != header.Length)
        {
            throw new FormatException("header has trailing bytes");
        }

        return (key, count, skipped);
    }
}
