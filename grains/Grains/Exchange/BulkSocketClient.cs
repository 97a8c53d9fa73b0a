using System.Buffers;
using System.Collections.Concurrent;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Orleans.Gan.Contracts;

namespace Orleans.Gan.Grains.Exchange;

/// <summary>
/// Fetches buffers from other silos' <see cref="BulkSocketServer"/>s, into arrays rented from <see cref="BulkData.Pool"/>,
/// over mutual TLS where the cluster has a certificate. Idle connections are kept, one per fetch in flight to each silo,
/// so that a step opens no new connection and makes no new handshake.
/// </summary>
/// <param name="certificate">The cluster's certificate: connections then run mutual TLS with it; null connects in plain TCP.</param>
public sealed class BulkSocketClient(X509Certificate2? certificate) : IDisposable
{
    private readonly ConcurrentDictionary<(string Host, int Port), ConcurrentBag<Stream>> idle = new();

    public async ValueTask<BulkData> FetchAsync(BulkTicket ticket, CancellationToken cancellation)
    {
        var endpoint = (ticket.Host!, ticket.Port);
        var connection = Take(endpoint) ?? await BulkTls.ConnectAsync(ticket.Host!, ticket.Port, certificate, cancellation);
        // A blocking receive ends when its socket closes; that is how the deadline ends a fetch.
        await using var closeOnCancel = cancellation.Register(connection.Dispose);
        try
        {
            var data = await Task.Factory.StartNew(() => Fetch(connection, ticket), cancellation, TaskCreationOptions.LongRunning, TaskScheduler.Default);
            await KeepAsync(closeOnCancel, endpoint, connection, cancellation);
            return data;
        }
        catch (BulkTransferException e) when (e.IsNotOffered)
        {
            // The answer was read whole: the connection is still good for the next request.
            await KeepAsync(closeOnCancel, endpoint, connection, cancellation);
            throw;
        }
        catch (Exception e) when (e is SocketException or IOException or ObjectDisposedException or OperationCanceledException)
        {
            connection.Dispose();
            throw new BulkTransferException(cancellation.IsCancellationRequested
                ? $"Fetching '{ticket.Key}' ({ticket.Length} bytes) from {ticket.Host}:{ticket.Port} did not finish in time."
                : $"Fetching '{ticket.Key}' from {ticket.Host}:{ticket.Port} broke off: {e.Message}", e);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Keeps a connection whose request was answered for the next fetch, once the deadline can no longer close it: a
    /// deadline that passes between the answer and the pool would close a connection another fetch then takes.
    /// </summary>
    private async ValueTask KeepAsync(CancellationTokenRegistration closeOnCancel, (string, int) endpoint, Stream connection, CancellationToken cancellation)
    {
        await closeOnCancel.DisposeAsync();
        if (cancellation.IsCancellationRequested)
            connection.Dispose();
        else
            Return(endpoint, connection);
    }

    /// <summary>One request and its answer, blocking, on a thread of its own (see <see cref="BulkWire"/>).</summary>
    private static BulkData Fetch(Stream connection, BulkTicket ticket)
    {
        BulkWire.WriteRequest(connection, ticket.Key, ticket.Version);
        var header = new byte[BulkWire.HeaderBytes];
        BulkWire.ReadExactly(connection, header);
        var (status, length) = BulkWire.ParseHeader(header);
        if (status != BulkWire.Found)
        {
            var reason = new byte[Math.Clamp(length, 0, 4096)];
            BulkWire.ReadExactly(connection, reason);
            throw BulkTransferException.NotOffered($"{ticket.Host}:{ticket.Port} has {Encoding.UTF8.GetString(reason)}.");
        }
        if (ticket.Length >= 0 && length != ticket.Length)
            throw new BulkTransferException($"{ticket.Host}:{ticket.Port} answered '{ticket.Key}' with {length} bytes, not the {ticket.Length} offered.");
        var array = BulkData.Pool.Rent(length);
        try
        {
            BulkWire.ReadExactly(connection, array.AsSpan(0, length));
            return BulkData.Rented(array, length);
        }
        catch
        {
            BulkData.Pool.Return(array);
            throw;
        }
    }

    public void Dispose()
    {
        foreach (var connections in idle.Values)
        {
            while (connections.TryTake(out var connection))
                connection.Dispose();
        }
    }

    private Stream? Take((string, int) endpoint) =>
        idle.TryGetValue(endpoint, out var connections) && connections.TryTake(out var connection) ? connection : null;

    private void Return((string, int) endpoint, Stream connection) => idle.GetOrAdd(endpoint, _ => []).Add(connection);
}
