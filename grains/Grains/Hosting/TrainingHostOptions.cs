namespace Orleans.Gan.Grains.Hosting;

/// <summary>Where a silo keeps data and runs, and how long a step may take before a worker counts as lost.</summary>
public sealed class TrainingHostOptions
{
    /// <summary>Shard caches and generated synthetic faces.</summary>
    public string DataDirectory { get; set; } = "data";

    /// <summary>One folder per run: checkpoints and faces grids.</summary>
    public string RunsDirectory { get; set; } = "runs";

    /// <summary>The deadline of one phase of one step, across all workers.</summary>
    public TimeSpan StepTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Checkpoints kept per run; older ones are deleted after a newer one is safely written.</summary>
    public int CheckpointsToKeep { get; set; } = 3;
}
