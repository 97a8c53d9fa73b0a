using System.Security.Cryptography;
using System.Text;

namespace Orleans.Gan.Data;

/// <summary>
/// One shard's preprocessed images in a single file, so later runs skip JPEG decoding. Layout (little-endian):
/// magic "OGANCACHE", int32 format version, int32 header length, header (key, image count, skipped files),
/// SHA-256 of the header, int64 payload length, payload (uint8 CHW images back to back), SHA-256 over header and
/// payload. The header's own checksum tells a damaged header from a stale one without reading the payload. A loaded
/// cache keeps its file open and reads images from it (<see cref="ShardPixels"/>): the payload is never held in memory.
/// </summary>
public sealed class ShardCache : IDisposable
{
    public const int FormatVersion = 1;

    private const int HashLength = 32;
    private const int MaxHeaderLength = 256 * 1024 * 1024;
    private const int CopyBufferBytes = 1 << 20;
    private static readonly byte[] Magic = "OGANCACHE"u8.ToArray();

    /// <param name="pixels">Owned by the cache from here on.</param>
    public ShardCache(ShardCacheKey key, IReadOnlyList<SkippedImage> skipped, ShardPixels pixels)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(skipped);
        ArgumentNullException.ThrowIfNull(pixels);
        if (pixels.ImageBytes != BytesPerImage(key.ImageSize))
            throw new ArgumentException($"{pixels.Path} holds images of {pixels.ImageBytes} bytes, not {key.ImageSize}x{key.ImageSize}.", nameof(pixels));
        Key = key;
        Skipped = skipped;
        Pixels = pixels;
    }

    public ShardCacheKey Key { get; }

    /// <summary>Number of images in <see cref="Pixels"/>.</summary>
    public int Count => Pixels.Count;

    public IReadOnlyList<SkippedImage> Skipped { get; }

    /// <summary>uint8 RGB images in CHW order, read from the file when asked for.</summary>
    public ShardPixels Pixels { get; }

    public static int BytesPerImage(int imageSize) => 3 * imageSize * imageSize;

    /// <summary>
    /// Writes this cache's key, skipped files and images to <paramref name="path"/>, copying the images a megabyte at a
    /// time, atomically (<see cref="AtomicFile"/>): a crash or a concurrent reader never sees a half-written cache.
    /// </summary>
    public void Write(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        byte[] header = EncodeHeader(Key, Count, Skipped);
        long payloadLength = (long)Count * Pixels.ImageBytes;
        AtomicFile.Write(path, stream =>
        {
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            hash.AppendData(header);
            using (var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true))
            {
                writer.Write(Magic);
                writer.Write(FormatVersion);
                writer.Write(header.Length);
                writer.Write(header);
                writer.Write(SHA256.HashData(header));
                writer.Write(payloadLength);
            }

            StreamImages(Pixels, hash, stream);
            stream.Write(hash.GetHashAndReset());
        });
    }

    /// <summary>
    /// Opens a cache file if it exists, matches <paramref name="expected"/> and is intact; the cache returned keeps the
    /// file open. The checksum is computed as the payload streams past, so memory holds one megabyte of it at a time.
    /// </summary>
    public static ShardCacheLoad Load(string path, ShardCacheKey expected)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(expected);
        if (!File.Exists(path))
        {
            return new ShardCacheLoad(ShardCacheStatus.Missing, null, $"cache {path} does not exist");
        }

        FileStream? stream = null;
        try
        {
            stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
            using var reader = new BinaryReader(stream, Encoding.UTF8, leaveOpen: true);
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

            // The images are read where they lie, as they will be served; the stream only reads the stored hash after them.
            long payloadOffset = stream.Position;
            var pixels = new ShardPixels(stream, payloadOffset, count, key.ImageSize);
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            hash.AppendData(header);
            StreamImages(pixels, hash, destination: null);
            stream.Position = payloadOffset + payloadLength;
            if (!hash.GetHashAndReset().AsSpan().SequenceEqual(reader.ReadBytes(HashLength)))
            {
                return Corrupt(path, "checksum mismatch");
            }

            var cache = new ShardCache(key, skipped, pixels);
            stream = null;
            return new ShardCacheLoad(ShardCacheStatus.Valid, cache, $"cache {path} is valid");
        }
        catch (Exception exception) when (exception is EndOfStreamException or IOException or FormatException
                                              or ArgumentException or DecoderFallbackException)
        {
            return Corrupt(path, exception.Message);
        }
        finally
        {
            stream?.Dispose();
        }
    }

    public void Dispose() => Pixels.Dispose();

    /// <summary>
    /// Reads every image of <paramref name="pixels"/> from its file a megabyte at a time into <paramref name="hash"/>,
    /// and on into <paramref name="destination"/> where one is given: the checksum on loading and on writing.
    /// </summary>
    private static void StreamImages(ShardPixels pixels, IncrementalHash hash, Stream? destination)
    {
        long length = (long)pixels.Count * pixels.ImageBytes;
        var buffer = new byte[(int)Math.Min(CopyBufferBytes, length)];
        for (long position = 0; position < length; position += buffer.Length)
        {
            var chunk = buffer.AsSpan(0, (int)Math.Min(buffer.Length, length - position));
            pixels.ReadBytes(position, chunk);
            hash.AppendData(chunk);
            destination?.Write(chunk);
        }
    }

    private static ShardCacheLoad Corrupt(string path, string why) =>
        new(ShardCacheStatus.Corrupt, null, $"cache {path} is corrupt: {why}");

    private static string Describe(ShardCacheKey key) =>
        $"{key.Partition} shard {key.ShardIndex}/{key.ShardCount} at {key.ImageSize}px of source {key.SourceFingerprint[..Math.Min(12, key.SourceFingerprint.Length)]}";

    private static byte[] EncodeHeader(ShardCacheKey key, int count, IReadOnlyList<SkippedImage> skipped)
    {
        using var buffer = new MemoryStream();
        using (var writer = new BinaryWriter(buffer, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(key.SourceFingerprint);
            writer.Write((int)key.Partition);
            writer.Write(key.ShardIndex);
            writer.Write(key.ShardCount);
            writer.Write(key.ImageSize);
            writer.Write(count);
            writer.Write(skipped.Count);
            foreach (SkippedImage skip in skipped)
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
