using System.Buffers.Binary;

namespace Orleans.Gan.EndToEnd.Tests;

/// <summary>
/// The multi-host set-up on one machine: a real redis-server for membership, two silo processes, and the client
/// binary training with four workers, then sampling faces.
/// </summary>
public sealed class RedisClusterTrainingTests : IAsyncLifetime
{
    private RedisCluster cluster = null!;

    public async Task InitializeAsync() => cluster = await RedisCluster.StartAsync(["silo-a", "silo-b"]);

    [Fact]
    public async Task Two_silos_on_redis_train_four_workers_sample_ten_faces_and_exit_cleanly()
    {
        var train = await cluster.Client("train", "--workers", "4", "--run", "e2e", "--batch-size", "4",
            "--max-steps", "3", "--synthetic-faces", "160", "--sample-every", "2");
        Assert.True(train.ExitCode == 0, train.Output + cluster.SiloLogs());
        Assert.Contains("Completed", train.Output);
        Assert.Contains("step 3 / 3", train.Output);

        var grid = Path.Combine(cluster.Work, "faces.png");
        var sample = await cluster.Client("sample", "--run", "e2e", "--count", "10", "--out", grid);
        Assert.True(sample.ExitCode == 0, sample.Output + cluster.SiloLogs());
        var (width, height) = PngSize(grid);
        // Ten 64-pixel faces in a 4x3 grid with 2-pixel gutters.
        Assert.Equal((4 * 64 + 5 * 2, 3 * 64 + 4 * 2), (width, height));

        var separate = Path.Combine(cluster.Work, "faces");
        var faces = await cluster.Client("sample", "--run", "e2e", "--count", "10", "--out", separate, "--separate");
        Assert.True(faces.ExitCode == 0, faces.Output);
        Assert.Equal(10, Directory.GetFiles(separate, "*.png").Length);

        Assert.All(await cluster.TerminateSilosAsync(), exitCode => Assert.Equal(0, exitCode));
    }

    public Task DisposeAsync()
    {
        cluster.Dispose();
        return Task.CompletedTask;
    }

    private static (int Width, int Height) PngSize(string path)
    {
        var header = File.ReadAllBytes(path)[..24];
        return (BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(16)), BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(20)));
    }
}
