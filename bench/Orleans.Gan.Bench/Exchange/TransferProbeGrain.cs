using System.Diagnostics;
using Orleans.Gan.Contracts;
using Orleans.Gan.Grains.Exchange;
using Orleans.Gan.Grains.Placement;

namespace Orleans.Gan.Bench.Exchange;

[SiloNamePlacement]
public sealed class TransferProbeGrain(IGrainFactory grains, IBulkTransfer bulk) : Grain, ITransferProbeGrain
{
    private byte[] offered = [];

    public async Task<List<double>> TimeMessages(string receiverKey, int bytes, int repeats)
    {
        var receiver = grains.GetGrain<ITransferProbeGrain>(receiverKey);
        var body = RandomBytes(bytes);
        return await Timed(repeats, () => receiver.Receive(body));
    }

    public Task<int> Receive(byte[] body) => Task.FromResult(body.Length);

    public Task<BulkTicket> Offer(int bytes)
    {
        offered = RandomBytes(bytes);
        return Task.FromResult(bulk.Offer($"probe/{this.GetPrimaryKeyString()}", 0, offered));
    }

    public Task<List<double>> TimeFetches(BulkTicket ticket, int repeats) => Timed(repeats, async () =>
    {
        using var data = await bulk.FetchAsync(ticket, CancellationToken.None);
    });

    private static async Task<List<double>> Timed(int repeats, Func<Task> transfer)
    {
        var seconds = new List<double>();
        for (int i = 0; i <= repeats; i++)
        {
            long started = Stopwatch.GetTimestamp();
            await transfer();
            if (i > 0)
                seconds.Add(Stopwatch.GetElapsedTime(started).TotalSeconds);
        }
        return seconds;
    }

    private static byte[] RandomBytes(int bytes)
    {
        var body = new byte[bytes];
        Random.Shared.NextBytes(body);
        return body;
    }
}
