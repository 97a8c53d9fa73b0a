using System.Buffers.Binary;
using System.Text;

namespace Orleans.Gan.Grains.Exchange;

/// <summary>
/// The side path's framing, little-endian. A request is the key's length (u16), the key (UTF-8) and the version (i64).
/// The answer is a status byte and a length (i32), then that many bytes: the buffer when the status is
/// <see cref="Found"/>, else a UTF-8 reason. A connection (plain TCP or TLS, see <see cref="BulkTls"/>) carries one
/// request after another.
/// The calls block: both ends move bytes on threads of their own, because a silo's thread pool is often busy with
/// training (each worker's step holds a thread for its whole forward and backward pass), and an asynchronous receive
/// that waits for a pool thread for every chunk took 200 ms instead of 20 for 25 MB on 2 cores.
/// </summary>
public static class BulkWire
{
    public const byte Found = 0;
    public const byte Missing = 1;
    public const int HeaderBytes = 5;
    public const int MaxKeyBytes = 1024;

    public static void WriteRequest(Stream connection, string key, long version)
    {
        int keyBytes = Encoding.UTF8.GetByteCount(key);
        if (keyBytes > MaxKeyBytes)
            throw new ArgumentException($"A bulk key may have at most {MaxKeyBytes} bytes: '{key}'.", nameof(key));
        var request = new byte[2 + keyBytes + 8];
        BinaryPrimitives.WriteUInt16LittleEndian(request, (ushort)keyBytes);
        Encoding.UTF8.GetBytes(key, request.AsSpan(2));
        BinaryPrimitives.WriteInt64LittleEndian(request.AsSpan(2 + keyBytes), version);
        connection.Write(request);
    }

    /// <summary>The next request on a connection, or null when the peer closed it between requests.</summary>
    public static (string Key, long Version)? ReadRequest(Stream connection)
    {
        var length = new byte[2];
        if (!ReadExactly(connection, length, endIsClean: true))
            return null;
        int keyBytes = BinaryPrimitives.ReadUInt16LittleEndian(length);
        if (keyBytes > MaxKeyBytes)
            throw new InvalidDataException($"A bulk request names a key of {keyBytes} bytes; at most {MaxKeyBytes} are allowed.");
        var rest = new byte[keyBytes + 8];
        ReadExactly(connection, rest);
        return (Encoding.UTF8.GetString(rest.AsSpan(0, keyBytes)), BinaryPrimitives.ReadInt64LittleEndian(rest.AsSpan(keyBytes)));
    }

    public static byte[] Header(byte status, int length)
    {
        var header = new byte[HeaderBytes];
        header[0] = status;
        BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(1), length);
        return header;
    }

    public static (byte Status, int Length) ParseHeader(ReadOnlySpan<byte> header) =>
        (header[0], BinaryPrimitives.ReadInt32LittleEndian(header[1..]));

    /// <summary>Fills <paramref name="buffer"/>; false only when <paramref name="endIsClean"/> and the peer closed before the first byte.</summary>
    public static bool ReadExactly(Stream connection, Span<byte> buffer, bool endIsClean = false)
    {
        int read = 0;
        while (read < buffer.Length)
        {
            int n = connection.Read(buffer[read..]);
            if (n == 0)
            {
                if (read == 0 && endIsClean)
                    return false;
                throw new EndOfStreamException($"The connection closed after {read} of {buffer.Length} bytes.");
            }
            read += n;
        }
        return true;
    }
}
