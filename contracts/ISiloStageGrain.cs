namespace Orleans.Gan.Contracts;

/// <summary>
/// One per run and silo (see <see cref="GrainKeys.Stage"/>): the silo's part of the sharded master and its end of
/// every exchange. It keeps the whole of G and D for the workers beside it, which it hands them by reference, and the
/// slices of the master it holds (Adam's moments, G_ema). Each phase it adds up its workers' gradients and offers the
/// sum slice by slice; it fetches its own slices of the other silos' sums, steps them, and gathers the other slices'
/// new values from their holders. So each silo sends and receives about twice the model a step however many silos
/// there are.
/// </summary>
public interface ISiloStageGrain : IGrainWithStringKey
{
    /// <summary>Makes this stage a holder of the seed's layout, with the master it offers.</summary>
    Task Seed(ShardSeed seed);

    /// <summary>Phase 1 for the listed workers of this silo; answers with the sum of their D gradients.</summary>
    Task<StageSum> ComputeDiscriminatorGradients(StageDiscriminatorRequest request);

    /// <summary>Phase 2 for the listed workers; answers with the sum of their G gradients and statistics.</summary>
    Task<StageSum> ComputeGeneratorGradients(StageGeneratorRequest request);

    /// <summary>
    /// The owner's part of the reduce-scatter where slices have mirrors at three silos or more: fetches the slice this
    /// stage owns of every sum, adds them in order, divides, and offers that mean to the slice's holders, so that its
    /// mirror fetches one slice instead of one from every silo. Answers with the offer.
    /// </summary>
    Task<SliceOffer[]> ReduceSlices(SliceStepRequest request);

    /// <summary>The reduce-scatter and Adam step of this stage's slices; answers with their new values, offered.</summary>
    Task<SliceOffer[]> StepSlices(SliceStepRequest request);

    /// <summary>
    /// Takes back whatever was done of steps from <paramref name="step"/> on, and offers the slices held with their
    /// moments and G_ema (<c>MasterShard.Snapshot</c>), to assemble the whole master.
    /// </summary>
    Task<BulkTicket> OfferSnapshot(long layoutVersion, long step);

    /// <summary>What this stage holds of the run's master; null where it holds nothing.</summary>
    Task<ShardDescription?> Describe();

    /// <summary>Stops offering this run's buffers and lets go of its master; the activation goes away soon after.</summary>
    Task Release();
}
