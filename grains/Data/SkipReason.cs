namespace Orleans.Gan.Data;

/// <summary>Why an image file was left out of a shard.</summary>
public enum SkipReason
{
    EmptyFile,
    NotJpeg,
    TooLarge,
    Truncated,
    Undecodable,
    Unreadable,
}
