using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Orleans.Gan.Contracts;
using Orleans.Gan.Grains.Exchange;
using Orleans.Gan.Grains.Hosting;

namespace Orleans.Gan.Cluster.Tests;

/// <summary>
/// The side path under the cluster's certificate: silos that hold it fetch each other's buffers over mutual TLS, and a
/// peer without it (plain TCP, another certificate, or no certificate of its own) gets not one byte of a buffer.
/// </summary>
public sealed class BulkTlsTests : IAsyncLifetime
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(15);
    private static readonly X509Certificate2 Cluster = SelfSigned("orleans-gan-cluster");
    private readonly BulkTransfer sender = Transfer(Cluster);
    private readonly byte[] buffer = RandomNumberGenerator.GetBytes(2_000_003);

    [Fact]
    public async Task Silos_holding_the_clusters_certificate_fetch_the_bytes_offered_over_mutual_tls()
    {
        await using var receiver = Transfer(Cluster);
        var ticket = sender.Offer("run/weights", 3, buffer);
        using (var fetched = await receiver.FetchAsync(ticket, Cancel()))
            Assert.Equal(buffer, fetched.Memory.ToArray());
        // The kept connection, its handshake done, serves the next fetch whole.
        using var again = await receiver.FetchAsync(ticket, Cancel());
        Assert.Equal(buffer, again.Memory.ToArray());
    }

    [Fact]
    public async Task A_silo_with_another_certificate_or_none_gets_nothing()
    {
        var ticket = sender.Offer("run/weights", 3, buffer);
        foreach (var certificate in new[] { SelfSigned("orleans-gan-cluster"), null })
        {
            await using var stranger = Transfer(certificate);
            var refused = await Assert.ThrowsAsync<BulkTransferException>(async () => await stranger.FetchAsync(ticket, Cancel()));
            Assert.Contains($"127.0.0.1:{ticket.Port}", refused.Message);
        }
    }

    /// <summary>A plain TCP peer that sends a well-formed request reads no byte of the buffer before the silo closes the connection.</summary>
    [Fact]
    public async Task A_plain_tcp_request_is_answered_with_no_byte_of_the_buffer()
    {
        var ticket = sender.Offer("run/weights", 3, buffer);
        using var client = new TcpClient();
        await client.ConnectAsync(ticket.Host!, ticket.Port);
        using var stream = client.GetStream();
        BulkWire.WriteRequest(stream, ticket.Key, ticket.Version);
        var received = new MemoryStream();
        using var cancel = new CancellationTokenSource(Deadline);
        try
        {
            await stream.CopyToAsync(received, cancel.Token);
        }
        catch (IOException)
        {
            // The silo may reset the connection rather than close it.
        }
        Assert.True(received.Length < 64, $"the peer read {received.Length} bytes");
        Assert.False(cancel.IsCancellationRequested, "the silo left the connection open");
        var answer = received.ToArray();
        Assert.DoesNotContain(Enumerable.Range(0, Math.Max(0, answer.Length - 7)), i => buffer.AsSpan().IndexOf(answer.AsSpan(i, 8)) >= 0);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await sender.DisposeAsync();

    private static BulkTransfer Transfer(X509Certificate2? certificate) =>
        new(Options.Create(new TrainingHostOptions { BulkRoute = BulkRoute.Socket, ClusterCertificate = certificate }), NullLogger<BulkTransfer>.Instance);

    private static X509Certificate2 SelfSigned(string name) => ClusterCertificate.CreateSelfSigned(name, TimeSpan.FromDays(1));

    private static CancellationToken Cancel() => new CancellationTokenSource(Deadline).Token;
}
