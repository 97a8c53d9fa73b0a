using Microsoft.Extensions.Logging;
using Orleans.Gan.Contracts;
using Orleans.Gan.Core.Checkpoints;
using Orleans.Gan.Core.Models;
using Orleans.Gan.Core.Training;
using Orleans.Gan.Core.Training.Sharding;
using Orleans.Gan.Grains.Exchange;

namespace Orleans.Gan.Grains.Training;

/// <summary>
/// The coordinator's copy of a run's master (G, D, both Adams, G_ema) and where it comes from: the run's seed, its
/// newest checkpoint, a weights file, or, for a coordinator that takes over, the slices the silos still hold. It
/// seeds the sharded master on the silos with workers (<see cref="ShardedMaster"/>) and gathers it back between steps
/// (<see cref="GatherAsync"/>) for checkpoints, grids and scores; after a failed step it gathers from the survivors
/// and seeds again (<see cref="RecoverAsync"/>).
/// </summary>
public sealed class RunMaster : IDisposable
{
    private readonly string run;
    private readonly TrainingConfig config;
    private readonly RunSettings settings;
    private readonly WorkerRoster workers;
    private readonly ShardedMaster shards;
    private readonly RunFolder folder;
    private readonly ILogger logger;
    private bool reseed;

    public RunMaster(string run, RunSettings settings, WorkerRoster workers, IBulkTransfer bulk, RunFolder folder, TimeSpan deadline, ILogger logger)
    {
        (this.run, this.settings, this.workers, this.folder, this.logger) = (run, settings, workers, folder, logger);
        config = settings.ToTrainingConfig();
        Networks = GanNetworks.Create(config.Model, config.Seed);
        Optimizers = new GanOptimizers(Networks, config);
        var averageSettings = settings.ToAverageSettings();
        Average = averageSettings.IsOn ? new GeneratorAverage(Networks, config.Seed, averageSettings) : null;
        shards = new ShardedMaster(run, settings, workers, bulk, deadline, logger);
    }

    public GanNetworks Networks { get; }

    public GanOptimizers Optimizers { get; }

    /// <summary>G_ema, or null where the run keeps none.</summary>
    public GeneratorAverage? Average { get; }

    /// <summary>The steps' exchange over the seeded master.</summary>
    public IReduceScatterAllGather Exchange => shards;

    /// <summary>The step the copy here is of.</summary>
    public long GatheredStep { get; private set; }

    /// <summary>The networks whose G draws <paramref name="choice"/>'s faces: G_ema's, or G's where the run keeps no G_ema.</summary>
    public GanNetworks Sampled(GeneratorChoice choice) => choice == GeneratorChoice.Ema && Average is not null ? Average.Networks : Networks;

    /// <summary>
    /// Loads the master the run starts or goes on from and seeds it on the silos with workers: the newest checkpoint
    /// that loads, else a weights file for a new run; for a coordinator that takes over a lost one's run, the master
    /// the silos still hold, where it is newer than the checkpoint.
    /// </summary>
    /// <returns>The step to go on from, and what the user should know about it.</returns>
    public async Task<(long Step, string? Note)> LoadAsync(bool takingOver)
    {
        var (step, note) = ResumeFromCheckpoint();
        if (step == 0 && settings.InitFrom is { } weightsFile)
            note = InitialiseFrom(weightsFile);
        if (takingOver && await shards.FindAsync(MasterSizes.Of(Networks), workers.ActiveSilos()) is { } held && held.Step >= step)
        {
            held.WriteTo(Networks, Optimizers, Average);
            logger.LogWarning("Run {Run} goes on from the master its silos hold, after {Step} steps (its newest checkpoint is of step {Checkpoint})",
                run, held.Step, step);
            (step, note) = (held.Step, $"Taken over after step {held.Step} from the master the silos held.");
        }
        GatheredStep = step;
        await shards.SeedAsync(MasterState.Read(Networks, Optimizers, Average, step), workers.WorkerSilos());
        return (step, note);
    }

