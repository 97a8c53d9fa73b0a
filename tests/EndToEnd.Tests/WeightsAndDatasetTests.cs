using System.Security.Cryptography;
using Orleans.Gan.Tests.Shared;

namespace Orleans.Gan.EndToEnd.Tests;

/// <summary>
/// The tutorial's first and last steps through the client binary, with no cluster: CelebA's download against a local
/// HTTP server that misbehaves as mirrors do, and faces from a generator that PyTorch itself saved.
/// </summary>
public sealed class WeightsAndDatasetTests : IDisposable
{
    private readonly string work = Path.Combine(Path.GetTempPath(), "orleans-gan-e2e", Guid.NewGuid().ToString("N"));

    public WeightsAndDatasetTests() => Directory.CreateDirectory(work);

    public void Dispose() => Directory.Delete(work, recursive: true);

    [Fact]
    public async Task Ten_faces_from_a_generator_PyTorch_saved_are_written_as_separate_PNGs_without_a_cluster()
    {
        var saved = PyTorchGenerator.Save(Path.Combine(work, "pytorch"), "dcgan64", 16);
        var faces = Path.Combine(work, "faces");

        var (exitCode, output) = await Client("sample", "--weights", saved.StateDict, "--count", "10", "--out", faces, "--separate");

        Assert.True(exitCode == 0, $"exit code {exitCode}:\n{output}");
        var files = Directory.GetFiles(faces, "*.png").Order().ToList();
        Assert.Equal(10, files.Count);
        Assert.All(files, file => Assert.Equal(64, PngWidth(file)));
    }

    [Fact]
    public async Task A_weights_file_of_another_kind_exits_1_naming_it_and_run_with_weights_exits_2()
    {
        var notes = Path.Combine(work, "notes.pth");
        File.WriteAllText(notes, "not weights");

        var (exitCode, output) = await Client("sample", "--weights", notes, "--out", Path.Combine(work, "grid.png"));
        Assert.True(exitCode == 1, $"exit code {exitCode}:\n{output}");
        Assert.Contains($"{notes} is neither a PyTorch state dict", output);
        Assert.DoesNotContain("   at ", output);

        (exitCode, output) = await Client("sample", "--weights", notes, "--run", "faces", "--out", Path.Combine(work, "grid.png"));
        Assert.True(exitCode == 2, $"exit code {exitCode}:\n{output}");
        Assert.Contains("either --run", output);
    }

    [Fact]
    public async Task When_every_mirror_fails_each_is_named_with_why_and_nothing_is_left_behind()
    {
        using var server = new FileServer([]);
        var output = Path.Combine(work, "celeba");

        var (exitCode, text) = await Client("dataset", "celeba", "--out", output, "--mirrors-only", "--timeout", "2",
            "--source", $"{server.Url}/missing", "--source", $"{server.Url}/broken", "--source", $"{server.Url}/html", "--source", $"{server.Url}/silent");

        Assert.True(exitCode == 1, $"exit code {exitCode}:\n{text}");
        Assert.Contains($"{server.Url}/missing/img_align_celeba.zip: HTTP 404", text);
        Assert.Contains($"{server.Url}/broken/img_align_celeba.zip: HTTP 503", text);
        Assert.Contains($"{server.Url}/html/img_align_celeba.zip: an HTML page instead of img_align_celeba.zip", text);
        Assert.Contains($"{server.Url}/silent/img_align_celeba.zip: no answer within 2 s", text);
        Assert.DoesNotContain("   at ", text);
        Assert.Empty(Directory.GetFiles(output));
    }

    [Fact]
    public async Task A_zip_that_is_not_CelebA_is_kept_as_bad_naming_both_sums_and_a_good_partition_file_is_kept()
    {
        var zip = TestZip.WithOneImage(10_000);
        using var server = new FileServer(new() { ["img_align_celeba.zip"] = zip, ["list_eval_partition.txt"] = "000001.jpg 0\n"u8.ToArray() });
        var output = Path.Combine(work, "celeba");

        var (exitCode, text) = await Client("dataset", "celeba", "--out", output, "--mirrors-only", "--source", $"{server.Url}/good");

        Assert.True(exitCode == 1, $"exit code {exitCode}:\n{text}");
        Assert.Contains($"MD5 {Convert.ToHexStringLower(MD5.HashData(zip))}, not the published 00d2c5bc6d35e252742224ab0c1e8fcb", text);
        Assert.Equal(zip, File.ReadAllBytes(Path.Combine(output, "img_align_celeba.zip.bad")));
        Assert.False(File.Exists(Path.Combine(output, "img_align_celeba.zip")));
        Assert.False(File.Exists(Path.Combine(output, "img_align_celeba.zip.part")));
    }

    private static int PngWidth(string file) => System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(File.ReadAllBytes(file).AsSpan(16));

    private Task<(int ExitCode, string Output)> Client(params string[] arguments) =>
        ChildProcess.Run("dotnet", [Binaries.Client, .. arguments], work, TimeSpan.FromMinutes(2));
}
