using System.Buffers.Binary;

namespace Orleans.Gan.EndToEnd.Tests;

/// <summary>
/// The multi-host set-up on one machine: a real redis-server for membership, two silo processes, and the client
/// binary training with four workers, then sampling faces.
/// </summary>
public sealed class RedisClusterTrainingTests : IDisposable
{
    private readonly string work = Path.Combine(Path.GetTempPath(), "orleans-gan-e2e", Guid.NewGuid().ToString("N"));
    private RedisCluster? redisCluster;

    [Fact]
    public async Task Two_silos_on_redis_train_four_workers_sample_ten_faces_and_exit_cleanly()
    {
        redisCluster = await RedisCluster.StartAsync(work, "silo-a", "silo-b");
        var silos = redisCluster.Silos.Values.Select(s => s.Process).ToList();
        var cluster = redisCluster.ClientArguments;
        var train = await ChildProcess.Run("dotnet", [Binaries.Client, "train", "--workers", "4", "--run", "e2e", "--batch-size", "4",
            "--max-steps", "3", "--synthetic-faces", "160", "--sample-every", "2", .. cluster], work, TimeSpan.FromMinutes(5));
        Assert.True(train.ExitCode == 0, train.Output + redisCluster.Logs);
        Assert.Contains("Completed", train.Output);
        Assert.Contains("step 3 / 3", train.Output);

        var grid = Path.Combine(work, "faces.png");
        var sample = await ChildProcess.Run("dotnet", [Binaries.Client, "sample", "--run", "e2e", "--count", "10", "--out", grid, .. cluster],
            work, TimeSpan.FromMinutes(2));
        Assert.True(sample.ExitCode == 0, sample.Output + redisCluster.Logs);
        var (width, height) = PngSize(grid);
        // Ten 64-pixel faces in a 4x3 grid with 2-pixel gutters.
        Assert.Equal((4 * 64 + 5 * 2, 3 * 64 + 4 * 2), (width, height));

        var separate = Path.Combine(work, "faces");
        var faces = await ChildProcess.Run("dotnet", [Binaries.Client, "sample", "--run", "e2e", "--count", "10", "--out", separate, "--separate", .. cluster],
            work, TimeSpan.FromMinutes(2));
        Assert.True(faces.ExitCode == 0, faces.Output);
        Assert.Equal(10, Directory.GetFiles(separate, "*.png").Length);

        foreach (var silo in silos)
        {
            var exitCode = await silo.Terminate(TimeSpan.FromSeconds(60));
            Assert.True(exitCode == 0, $"A silo exited with {exitCode} on SIGTERM:\n{silo.Output}");
        }
    }

    public void Dispose() => redisCluster?.Dispose();

    private static (int Width, int Height) PngSize(string path)
    {
        var header = File.ReadAllBytes(path)[..24];
        return (BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(16)), BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(20)));
    }
}
