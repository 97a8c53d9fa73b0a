using Orleans.Gan.Contracts;

namespace Orleans.Gan.Bench.Exchange;

/// <summary>
/// Times one large buffer between two silos, by each path a step's tensors could take: inside an Orleans message, and
/// on the side path of <see cref="Grains.Exchange.IBulkTransfer"/>. Placed by the silo name its key ends in.
/// </summary>
public interface ITransferProbeGrain : IGrainWithStringKey
{
    /// <summary>Seconds of each of <paramref name="repeats"/> calls to <paramref name="receiverKey"/> carrying <paramref name="bytes"/>, after one warm-up.</summary>
    Task<List<double>> TimeMessages(string receiverKey, int bytes, int repeats);

    /// <summary>Takes one message body and answers with its length: Orleans' own path for a large buffer, nothing else.</summary>
    Task<int> Receive(byte[] body);

    /// <summary>Offers <paramref name="bytes"/> random bytes on this silo's bulk transfer.</summary>
    Task<BulkTicket> Offer(int bytes);

    /// <summary>Seconds of each of <paramref name="repeats"/> checked fetches of <paramref name="ticket"/>, after one warm-up.</summary>
    Task<List<double>> TimeFetches(BulkTicket ticket, int repeats);
}
