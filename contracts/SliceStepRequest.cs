namespace Orleans.Gan.Contracts;

/// <summary>
/// The reduce-scatter and Adam step of one network in step <paramref name="Step"/>: every holder fetches its slices
/// of every stage's sum in <paramref name="Sums"/>, adds them in that order, divides by the workers behind them and
/// steps those slices; or, where the owners took those means first (<paramref name="Means"/>), fetches its slices'
/// means from their owners and steps them.
/// </summary>
/// <param name="Statistics">G only: the workers' mean batch-norm statistics, which end the step; empty for D.</param>
/// <param name="AverageBeta">G only: G_ema's β for this step, where the run keeps a G_ema.</param>
/// <param name="Means">One offer per slice of the mean its owner took (<c>ISiloStageGrain.ReduceSlices</c>), or empty.</param>
[GenerateSerializer, Immutable]
public sealed record SliceStepRequest(
    [property: Id(0)] MasterNetwork Network,
    [property: Id(1)] long Step,
    [property: Id(2)] long LayoutVersion,
    [property: Id(3)] StageSum[] Sums,
    [property: Id(4)] byte[] Statistics,
    [property: Id(5)] float? AverageBeta,
    [property: Id(6)] SliceOffer[] Means);
