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
    /// As <see cref="Offer"/>, for receivers on this silo only (the exchange of a one-silo run): the buffer is not
    /// checksummed, since it never leaves the silo, and another silo that asks for it is told so.
    /// </summary>
    BulkTicket OfferOnThisSilo(string key, long version, ReadOnlyMemory<byte> data);

    /// <summary>
    /// The bytes that came into this silo inside the ticket itself, fetched or not: its inline bytes when it came from
    /// another silo on the Orleans route, else 0. For counting what crossed between silos.
    /// </summary>
    long BytesCarriedIn(BulkTicket ticket);

    /// <summary>
    /// Completes when the offer under <paramref name="key"/> at <paramref name="version"/> has been fetched once, by any
    /// silo; throws <see cref="InvalidOperationException"/> when there is no such offer.
    /// </summary>
    Task WhenFetchedAsync(string key, long version);

    /// <summary>Stops lending every buffer whose key starts with <paramref name="keyPrefix"/>.</summary>
    void Withdraw(string keyPrefix);

    /// <summary>
    /// The bytes a ticket names, verified against its length and checksum when they came from another silo (a ticket
    /// made by name, <see cref="ByName"/>, leaves that to the bytes themselves). Throws
    /// <see cref="BulkTransferException"/> when the offer was replaced or withdrawn, the bytes are damaged or the
    /// offering silo cannot be reached; never waits past <paramref name="cancellation"/>.
    /// </summary>
    ValueTask<BulkData> FetchAsync(BulkTicket ticket, CancellationToken cancellation);

    /// <summary>
    /// A ticket for what the silo that <paramref name="anyTicketOfIt"/> came from offers under <paramref name="key"/>
    /// at <paramref name="version"/>, for a buffer no grain call told the checksum of: one that carries its own (a
    /// stopping stage's snapshot). Its length is -1: any length is taken.
    /// </summary>
    public static BulkTicket ByName(BulkTicket anyTicketOfIt, string key, long version) =>
        anyTicketOfIt with { Key = key, Version = version, Length = -1, Checksum = 0, Inline = ReadOnlyMemory<byte>.Empty };
}
