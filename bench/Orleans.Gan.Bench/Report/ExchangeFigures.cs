using Orleans.Gan.Bench.Exchange;
using Orleans.Gan.Bench.Measurement;

namespace Orleans.Gan.Bench.Report;

/// <summary>
/// The exchange part: the machine's ceilings, the copies, one large buffer by each path, the exchange of a real run per
/// route and gradient precision, and the error of half-precision gradients.
/// </summary>
public sealed record ExchangeFigures(
    Timings Memcpy,
    Timings LoopbackTcp,
    TensorCopyResult Copies,
    Timings OrleansMessage,
    Timings SidePath,
    IReadOnlyList<ExchangeCase> Exchanges,
    IReadOnlyList<PrecisionError> Errors)
{
    /// <summary>About a dcgan64 weight set: the largest buffer of a step.</summary>
    public const int ProbeBytes = 25 * 1024 * 1024;

    /// <summary>Loopback TCP's bytes per second, the yardstick of every transfer.</summary>
    public double TcpBytesPerSecond => LoopbackTcpBandwidth.Bytes / LoopbackTcp.Median;
}
