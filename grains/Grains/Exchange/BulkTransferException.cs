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

    /// <summary>A silo that answered, and offers nothing under the key at that version (yet, or any more).</summary>
    public static BulkTransferException NotOffered(string message) => new(message) { IsNotOffered = true };

    /// <summary>Whether the offering silo answered that it has no such offer, rather than being unreachable or sending damaged bytes.</summary>
    [Id(0)]
    public bool IsNotOffered { get; private init; }
}
