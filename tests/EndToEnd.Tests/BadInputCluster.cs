namespace Orleans.Gan.EndToEnd.Tests;

/// <summary>
/// One silo on Redis for the bad-input tests, and a finished two-step run whose checkpoints each test copies under a
/// name of its own before damaging them.
/// </summary>
public sealed class BadInputCluster : IAsyncLifetime
{
    public const string Template = "template";

    /// <summary>One worker, tiny batches: the quickest run that writes checkpoints at steps 1 and 2.</summary>
    public static readonly string[] TinyRun =
        ["--workers", "1", "--batch-size", "2", "--synthetic-faces", "44", "--checkpoint-every", "1", "--sample-every", "0"];

    internal RedisCluster Cluster { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Cluster = await RedisCluster.StartAsync(Path.Combine(Path.GetTempPath(), "orleans-gan-e2e", Guid.NewGuid().ToString("N")), "silo-a");
        var template = await Cluster.Client(["train", "--run", Template, "--max-steps", "2", .. TinyRun]);
        if (template.ExitCode != 0)
            throw new InvalidOperationException($"The template run failed:\n{template.Output}{Cluster.Logs}");
    }

    public string CheckpointsOf(string run) => Path.Combine(Cluster.RunsDirectory, run, "checkpoints");

    public string Checkpoint(string run, long step) => Path.Combine(CheckpointsOf(run), $"step-{step:D8}.safetensors");

    /// <summary>A run of its own with the template's checkpoints; its coordinator has never been active.</summary>
    public void CopyTemplateTo(string run)
    {
        Directory.CreateDirectory(CheckpointsOf(run));
        foreach (var file in Directory.GetFiles(CheckpointsOf(Template)))
            File.Copy(file, Path.Combine(CheckpointsOf(run), Path.GetFileName(file)));
    }

    public Task DisposeAsync()
    {
        Cluster.Dispose();
        return Task.CompletedTask;
    }
}
