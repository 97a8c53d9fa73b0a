namespace Orleans.Gan.Contracts;

/// <summary>
/// One per run, keyed by the run's name. Owns the master weights, both Adam optimizers and the step counter, and
/// drives every step: it fans each phase out to the workers, averages their gradients and takes the optimizer steps.
/// </summary>
public interface ICoordinatorGrain : IGrainWithStringKey
{
    /// <summary>Starts the run in the background, or continues it from its newest checkpoint. Refuses while it runs.</summary>
    Task<RunStatus> Start(RunSettings settings);

    Task<RunStatus> GetStatus();

    /// <summary>Stops after the step in flight and writes a checkpoint.</summary>
    Task<RunStatus> Stop();

    /// <summary>The newest generator, or null when the run is not in memory.</summary>
    Task<GeneratorSnapshot?> GetGenerator();

    /// <summary>Loss_D and Loss_G since the run was started on this activation, thinned to a few thousand points.</summary>
    Task<IReadOnlyList<LossPoint>> GetLossHistory();
}
