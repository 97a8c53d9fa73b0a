namespace Orleans.Gan.Grains.Exchange;

/// <summary>A buffer could not be fetched as offered: replaced, withdrawn, damaged on the way, or its silo unreachable.</summary>
[GenerateSerializer]
public sealed class BulkTransferException : Exception
{
    public BulkTransferException(string message) : base(message)
    {
    }

    public BulkTransferException(string message, Exception inner) : base(message, inner)
    {
    }
}
