namespace Orleans.Gan.Data;

/// <summary>
/// A shard's preprocessed images where they lie in a file: uint8 CHW images back to back from an offset. Each image is
/// read with one positional read when a batch wants it, so the shard lives in the kernel's page cache, which the
/// silos on a machine share and which the kernel can evict, instead of in each silo's managed heap (all of CelebA's
/// training images at 64 px are 2 GB). A positional read, unlike a memory mapping, turns a file cut short under a
/// running silo into an error that names it instead of a SIGBUS.
/// </summary>
public sealed class ShardPixels : IDisposable
{
    private readonly FileStream _file;
    // Taken once: FileStream.SafeFileHandle flushes and checks the stream's position on every read of the property.
    private readonly Microsoft.Win32.SafeHandles.SafeFileHandle _handle;
    private readonly long _offset;

    /// <param name="file">Open for reading; disposed with this. Only its handle is used, never its position.</param>
    /// <param name="offset">Where the first image starts in <paramref name="file"/>.</param>
    public ShardPixels(FileStream file, long offset, int count, int imageSize)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        _file = file;
        _handle = file.SafeFileHandle;
        _offset = offset;
        Count = count;
        ImageBytes = ShardCache.BytesPerImage(imageSize);
    }

    /// <summary>The file the images are read from, for errors.</summary>
    public string Path => _file.Name;

    public int Count { get; }

    public int ImageBytes { get; }

    /// <summary>Fills <paramref name="destination"/> with the images' bytes from <paramref name="position"/> on (0 is the first image's first byte).</summary>
    public void ReadBytes(long position, Span<byte> destination)
    {
        long filePosition = _offset + position;
        while (!destination.IsEmpty)
        {
            int read = RandomAccess.Read(_handle, destination, filePosition);
            if (read == 0)
                throw new IOException($"{Path} ends at byte {filePosition}: the file was cut short after it was checked. Delete it to have it rebuilt.");
            destination = destination[read..];
            filePosition += read;
        }
    }

    public void Dispose() => _file.Dispose();
}
