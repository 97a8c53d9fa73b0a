using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Orleans.Gan.Contracts;
using Orleans.Gan.Grains.Exchange;
using Orleans.Gan.Grains.Hosting;

namespace Orleans.Gan.Cluster.Tests;

/// <summary>
/// The side path between two silos' bulk transfers on loopback, and its guarantees: the bytes arrive as offered or not
/// at all, a replaced offer is never served as the one asked for, and nothing waits past its deadline.
/// </summary>
public sealed class BulkTransferTests : IAsyncLifetime
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(5);
    private readonly BulkTransfer sender = Transfer(BulkRoute.Socket);
    private readonly BulkTransfer receiver = Transfer(BulkRoute.Socket);

    [Fact]
    public async Task Another_silo_fetches_exactly_the_bytes_offered_and_this_silo_borrows_the_buffer_itself()
    {
        var buffer = RandomBytes(3_000_001);
        var ticket = sender.Offer("run/weights", 7, buffer);

        using (var fetched = await receiver.FetchAsync(ticket, Cancel()))
        {
            Assert.Equal(buffer, fetched.Memory.ToArray());
            Assert.False(MemoryMarshal.TryGetArray(fetched.Memory, out var segment) && segment.Array == buffer, "another silo gets a copy");
        }
        using (var local = await sender.FetchAsync(ticket, Cancel()))
            Assert.True(MemoryMarshal.TryGetArray(local.Memory, out var segment) && segment.Array == buffer, "the same silo borrows the buffer");
        // A connection is reused for the next fetch, which must again be whole.
        using var again = await receiver.FetchAsync(ticket, Cancel());
        Assert.Equal(buffer, again.Memory.ToArray());
    }

    [Fact]
    public async Task An_offer_to_this_silo_only_is_lent_here_and_refused_to_another_silo_even_by_name()
    {
        var buffer = RandomBytes(10_000);
        var ticket = sender.OfferOnThisSilo("run/sum", 3, buffer);

        using (var local = await sender.FetchAsync(ticket, Cancel()))
            Assert.True(MemoryMarshal.TryGetArray(local.Memory, out var segment) && segment.Array == buffer, "the same silo borrows the buffer");
        var elsewhere = await Assert.ThrowsAsync<BulkTransferException>(async () => await receiver.FetchAsync(ticket, Cancel()));
        Assert.Contains("'run/sum'", elsewhere.Message);
        // Asked for by name on the side path, where the silo serves its other offers.
        var byName = IBulkTransfer.ByName(sender.Offer("run/other", 1, RandomBytes(10)), "run/sum", 3);
        var served = await Assert.ThrowsAsync<BulkTransferException>(async () => await receiver.FetchAsync(byName, Cancel()));
        Assert.True(served.IsNotOffered, served.Message);
    }

    [Fact]
    public async Task A_replaced_or_withdrawn_offer_is_refused_naming_the_key_and_version()
    {
        var first = sender.Offer("run/discriminator", 1, RandomBytes(1000));
        sender.Offer("run/discriminator", 2, RandomBytes(1000));

        var replaced = await Assert.ThrowsAsync<BulkTransferException>(async () => await receiver.FetchAsync(first, Cancel()));
        Assert.Contains("'run/discriminator' at version 1", replaced.Message);

        var current = sender.Offer("run/discriminator", 3, RandomBytes(10));
        sender.Withdraw("run/");
        await Assert.ThrowsAsync<BulkTransferException>(async () => await receiver.FetchAsync(current, Cancel()));
        await Assert.ThrowsAsync<BulkTransferException>(async () => await sender.FetchAsync(current, Cancel()));
    }

    [Fact]
    public async Task Bytes_that_do_not_match_the_checksum_are_refused_and_never_handed_out()
    {
        var buffer = RandomBytes(100_000);
        var ticket = sender.Offer("run/sum", 4, buffer);
        // The owner changes the buffer after offering it, as a step that moved on would: the copy no longer matches.
        buffer[50_000] ^= 0xFF;

        var damaged = await Assert.ThrowsAsync<BulkTransferException>(async () => await receiver.FetchAsync(ticket, Cancel()));
        Assert.Contains("damaged", damaged.Message);
        Assert.Contains("'run/sum' version 4", damaged.Message);
    }

    [Fact]
    public async Task A_silo_that_is_gone_or_silent_fails_the_fetch_within_its_deadline()
    {
        var ticket = sender.Offer("run/weights", 1, RandomBytes(1000));
        await sender.DisposeAsync();
        var gone = await Assert.ThrowsAsync<BulkTransferException>(async () => await receiver.FetchAsync(ticket, Cancel()));
        Assert.Contains($"127.0.0.1:{ticket.Port}", gone.Message);

        // A peer that accepts the connection but never answers, like a silo frozen mid-step.
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var frozen = ticket with { Port = ((IPEndPoint)silent.LocalEndpoint).Port };
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var late = await Assert.ThrowsAsync<BulkTransferException>(async () =>
            await receiver.FetchAsync(frozen, new CancellationTokenSource(TimeSpan.FromSeconds(1)).Token));
        Assert.Contains("did not finish in time", late.Message);
        Assert.True(clock.Elapsed < Deadline, $"gave up after {clock.Elapsed}");
    }

    [Fact]
    public async Task Through_Orleans_the_ticket_carries_the_bytes_and_they_are_checked_too()
    {
        await using var inline = Transfer(BulkRoute.Orleans);
        var buffer = RandomBytes(5000);
        var ticket = inline.Offer("run/weights", 1, buffer);
        Assert.Null(ticket.Host);

        // As the ticket arrives on another silo: its own copy of the bytes.
        var arrived = ticket with { Inline = ticket.Inline.ToArray() };
        using (var fetched = await receiver.FetchAsync(arrived, Cancel()))
            Assert.Equal(buffer, fetched.Memory.ToArray());
        Assert.Equal(5000, receiver.BytesCarriedIn(arrived));
        Assert.Equal(0, inline.BytesCarriedIn(ticket));
        Assert.Equal(0, receiver.BytesCarriedIn(sender.Offer("run/socket", 1, buffer)));
        var damaged = arrived.Inline.ToArray();
        damaged[0] ^= 1;
        await Assert.ThrowsAsync<BulkTransferException>(async () => await receiver.FetchAsync(arrived with { Inline = damaged }, Cancel()));
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await sender.DisposeAsync();
        await receiver.DisposeAsync();
    }

    private static BulkTransfer Transfer(BulkRoute route) =>
        new(Options.Create(new TrainingHostOptions { BulkRoute = route }), NullLogger<BulkTransfer>.Instance);

    private static CancellationToken Cancel() => new CancellationTokenSource(Deadline).Token;

    private static byte[] RandomBytes(int count)
    {
        var bytes = new byte[count];
        Random.Shared.NextBytes(bytes);
        return bytes;
    }
}
