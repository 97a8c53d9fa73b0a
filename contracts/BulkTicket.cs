namespace Orleans.Gan.Contracts;

/// <summary>
/// What a grain call carries instead of a large buffer: enough to fetch it from the silo that offered it, and to check
/// that what arrived is exactly what was offered. Tensors move on the fastest path the silos share, and Orleans'
/// messages carry only this.
/// </summary>
/// <param name="Key">The buffer's name on the offering silo; a newer offer under the same key replaces it.</param>
/// <param name="Version">Which offer under the key (the step); a fetch of a replaced version fails rather than mixing steps.</param>
/// <param name="Length">Bytes offered.</param>
/// <param name="Checksum">XxHash3 of the bytes, verified by a receiver on another silo before it uses them.</param>
/// <param name="Owner">The offering silo's transfer; a receiver on the same silo borrows the buffer itself.</param>
/// <param name="Host">Where the offering silo serves buffers (its side path), or null when the bytes travel in <paramref name="Inline"/>.</param>
/// <param name="Port">The side path's port.</param>
/// <param name="Inline">The bytes themselves, when they travel in Orleans' message (with TLS, where the side path is not used).</param>
[GenerateSerializer, Immutable]
public sealed record BulkTicket(
    [property: Id(0)] string Key,
    [property: Id(1)] long Version,
    [property: Id(2)] int Length,
    [property: Id(3)] ulong Checksum,
    [property: Id(4)] Guid Owner,
    [property: Id(5)] string? Host,
    [property: Id(6)] int Port,
    [property: Id(7)] ReadOnlyMemory<byte> Inline);
