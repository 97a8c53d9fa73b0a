using Orleans.Gan.Bench.Measurement;

namespace Orleans.Gan.Bench.Exchange;

/// <summary>Copying a whole dcgan64 weight set out of the tensors and back in, the previous way and the current one.</summary>
public sealed record TensorCopyResult(long Bytes, Timings PreviousOut, Timings CurrentOut, Timings PreviousIn, Timings CurrentIn);
