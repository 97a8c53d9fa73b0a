namespace Orleans.Gan.Bench.Exchange;

/// <summary>One step's exchange with one worker on another silo.</summary>
/// <param name="TotalSeconds">From reading the master weights to writing the averaged gradients back.</param>
/// <param name="CoordinatorSeconds">The coordinator's copies: weights out, gradients in, averaging.</param>
/// <param name="WorkerSeconds">The worker's copies: weights in, gradients out.</param>
/// <param name="Bytes">Payload of the four messages: weights and D's parameters out, both networks' gradients and statistics back.</param>
[GenerateSerializer, Immutable]
public sealed record ExchangeSample(
    [property: Id(0)] double TotalSeconds,
    [property: Id(1)] double CoordinatorSeconds,
    [property: Id(2)] double WorkerSeconds,
    [property: Id(3)] long Bytes);
