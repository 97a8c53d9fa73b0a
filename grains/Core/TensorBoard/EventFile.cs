using System.Buffers.Binary;
using Google.Protobuf;
using Tensorboard;
using TorchSharp.Utils;

namespace Orleans.Gan.Core.TensorBoard;

/// <summary>
/// One TensorBoard event file, appended to as the run goes: TFRecord framing around each <see cref="Event"/>, that is
/// its length (8 bytes, little-endian), the masked CRC32C of those 8 bytes, the event, and the masked CRC32C of the
/// event. The messages are TensorBoard's own, as generated into TorchSharp; only this framing is ours, because
/// TorchSharp's <c>SummaryWriter</c> cannot write an image on Linux (it encodes with SkiaSharp, whose native library
/// TorchSharp does not bring there) and writes its first event's time in .NET ticks, which TensorBoard reads as seconds.
/// </summary>
public sealed class EventFile : IDisposable
{
    private const int HeaderBytes = 12, FooterBytes = 4;
    private readonly FileStream stream;

    private EventFile(FileStream stream) => this.stream = stream;

    public string Path => stream.Name;

    /// <summary>
    /// A new file in <paramref name="folder"/>, named as TensorBoard looks for them, starting with the version event.
    /// Every writer gets a file of its own, so a coordinator that moves appends beside its predecessor's file.
    /// </summary>
    public static EventFile Create(string folder)
    {
        Directory.CreateDirectory(folder);
        var now = DateTimeOffset.UtcNow;
        // Seconds first, as TensorBoard sorts the files of a folder by name; the ticks keep two writers of a second apart.
        string name = $"events.out.tfevents.{now.ToUnixTimeSeconds():D10}.{Environment.MachineName}.{Environment.ProcessId}.{now.Ticks % 10_000_000:D7}";
        var file = new EventFile(new FileStream(System.IO.Path.Combine(folder, name), FileMode.CreateNew, FileAccess.Write, FileShare.Read, bufferSize: 0));
        file.Append(new Event { WallTime = WallTime(now), FileVersion = "brain.Event:2" });
        return file;
    }

    /// <summary>
    /// Appends one record in one write to the OS (the stream keeps no buffer), so that a killed silo leaves every event
    /// it wrote, and a failed write leaves nothing behind to fail again.
    /// </summary>
    public void Append(Event entry)
    {
        var body = entry.ToByteArray();
        var record = new byte[HeaderBytes + body.Length + FooterBytes];
        var header = record.AsSpan(0, HeaderBytes);
        BinaryPrimitives.WriteUInt64LittleEndian(header, (ulong)body.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(header[8..], MaskedCrc(record[..8]));
        body.CopyTo(record, HeaderBytes);
        BinaryPrimitives.WriteUInt32LittleEndian(record.AsSpan(HeaderBytes + body.Length), MaskedCrc(body));
        stream.Write(record);
    }

    /// <summary>
    /// The events of a file, in order, up to its end or to the first record that is cut short or fails a check (the
    /// last write of a killed writer): what TensorBoard would read of it.
    /// </summary>
    public static IEnumerable<Event> Read(string path)
    {
        using var input = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        var header = new byte[HeaderBytes];
        var footer = new byte[FooterBytes];
        while (input.ReadAtLeast(header, HeaderBytes, throwOnEndOfStream: false) == HeaderBytes)
        {
            ulong length = BinaryPrimitives.ReadUInt64LittleEndian(header);
            if (BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(8)) != MaskedCrc(header[..8]) || length > (ulong)(input.Length - input.Position))
                yield break;
            var body = new byte[length];
            if (input.ReadAtLeast(body, body.Length, throwOnEndOfStream: false) != body.Length
                || input.ReadAtLeast(footer, FooterBytes, throwOnEndOfStream: false) != FooterBytes
                || BinaryPrimitives.ReadUInt32LittleEndian(footer) != MaskedCrc(body))
                yield break;
            yield return Event.Parser.ParseFrom(body);
        }
    }

    /// <summary>Seconds since 1970 with their fraction, as TensorBoard's <c>wall_time</c>.</summary>
    public static double WallTime(DateTimeOffset time) => time.ToUnixTimeMilliseconds() / 1000.0;

    // TFRecord's masking: CRC32C rotated right by 15 bits plus a constant, so that a CRC of data holding CRCs stays strong.
    private static uint MaskedCrc(byte[] data)
    {
        uint crc = CRC32C.process(data);
        return ((crc >> 15) | (crc << 17)) + 0xa282ead8u;
    }

    public void Dispose() => stream.Dispose();
}
