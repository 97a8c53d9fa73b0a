using System.Collections.Concurrent;
using System.IO.Hashing;
using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Gan.Contracts;
using Orleans.Gan.Grains.Hosting;

namespace Orleans.Gan.Grains.Exchange;

/// <summary>
/// This silo's <see cref="IBulkTransfer"/>: the buffers its grains offer, lent by reference to receivers on this silo
/// and, for other silos, served on the side path (<see cref="BulkRoute.Socket"/>) or carried in the ticket itself
/// (<see cref="BulkRoute.Orleans"/>). Every offer is checksummed once; every copy that arrives from elsewhere is checked.
/// </summary>
public sealed class BulkTransfer : IBulkTransfer, IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, Offered> offers = new();
    private readonly Guid id = Guid.NewGuid();
    private readonly BulkRoute route;
    private readonly string host;
    private readonly BulkSocketServer? server;
    private readonly BulkSocketClient client;

    public BulkTransfer(IOptions<TrainingHostOptions> options, ILogger<BulkTransfer> logger)
    {
        var settings = options.Value;
        route = settings.BulkRoute;
        host = settings.BulkAddress;
        client = new BulkSocketClient(settings.ClusterCertificate);
        if (route == BulkRoute.Socket)
        {
            var address = IPAddress.Parse(settings.BulkAddress);
            var listen = settings.BulkListenOnAnyAddress ? IPAddress.Any : address;
            server = new BulkSocketServer(new IPEndPoint(listen, settings.BulkPort), (key, version) => Lend(key, version, toThisSilo: false),
                settings.ClusterCertificate, logger);
            logger.LogInformation("Bulk transfers of this silo are served on {Address}:{Port}{Tls}", host, server.Port,
                settings.ClusterCertificate is null ? "" : ", over mutual TLS with the cluster's certificate");
        }
        else
        {
            logger.LogInformation("Bulk transfers of this silo travel inside Orleans' messages");
        }
    }

    public BulkTicket Offer(string key, long version, ReadOnlyMemory<byte> data)
    {
        ulong checksum = XxHash3.HashToUInt64(data.Span);
        offers[key] = new Offered(version, data, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously), OnThisSiloOnly: false);
        return route == BulkRoute.Socket
            ? new BulkTicket(key, version, data.Length, checksum, id, host, server!.Port, ReadOnlyMemory<byte>.Empty)
            : new BulkTicket(key, version, data.Length, checksum, id, null, 0, data);
    }

    public BulkTicket OfferOnThisSilo(string key, long version, ReadOnlyMemory<byte> data)
    {
        offers[key] = new Offered(version, data, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously), OnThisSiloOnly: true);
        // No bytes inline and no side path: a receiver elsewhere gets nothing that could pass for them.
        return new BulkTicket(key, version, data.Length, 0, id, null, 0, ReadOnlyMemory<byte>.Empty);
    }

    public Task WhenFetchedAsync(string key, long version) =>
        offers.TryGetValue(key, out var offered) && offered.Version == version ? offered.Fetched.Task
            : throw new InvalidOperationException($"This silo offers nothing under '{key}' at version {version}.");

    public long BytesCarriedIn(BulkTicket ticket) => ticket.Owner == id ? 0 : ticket.Inline.Length;

    public void Withdraw(string keyPrefix)
    {
        foreach (var key in offers.Keys.Where(k => k.StartsWith(keyPrefix, StringComparison.Ordinal)))
            offers.TryRemove(key, out _);
    }

    public async ValueTask<BulkData> FetchAsync(BulkTicket ticket, CancellationToken cancellation)
    {
        if (ticket.Owner == id)
            return BulkData.Borrowed(Lend(ticket.Key, ticket.Version, toThisSilo: true)
                ?? throw BulkTransferException.NotOffered($"This silo offers nothing under '{ticket.Key}' at version {ticket.Version} any more."));
        if (ticket.Host is null)
        {
            if (ticket.Length < 0)
                throw new BulkTransferException($"'{ticket.Key}' can be fetched by name only from a silo that serves a side path (--bulk-transfer socket).");
            // OfferOnThisSilo's ticket: neither a side path nor the bytes.
            if (ticket.Inline.IsEmpty && ticket.Length > 0)
                throw new BulkTransferException($"'{ticket.Key}' was offered to receivers on the silo that offered it only.");
            Verify(ticket, ticket.Inline.Span);
            return BulkData.Arrived(ticket.Inline);
        }
        var fetched = await client.FetchAsync(ticket, cancellation);
        try
        {
            Verify(ticket, fetched.Memory.Span);
            return fetched;
        }
        catch
        {
            fetched.Dispose();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (server is not null)
            await server.DisposeAsync();
        client.Dispose();
        offers.Clear();
    }

    /// <summary>An offer's bytes, for a receiver on this silo or, served on the side path, on another.</summary>
    private ReadOnlyMemory<byte>? Lend(string key, long version, bool toThisSilo)
    {
        if (!offers.TryGetValue(key, out var offered) || offered.Version != version || (offered.OnThisSiloOnly && !toThisSilo))
            return null;
        offered.Fetched.TrySetResult();
        return offered.Data;
    }

    private static void Verify(BulkTicket ticket, ReadOnlySpan<byte> data)
    {
        if (ticket.Length < 0)
            return;
        if (data.Length != ticket.Length || XxHash3.HashToUInt64(data) != ticket.Checksum)
            throw new BulkTransferException(
                $"'{ticket.Key}' version {ticket.Version} arrived damaged ({data.Length} of {ticket.Length} bytes, checksum mismatch); it was not used.");
    }

    private sealed record Offered(long Version, ReadOnlyMemory<byte> Data, TaskCompletionSource Fetched, bool OnThisSiloOnly);
}
