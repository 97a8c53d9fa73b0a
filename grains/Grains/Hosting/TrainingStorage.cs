namespace Orleans.Gan.Grains.Hosting;

/// <summary>The grain storage that runs' records and the run catalog live in: Redis across hosts, files on one machine.</summary>
public static class TrainingStorage
{
    public const string Name = "runs";
}
