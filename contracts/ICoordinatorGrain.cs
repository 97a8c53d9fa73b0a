namespace Orleans.Gan.Contracts;

/// <summary>
/// One per run, keyed by the run's name. Owns the master weights, both Adam optimizers and the step counter, and
/// drives every step: it fans each phase out to the workers, averages their gradients and takes the optimizer steps.
/// </summary>
public interface ICoordinatorGrain : IGrainWithStringKey
{
    /// <summary>
    /// Starts the run in the background, or continues it from its newest checkpoint when that was written with the same
    /// networks, batch size, optimizer and seed (the run fails otherwise, naming the checkpoint). Refuses while it runs.
    /// </summary>
    Task<RunStatus> Start(RunSettings settings);

    /// <summary>
    /// Continues the run from its newest checkpoint that can be read, with the settings stored there except those given.
    /// Refuses, with an <see cref="InvalidOperationException"/>, while it runs or when it has no checkpoint.
    /// </summary>
    Task<RunStatus> Resume(ResumeSettings settings);

    Task<RunStatus> GetStatus();

    /// <summary>Stops after the step in flight and writes a checkpoint.</summary>
    Task<RunStatus> Stop();

    /// <summary>The newest G_ema (G itself where the run keeps none) or G, or null when the run is not in memory.</summary>
    Task<GeneratorSnapshot?> GetGenerator(GeneratorChoice choice);

    /// <summary>Loss_D and Loss_G since the run was started on this activation, thinned to a few thousand points.</summary>
    Task<IReadOnlyList<LossPoint>> GetLossHistory();
}
