namespace Orleans.Gan.Contracts;

/// <summary>
/// Makes a silo's stage a holder of <paramref name="Layout"/>: the whole master after some steps offered under
/// <paramref name="State"/>, of which the stage keeps the whole networks and the slices it holds, with the run's
/// settings for Adam and G_ema.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record ShardSeed(
    [property: Id(0)] MasterLayout Layout,
    [property: Id(1)] BulkTicket State,
    [property: Id(2)] RunSettings Settings);
