namespace Orleans.Gan.Data;

/// <summary>An image file that was left out of a shard, and why.</summary>
public sealed record SkippedImage(string Name, SkipReason Reason, string Message)
{
    public override string ToString() => $"{Name}: {Reason} ({Message})";
}
