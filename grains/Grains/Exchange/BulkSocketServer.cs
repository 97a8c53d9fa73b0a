using System.Net;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Microsoft.Extensions.Logging;

namespace Orleans.Gan.Grains.Exchange;

/// <summary>
/// Serves this silo's offered buffers to other silos on a TCP port of its own (<see cref="BulkWire"/>), over mutual
/// TLS where the cluster has a certificate (<see cref="BulkTls"/>): each answer is written straight from the offering
/// grain's buffer, with no copy in between. Each connection is served on a thread of its own (a silo has one per other
/// silo fetching at once).
/// </summary>
public sealed class BulkSocketServer : IAsyncDisposable
{
    private readonly Socket listener;
    private readonly Func<string, long, ReadOnlyMemory<byte>?> lookUp;
    private readonly X509Certificate2? certificate;
    private readonly ILogger logger;
    private readonly CancellationTokenSource stopping = new();
    private readonly Task accepting;

    /// <param name="lookUp">The buffer offered under a key at a version, or null when there is none.</param>
    /// <param name="certificate">The cluster's certificate: connections then run mutual TLS with it; null serves plain TCP.</param>
    public BulkSocketServer(IPEndPoint endpoint, Func<string, long, ReadOnlyMemory<byte>?> lookUp, X509Certificate2? certificate, ILogger logger)
    {
        this.lookUp = lookUp;
        this.certificate = certificate;
        this.logger = logger;
        listener = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            listener.Bind(endpoint);
            listener.Listen();
        }
        catch (SocketException e)
        {
            listener.Dispose();
            throw new InvalidOperationException($"The bulk transfer cannot listen on {endpoint} (--bulk-port): {e.Message}", e);
        }
        Port = ((IPEndPoint)listener.LocalEndPoint!).Port;
        accepting = AcceptAsync();
    }

    public int Port { get; }

    public async ValueTask DisposeAsync()
    {
        if (stopping.IsCancellationRequested)
            return;
        await stopping.CancelAsync();
        listener.Dispose();
        await accepting.ContinueWith(_ => { }, TaskScheduler.Default);
    }

    private async Task AcceptAsync()
    {
        while (!stopping.IsCancellationRequested)
        {
            Socket connection;
            try
            {
                connection = await listener.AcceptAsync(stopping.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }
            connection.NoDelay = true;
            new Thread(() => Serve(connection)) { IsBackground = true, Name = "bulk transfer" }.Start();
        }
    }

    private void Serve(Socket connection)
    {
        using (connection)
        {
            // Closing the connection is what ends a blocking receive when the silo stops.
            using var closeOnStop = stopping.Token.Register(connection.Dispose);
            var peer = connection.RemoteEndPoint;
            try
            {
                using var stream = BulkTls.Accept(connection, certificate);
                while (BulkWire.ReadRequest(stream) is { } request)
                {
                    if (lookUp(request.Key, request.Version) is { } data)
                    {
                        stream.Write(BulkWire.Header(BulkWire.Found, data.Length));
                        stream.Write(data.Span);
                    }
                    else
                    {
                        var reason = Encoding.UTF8.GetBytes($"nothing is offered under '{request.Key}' at version {request.Version}");
                        stream.Write(BulkWire.Header(BulkWire.Missing, reason.Length));
                        stream.Write(reason);
                    }
                }
            }
            catch (AuthenticationException e)
            {
                logger.LogWarning("Refused a bulk connection from {Peer}: it did not complete TLS with the cluster's certificate ({Reason})", peer, e.Message);
            }
            catch (Exception e) when (e is SocketException or IOException or InvalidDataException or ObjectDisposedException)
            {
                // A receiver that went away mid-answer retries elsewhere, and a stopping silo closes every connection;
                // nothing here to clean up but the connection.
                logger.LogDebug(e, "Bulk connection ended");
            }
        }
    }
}
