namespace Orleans.Gan.Contracts;

/// <summary>A batch of preprocessed images: uint8, [Count, 3, Size, Size], scaled to [-1, 1] by the worker.</summary>
[GenerateSerializer, Immutable]
public sealed record ImageBatch(
    [property: Id(0)] int Count,
    [property: Id(1)] int Size,
    [property: Id(2)] byte[] Pixels);
