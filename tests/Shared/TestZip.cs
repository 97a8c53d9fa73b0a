using System.IO.Compression;
using System.Security.Cryptography;

namespace Orleans.Gan.Tests.Shared;

/// <summary>Small zips for the download tests, laid out as CelebA's archive is.</summary>
internal static class TestZip
{
    /// <summary>One stored (uncompressed) entry, img_align_celeba/000001.jpg, of <paramref name="bytes"/> random bytes.</summary>
    public static byte[] WithOneImage(int bytes)
    {
        using var stream = new MemoryStream();
        using (var archive = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true))
        {
            using var entry = archive.CreateEntry("img_align_celeba/000001.jpg", CompressionLevel.NoCompression).Open();
            entry.Write(RandomNumberGenerator.GetBytes(bytes));
        }
        return stream.ToArray();
    }
}