    /// <summary>
    /// Before each step: the workers dealt over the silos that are up, and the master seeded again where the silos
    /// with workers changed (one joined, or one was lost and the master was gathered from the others).
    /// </summary>
    public async Task PlaceAsync(long step)
    {
        await workers.RebalanceAsync();
        var silos = workers.WorkerSilos();
        if (!reseed && shards.IsSeededOn(silos))
            return;
        if (!reseed)
            await GatherAsync(step);
        await shards.SeedAsync(MasterState.Read(Networks, Optimizers, Average, step), silos);
        reseed = false;
    }

    /// <summary>
    /// After a failed step: the master gathered from the holders that answer, each taking back what it did of the
    /// step, to be seeded again on the silos left before the step is taken again. Where a slice has no holder left
    /// (one silo, or two lost at once), the run goes on from its newest checkpoint.
    /// </summary>
    /// <returns>The step to go on from, and a note where it is not the failed one.</returns>
    public async Task<(long Step, string? Note)> RecoverAsync(long step)
    {
        reseed = true;
        try
        {
            await GatherAsync(step);
            return (step, null);
        }
        catch (Exception e) when (e is InvalidOperationException or InvalidDataException)
        {
            logger.LogWarning("Run {Run}: {Reason} It goes on from its newest checkpoint", run, e.Message);
            var (resumed, _) = ResumeFromCheckpoint();
            if (resumed == 0)
                throw new InvalidOperationException($"Run {run} lost its master at step {step} and has no checkpoint to go on from: {e.Message}", e);
            GatheredStep = resumed;
            return (resumed, $"Lost the master at step {step}; went on from the checkpoint of step {resumed}.");
        }
    }

    /// <summary>Makes the copy here the master the holders have after <paramref name="step"/> steps; returns the step it is of (see <see cref="ShardedMaster.GatherAsync"/>).</summary>
    public async Task<long> GatherAsync(long step)
    {
        var state = await shards.GatherAsync(MasterSizes.Of(Networks), step);
        state.WriteTo(Networks, Optimizers, Average);
        GatheredStep = state.Step;
        return state.Step;
    }

    public void Dispose()
    {
        Networks.Dispose();
        Average?.Dispose();
    }

    /// <summary>
    /// Continues from the newest checkpoint of the run that loads. Damaged ones are set aside with a warning, never
    /// deleted; a checkpoint of other settings fails the run (Start refuses those, this catches older files).
    /// </summary>
    /// <returns>The step to continue after, and what the user should know about checkpoints set aside.</returns>
    private (long Step, string? Note) ResumeFromCheckpoint()
    {
        var passedOver = new List<string>();
        var loaded = NewestCheckpoint.Load(folder, path => CheckpointFile.Load(path, Networks, Optimizers, Average), (path, damage) =>
        {
            var aside = folder.SetAside(path);
            passedOver.Add(aside);
            logger.LogWarning("Run {Run}: {Damage} Set it aside as {Aside} and tried the checkpoint before it.", run, damage.Message, aside);
        });
        if (loaded is not { } latest)
            return (0, null);
        var state = latest.Loaded;
        if (state.Config.Differences(config) is [_, ..] differences)
            throw new InvalidOperationException($"{latest.Path} was written with other settings: {string.Join(", ", differences)}.");
        logger.LogInformation("Run {Run} resumes from {Checkpoint} at step {Step}", run, latest.Path, state.Step);
        return (state.Step, passedOver.Count == 0 ? null : $"Resumed from {latest.Path}; set aside the damaged {string.Join(", ", passedOver)}.");
    }

    /// <summary>A new run's master from a weights file (<c>train --init-from</c>): G, and D where the file has it.</summary>
    private string InitialiseFrom(string path)
    {
        try
        {
            var pretrained = PretrainedWeights.Read(path, config.Model.Architecture);
            pretrained.LoadInto(Networks);
            Average?.CopyFromGenerator();
            logger.LogInformation("Run {Run} starts from {File}", run, path);
            return $"Started from {path}: G{(pretrained.HasDiscriminator ? " and D" : "; D from its seed")}.";
        }
        catch (CheckpointException e)
        {
            // The client does not know the core's exception types; this one it can show.
            throw new InvalidOperationException($"--init-from: {e.Message}");
        }
    }
}
