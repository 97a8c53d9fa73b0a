using System.Diagnostics;
using System.Security.Cryptography;
using Orleans.Gan.Data.Download;
using Orleans.Gan.Tests.Shared;

namespace Orleans.Gan.Core.Tests.Data;

/// <summary>
/// Downloads against a local HTTP server serving a small zip the test makes: verified and renamed, resumed with a
/// Range request after a cut, never fetched twice, and a full disk named with the part kept.
/// </summary>
public sealed class VerifiedDownloadTests
{
    private static readonly TimeSpan Idle = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task A_file_is_verified_then_renamed_and_a_file_already_there_is_not_fetched_again()
    {
        var (zip, expected) = SmallZip();
        using var server = new FileServer(new() { ["faces.zip"] = zip });
        using var folder = new TempFolder();
        using var http = new HttpClient();
        var download = new VerifiedDownload(http, Idle);

        var from = await download.FetchAsync(expected, folder.Path, [new Uri($"{server.Url}/missing/faces.zip"), new Uri($"{server.Url}/good/faces.zip")], null, default);

        Assert.Equal($"{server.Url}/good/faces.zip", from!.ToString());
        Assert.Equal(zip, File.ReadAllBytes(folder.Combine("faces.zip")));
        Assert.False(File.Exists(folder.Combine("faces.zip.part")));
        int requests = server.Requests.Count;
        Assert.Null(await download.FetchAsync(expected, folder.Path, [new Uri($"{server.Url}/good/faces.zip")], null, default));
        Assert.Equal(requests, server.Requests.Count);
    }

    [Fact]
    public async Task A_cut_download_keeps_its_part_and_the_next_source_resumes_it_with_a_range_request()
    {
        var (zip, expected) = SmallZip();
        using var server = new FileServer(new() { ["faces.zip"] = zip });
        using var folder = new TempFolder();
        using var http = new HttpClient();
        var progress = new List<DownloadProgress>();

        var from = await new VerifiedDownload(http, Idle).FetchAsync(expected, folder.Path,
            [new Uri($"{server.Url}/cut/faces.zip"), new Uri($"{server.Url}/good/faces.zip")], new Recorder(progress), default);

        Assert.EndsWith("/good/faces.zip", from!.ToString());
        Assert.Equal(zip, File.ReadAllBytes(folder.Combine("faces.zip")));
        Assert.Contains($"/good/faces.zip range=bytes={zip.Length / 2}-", server.Requests);
        Assert.Equal(zip.Length, progress[^1].Bytes);
        Assert.Equal(zip.Length, progress[^1].Total);
    }

    [Fact]
    public async Task A_full_disk_is_named_as_such_and_the_part_is_kept_to_resume()
    {
        var bytes = RandomNumberGenerator.GetBytes(400_000);
        var expected = new ExpectedFile("big.bin", Convert.ToHexStringLower(MD5.HashData(bytes)), IsZip: false);
        using var server = new FileServer(new() { ["big.bin"] = bytes });
        using var folder = new TempFolder();
        using var disk = TinyDisk.Mount(folder.Combine("disk"), kilobytes: 256);
        using var http = new HttpClient();
        var download = new VerifiedDownload(http, Idle);

        // Told the size, it stops before writing; not told (chunked), it stops when the disk fills.
        var known = await Assert.ThrowsAsync<DownloadException>(() => download.FetchAsync(expected, disk.Path, [new Uri($"{server.Url}/good/big.bin")], null, default));
        Assert.Contains($"the disk holding {disk.Path} has", known.Message);
        Assert.Contains("400,000 are needed", known.Message);
        var found = await Assert.ThrowsAsync<DownloadException>(() => download.FetchAsync(expected, disk.Path, [new Uri($"{server.Url}/chunked/big.bin")], null, default));
        Assert.Contains($"the disk holding {disk.Path} is full after", found.Message);
        Assert.True(new FileInfo(Path.Combine(disk.Path, "big.bin.part")).Length > 0, "the part is kept to resume from");
    }

    private static (byte[] Zip, ExpectedFile Expected) SmallZip()
    {
        var zip = TestZip.WithOneImage(50_000);
        return (zip, new ExpectedFile("faces.zip", Convert.ToHexStringLower(MD5.HashData(zip)), IsZip: true));
    }

    private sealed class Recorder(List<DownloadProgress> seen) : IProgress<DownloadProgress>
    {
        public void Report(DownloadProgress value) => seen.Add(value);
    }

    /// <summary>A tmpfs of a given size, so that a disk really fills; the tests run as root, as CI does.</summary>
    private sealed class TinyDisk : IDisposable
    {
        private TinyDisk(string path) => Path = path;

        public string Path { get; }

        public static TinyDisk Mount(string path, int kilobytes)
        {
            Directory.CreateDirectory(path);
            var (code, output) = Run("mount", "-t", "tmpfs", "-o", $"size={kilobytes}k", "tmpfs", path);
            Assert.True(code == 0, $"mount -t tmpfs failed ({code}): {output}. The full-disk test mounts a small tmpfs and needs root, as CI has.");
            return new TinyDisk(path);
        }

        public void Dispose() => Run("umount", Path);

        private static (int Code, string Output) Run(string file, params string[] arguments)
        {
            var start = new ProcessStartInfo(file) { RedirectStandardError = true, RedirectStandardOutput = true };
            foreach (var argument in arguments)
                start.ArgumentList.Add(argument);
            using var process = Process.Start(start)!;
            string output = process.StandardError.ReadToEnd() + process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            return (process.ExitCode, output);
        }
    }
}
