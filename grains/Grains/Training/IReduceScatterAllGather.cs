using Orleans.Gan.Contracts;

namespace Orleans.Gan.Grains.Training;

/// <summary>
/// The exchange of a step over the sharded master: a reduce-scatter of each phase's gradient sums to the holders of
/// the master's slices, who step their slices, and an all-gather of the new slices, which every silo's stage does as
/// the next phase begins (<see cref="StageGeneratorRequest.DiscriminatorSlices"/>,
/// <see cref="StageDiscriminatorRequest.GeneratorSlices"/>).
/// </summary>
public interface IReduceScatterAllGather
{
    /// <summary>Where the slices live now; the stages' requests name its version.</summary>
    MasterLayout Layout { get; }

    /// <summary>
    /// Every holder adds its slices of <paramref name="sums"/> in their order, divides by the workers behind them
    /// and takes <paramref name="network"/>'s Adam step on them (and, for G, G_ema's with
    /// <paramref name="averageBeta"/> and the step's end with the mean <paramref name="statistics"/>). Returns one offer
    /// of new values per slice, for the stages to gather.
    /// </summary>
    Task<SliceOffer[]> ReduceScatterAsync(MasterNetwork network, long step, IReadOnlyList<StageSum> sums, byte[] statistics, float? averageBeta);
}
