using Orleans.Gan.Bench.Exchange;
using Orleans.Gan.Bench.Measurement;
using Orleans.Gan.Contracts;

namespace Orleans.Gan.Bench.Report;

/// <summary>The exchange part: the machine's ceilings, the copies, the exchange per gradient precision, and its error.</summary>
public sealed record ExchangeFigures(
    Timings Memcpy,
    Timings LoopbackTcp,
    TensorCopyResult Copies,
    IReadOnlyList<(GradientPrecision Precision, IReadOnlyList<ExchangeSample> Samples)> Exchanges,
    IReadOnlyList<PrecisionError> Errors);
