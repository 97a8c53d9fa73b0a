using System.Buffers;

namespace Orleans.Gan.Grains.Exchange;

/// <summary>
/// Fetched bytes. Disposing gives a pooled receive buffer back, so that a step's buffers are reused rather than
/// allocated anew; a buffer borrowed from this silo's own offers is only let go of.
/// </summary>
public sealed class BulkData : IDisposable
{
    /// <summary>
    /// Receive buffers. Not ArrayPool.Shared: it keeps a returned array in the returning thread's own slot first, and
    /// fetches run on threads of their own, so every fetch of 25 MB missed the pool and allocated again, and the
    /// garbage collector paused the silo for those arrays (a fetch took 130 to 190 ms instead of 20). This pool's
    /// buckets are shared by every thread.
    /// </summary>
    public static ArrayPool<byte> Pool { get; } = ArrayPool<byte>.Create(maxArrayLength: 1 << 30, maxArraysPerBucket: 16);

    private byte[]? pooled;

    private BulkData(ReadOnlyMemory<byte> memory, byte[]? pooled) => (Memory, this.pooled) = (memory, pooled);

    public ReadOnlyMemory<byte> Memory { get; private set; }

    /// <summary>A buffer offered on this silo, here by reference.</summary>
    public static BulkData Borrowed(ReadOnlyMemory<byte> memory) => new(memory, null);

    /// <summary>Bytes that arrived inside an Orleans message, which made them this silo's own copy.</summary>
    public static BulkData Arrived(ReadOnlyMemory<byte> memory) => new(memory, null);

    /// <summary>The first <paramref name="length"/> bytes of an array rented from <see cref="Pool"/>, returned on dispose.</summary>
    public static BulkData Rented(byte[] array, int length) => new(array.AsMemory(0, length), array);

    public void Dispose()
    {
        if (pooled is not null)
            Pool.Return(pooled);
        (pooled, Memory) = (null, ReadOnlyMemory<byte>.Empty);
    }
}
