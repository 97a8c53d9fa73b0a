namespace Orleans.Gan.Contracts;

[GenerateSerializer]
public enum RunPhase
{
    /// <summary>The coordinator knows no such run.</summary>
    Unknown,

    /// <summary>Workers are being placed and data shards preprocessed.</summary>
    Preparing,

    Training,
    Completed,
    Stopped,
    Failed,
}
