namespace Orleans.Gan.Contracts;

/// <summary>
/// One per run and silo (see <see cref="GrainKeys.Stage"/>): the silo's end of every exchange with the coordinator.
/// It fetches a step's weights once for the silo and hands them by reference to the workers beside it, then adds up
/// their gradients, so that each silo sends and receives one copy per phase however many workers it hosts.
/// </summary>
public interface ISiloStageGrain : IGrainWithStringKey
{
    /// <summary>Phase 1 for the listed workers of this silo; answers with the sum of their D gradients.</summary>
    Task<StageSum> ComputeDiscriminatorGradients(StageDiscriminatorRequest request);

    /// <summary>Phase 2 for the listed workers; answers with the sum of their G gradients and statistics.</summary>
    Task<StageSum> ComputeGeneratorGradients(StageGeneratorRequest request);

    /// <summary>Stops offering this run's buffers; the activation goes away soon after.</summary>
    Task Release();
}
