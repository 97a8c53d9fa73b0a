namespace Orleans.Gan.Contracts;

/// <summary>
/// The master weights a worker trains a step on: each network's parameters and batch-norm statistics as one
/// contiguous float32 buffer. Byte arrays, because Orleans writes float[] at 5 bytes a float and several times slower.
/// The version is the step that produced them and the checksum covers all four buffers, so that a worker never
/// trains on a mixed or damaged set.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record WeightSet(
    [property: Id(0)] long Version,
    [property: Id(1)] byte[] GeneratorParameters,
    [property: Id(2)] byte[] DiscriminatorParameters,
    [property: Id(3)] byte[] GeneratorStatistics,
    [property: Id(4)] byte[] DiscriminatorStatistics,
    [property: Id(5)] ulong Checksum)
{
    public long Bytes => (long)GeneratorParameters.Length + DiscriminatorParameters.Length + GeneratorStatistics.Length + DiscriminatorStatistics.Length;
}
