namespace Orleans.Gan.Data;

/// <summary>
/// Writes a file so that readers see either the old content or the new, never a part: the bytes go to a temporary
/// file in the same folder, are flushed to disk, and the file is renamed over the target.
/// </summary>
public static class AtomicFile
{
    public static void Write(string path, byte[] content) => Write(path, stream => stream.Write(content));

    public static void Write(string path, Action<Stream> write)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(directory);
        var temporary = Path.Combine(directory, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }
}
