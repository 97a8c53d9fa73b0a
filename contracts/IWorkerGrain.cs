namespace Orleans.Gan.Contracts;

/// <summary>
/// A replica of G and D on one silo, placed there by its key (see <see cref="GrainKeys.Worker"/>). It reads batches
/// from the data shard on its own silo and computes the gradients of the phase it is asked for.
/// </summary>
public interface IWorkerGrain : IGrainWithStringKey
{
    /// <summary>
    /// Builds the replica on the assignment's device, which must be one of its silo's slots, and prepares the worker's
    /// data shard; returns the shard's size and where the replica is.
    /// </summary>
    Task<WorkerReady> Prepare(WorkerAssignment assignment);

    Task<DiscriminatorGradients> ComputeDiscriminatorGradients(DiscriminatorPhaseRequest request);

    Task<GeneratorGradients> ComputeGeneratorGradients(GeneratorPhaseRequest request);

    /// <summary>Frees the replica; the activation goes away soon after.</summary>
    Task Release();
}
