namespace Orleans.Gan.Data;

/// <summary>The outcome of preprocessing one image file: its pixels, or the reason it cannot be used.</summary>
public sealed class PreprocessResult
{
    private PreprocessResult(byte[]? pixels, SkipReason? reason, string message)
    {
        Pixels = pixels;
        Reason = reason;
        Message = message;
    }

    /// <summary>uint8 RGB in CHW order, 3 * size * size bytes; null when the file was rejected.</summary>
    public byte[]? Pixels { get; }

    /// <summary>Null when the file was accepted.</summary>
    public SkipReason? Reason { get; }

    public string Message { get; }

    public bool Succeeded => Pixels is not null;

    public static PreprocessResult Success(byte[] pixels) => new(pixels, null, "ok");

    public static PreprocessResult Failure(SkipReason reason, string message) => new(null, reason, message);
}
