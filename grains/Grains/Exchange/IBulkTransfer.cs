using Orleans.Gan.Contracts;

namespace Orleans.Gan.Grains.Exchange;

/// <summary>
/// Moves a step's large buffers (weights, gradient sums) between silos beside Orleans' messages: the sender offers a
/// buffer and sends the <see cref="BulkTicket"/> in its grain call; the receiver fetches it with the ticket. A receiver
/// on the sender's silo borrows the buffer itself; one on another silo gets a checked copy.
/// </summary>
public interface IBulkTransfer
{
    /// <summary>
    /// Lends <paramref name="data"/> under <paramref name="key"/> until the next offer under the same key or
    /// <see cref="Withdraw"/>: the caller must not change it before then. Returns the ticket that fetches it.
    /// </summary>
    BulkTicket Offer(string key, long version, ReadOnlyMemory<byte> data);

    /// <summary>
    /// The bytes that came into this silo inside the ticket itself, fetched or not: its inline bytes when it came from
    /// another silo on the Orleans route, else 0. For counting what crossed between silos.
    /// </summary>
    long BytesCarriedIn(BulkTicket ticket);

    /// <summary>Stops lending every buffer whose key starts with <paramref name="keyPrefix"/>.</summary>
    void Withdraw(string keyPrefix);

    /// <summary>
    /// The bytes a ticket names, verified against its length and checksum when they came from another silo. Throws
    /// <see cref="BulkTransferException"/> when the offer was replaced or withdrawn, the bytes are damaged or the
    /// offering silo cannot be reached; never waits past <paramref name="cancellation"/>.
    /// </summary>
    ValueTask<BulkData> FetchAsync(BulkTicket ticket, CancellationToken cancellation);
}
