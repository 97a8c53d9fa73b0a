using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Orleans.Gan.Bench.Measurement;

namespace Orleans.Gan.Bench.Exchange;

/// <summary>
/// One TCP connection over 127.0.0.1, as between two silos on this machine: the time until the receiver has read
/// every byte the sender wrote, in 1 MB writes. The ceiling of any exchange between local silos.
/// </summary>
public static class LoopbackTcpBandwidth
{
    public const int Bytes = 64 * 1024 * 1024;
    private const int Chunk = 1024 * 1024;

    public static async Task<Timings> MeasureAsync(int repeats)
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        using var sender = new TcpClient { NoDelay = true };
        var accepting = listener.AcceptTcpClientAsync();
        await sender.ConnectAsync(IPAddress.Loopback, ((IPEndPoint)listener.LocalEndpoint).Port);
        using var receiver = await accepting;
        var outgoing = sender.GetStream();
        var incoming = receiver.GetStream();
        var payload = new byte[Chunk];
        Random.Shared.NextBytes(payload);
        var inbox = new byte[Chunk];

        var seconds = new List<double>();
        for (int i = 0; i < repeats + 1; i++)
        {
            long started = Stopwatch.GetTimestamp();
            var reading = ReadAsync(incoming, inbox, Bytes);
            for (int sent = 0; sent < Bytes; sent += Chunk)
                await outgoing.WriteAsync(payload);
            await reading;
            if (i > 0)
                seconds.Add(Stopwatch.GetElapsedTime(started).TotalSeconds);
        }
        return new Timings(seconds);
    }

    private static async Task ReadAsync(NetworkStream stream, byte[] buffer, int bytes)
    {
        for (int read = 0; read < bytes;)
        {
            int n = await stream.ReadAsync(buffer);
            if (n == 0)
                throw new EndOfStreamException("The loopback connection closed early.");
            read += n;
        }
    }
}
