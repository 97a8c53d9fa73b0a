using System.Diagnostics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Gan.Contracts;
using Orleans.Gan.Core.Checkpoints;
using Orleans.Gan.Core.Training;
using Orleans.Gan.Grains.Exchange;
using Orleans.Gan.Grains.Hosting;
using Orleans.Gan.Grains.Telemetry;
using Orleans.Runtime.MembershipService.SiloMetadata;

namespace Orleans.Gan.Grains.Training;

/// <summary>
/// One per run. Owns the run's record and the step counter: starts and resumes the run, drives its steps (each one a
/// <see cref="ClusterStep"/>), takes a failed step again on the silos that answer, and between steps has grids,
/// scores and checkpoints written (<see cref="RunOutputs"/>) from the master as last gathered (<see cref="RunMaster"/>)
/// and keeps the status. The loop
/// runs in the background of the activation, so status calls interleave between its awaits.
/// </summary>
public sealed class CoordinatorGrain(
    IGrainFactory grains,
    IClusterMembershipService membership,
    ISiloMetadataCache siloMetadata,
    ILocalSiloDetails localSilo,
    IHostApplicationLifetime lifetime,
    IBulkTransfer bulk,
    IOptions<TrainingHostOptions> options,
    GanMetrics metrics,
    [PersistentState("run", TrainingStorage.Name)] IPersistentState<RunRecord> record,
    ILogger<CoordinatorGrain> logger) : Grain, ICoordinatorGrain
{
    // Failed attempts at one step before the run fails.
    private const int StepAttempts = 3;
    private readonly Stopwatch clock = new();
    private LossHistory history = new();
    private RunStatus status = RunStatus.Unknown("");
    private RunSettings? settings;
    private RunMaster? master;
    private ClusterStep? clusterStep;
    // A sampler asking for a newer G than the copy here waits for the gather after the step in flight.
    private TaskCompletionSource? gatherWanted;
    private bool takingOver;
    private RunOutputs? outputs;
    private WorkerRoster? workers;
    private Task? loop;
    private CancellationTokenSource? stopping;
    private bool stopRequested;

    private string Run => this.GetPrimaryKeyString();

    private TrainingHostOptions Host => options.Value;

    public async Task<RunStatus> Start(RunSettings newSettings)
    {
        RefuseWhileActiveOrMisnamed(newSettings.Run);
        var saved = NewestState();
        if (saved is not null && saved.Value.State.Config.Differences(newSettings.ToTrainingConfig()) is [_, ..] differences)
            throw new InvalidOperationException(
                $"Run '{Run}' has a checkpoint, {saved.Value.Path}, written with other settings ({string.Join(", ", differences)}); "
                + $"continuing it with these would not be the same training. Continue it with 'client train --resume {Run}', "
                + "which takes its settings from the checkpoint, or choose another run name.");
        await BeginRecordedAsync(newSettings, saved);
        return status;
    }

    public async Task<RunStatus> Resume(ResumeSettings resume)
    {
        RefuseWhileActiveOrMisnamed(resume.Run);
        var saved = NewestState() ?? throw new InvalidOperationException(
            $"Run '{Run}' has no checkpoint to resume from in {new RunFolder(Host.RunsDirectory, Run).CheckpointsPath}.");
        await BeginRecordedAsync(resume.ApplyTo(saved.State.ToRunSettings(Run, saved.Path)), saved);
        return status;
    }

    private void RefuseWhileActiveOrMisnamed(string run)
    {
        if (run != Run)
            throw new ArgumentException($"Settings for run '{run}' were sent to the coordinator of run '{Run}'.");
        if (GrainKeys.ValidateRunName(Run) is { } invalid)
            throw new ArgumentException(invalid);
        if (status.IsActive)
            throw new InvalidOperationException(
                $"Run '{Run}' is already {status.Phase.ToString().ToLowerInvariant()} (step {status.Step} of {status.TotalSteps}); " +
                $"watch it with 'client status {Run}' or stop it with 'client stop {Run}'.");
    }

    /// <summary>
    /// The state of the run's newest checkpoint whose state can be read, without loading any tensors: enough to decide
    /// whether and how to continue. The full load, which also finds damage in the tensors, comes in <see cref="PrepareAsync"/>.
    /// </summary>
    private (CheckpointState State, string Path)? NewestState()
    {
        try
        {
            return NewestCheckpoint.Load(new RunFolder(Host.RunsDirectory, Run), CheckpointFile.ReadState, (_, _) => { });
        }
        catch (CheckpointException e)
        {
            // The client does not know the core's exception types; this one it can show.
            throw new InvalidOperationException(e.Message);
        }
    }

    /// <summary>Checks the settings, records the run as going (so that it outlives this silo) and starts it.</summary>
    private async Task BeginRecordedAsync(RunSettings newSettings, (CheckpointState State, string Path)? resumingFrom)
    {
        if (newSettings.Workers < 1)
            throw new ArgumentException($"A run needs at least 1 worker, not {newSettings.Workers}.");
        newSettings.ToTrainingConfig();
        newSettings.ToAverageSettings();
        if (resumingFrom is { } saved && newSettings.MaxSteps > 0 && newSettings.MaxSteps <= saved.State.Step)
            throw new InvalidOperationException(
                $"Run '{Run}' is at step {saved.State.Step} already ({saved.Path}); --max-steps counts every step from the "
                + $"run's start, so give more than {saved.State.Step} to go on.");

        record.State = new RunRecord { Settings = newSettings, Active = true };
        await record.WriteStateAsync();
        await Catalog.Started(Run);
        Begin(newSettings);
        status = status with { Step = resumingFrom?.State.Step ?? 0 };
    }

    /// <summary>A run whose record says it should be going resumes here: its last coordinator's silo is gone.</summary>
    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (record.State is { Active: true, Settings: { } saved })
        {
            logger.LogWarning("Run {Run} resumes on this silo from its stored record, and from the master its silos hold or else its newest checkpoint", Run);
            takingOver = true;
            Begin(saved);
        }
        return Task.CompletedTask;
    }

    private IRunCatalogGrain Catalog => grains.GetGrain<IRunCatalogGrain>(IRunCatalogGrain.Key);

    private void Begin(RunSettings run)
    {
        settings = run;
        history = new LossHistory();
        status = RunStatus.Unknown(Run) with { Phase = RunPhase.Preparing, Epochs = run.Epochs, TargetWorkers = run.Workers };
        stopping = new CancellationTokenSource();
        stopRequested = false;
        loop = RunAsync(run, stopping.Token);
    }

    public Task<RunStatus> GetStatus() => Task.FromResult(status.Run.Length == 0 ? RunStatus.Unknown(Run) : status);

    public Task<RunStatus> Stop()
    {
        if (status.IsActive)
        {
            stopRequested = true;
            stopping?.Cancel();
            status = status with { Message = "Stopping after the step in flight." };
        }
        return GetStatus();
    }

    public async Task<GeneratorSnapshot?> GetGenerator(GeneratorChoice choice)
    {
        if (settings is null || master is null)
            return null;
        if (status.Phase == RunPhase.Training && master.GatheredStep < status.Step)
        {
            // The loop gathers the master after the step in flight; a step that takes too long leaves the older faces.
            gatherWanted ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            await gatherWanted.Task.WaitAsync(Host.StepTimeout).ContinueWith(_ => { }, TaskScheduler.Default);
        }
        var generator = master.Sampled(choice).Generator;
        return new GeneratorSnapshot(settings, master.GatheredStep,
            TensorBlock.Parameters(generator).ReadValues(), TensorBlock.RunningStatistics(generator).ReadValues());
    }

    public Task<IReadOnlyList<LossPoint>> GetLossHistory() => Task.FromResult(history.Points);

    private async Task RunAsync(RunSettings run, CancellationToken stop)
    {
        logger.LogInformation("Coordinator of run {Run} starts on this silo: {Workers} workers, model {Model}", Run, run.Workers, run.Model);
        try
        {
            var stepsPerEpoch = await PrepareAsync(run);
            await TrainAsync(run, stepsPerEpoch, stop);
            status = status with { Phase = status.Step < status.TotalSteps ? RunPhase.Stopped : RunPhase.Completed, Message = null };
            logger.LogInformation("Run {Run} {Phase} at step {Step}", Run, status.Phase, status.Step);
        }
        catch (Exception e)
        {
            logger.LogError(e, "Run {Run} failed at step {Step}", Run, status.Step);
            status = status with { Phase = RunPhase.Failed, Message = e.Message };
        }
        finally
        {
            await ReleaseWorkersAsync();
            outputs?.Dispose();
            outputs = null;
        }
        // Stopped by its silo shutting down, the run stays active in its record, and resumes elsewhere.
        if (status.Phase != RunPhase.Stopped || stopRequested)
            await EndRecordAsync();
    }

    /// <summary>Deals the workers over the slots of the silos that are up, prepares their shards, builds the master.</summary>
    private async Task<int> PrepareAsync(RunSettings run)
    {
        var config = run.ToTrainingConfig();
        var shardTemplate = new ShardAssignment(run.Dataset, run.SyntheticFaces, 0, run.Workers, config.Model.ImageSize, run.Seed);
        workers = new WorkerRoster(grains, membership, siloMetadata, run, shardTemplate, Host.StepTimeout, logger);
        var silos = workers.ActiveSilos();
        status = status with { Message = $"Preparing {run.Workers} workers on {silos.Count} silos: {string.Join(", ", silos)}." };
        var prepared = await workers.RebalanceAsync();

        int smallest = prepared.Min(s => s.Images);
        int stepsPerEpoch = smallest / run.BatchSize;
        if (stepsPerEpoch == 0)
            throw new InvalidOperationException(
                $"The smallest data shard has {smallest} images, fewer than one batch of {run.BatchSize}; use fewer workers or a smaller --batch-size.");
        long total = (long)stepsPerEpoch * run.Epochs;
        if (run.MaxSteps > 0)
            total = Math.Min(total, run.MaxSteps);

        master?.Dispose();
        master = new RunMaster(Run, run, workers, bulk, new RunFolder(Host.RunsDirectory, Run), Host.StepTimeout, logger);
        var (step, resumeNote) = await master.LoadAsync(takingOver);
        takingOver = false;
        clusterStep = new ClusterStep(Run, master.Average?.Settings, run.Workers * run.BatchSize, workers, master.Exchange, Leaving, logger);
        status = status with
        {
            Phase = RunPhase.Training,
            Step = step,
            Epoch = (int)(step / stepsPerEpoch),
            TotalSteps = total,
            ActiveWorkers = workers.Count,
            SkippedFiles = prepared.Sum(s => s.SkippedFiles.Count),
            Message = resumeNote,
        };
        metrics.RunPrepared(Run, status.ActiveWorkers, run.Workers, status.SkippedFiles);
        PlacementSeen();
        outputs = await RunOutputs.OpenAsync(Run, run, Host, metrics, logger);
        return stepsPerEpoch;
    }

    private async Task TrainAsync(RunSettings run, int stepsPerEpoch, CancellationToken stop)
    {
        long step = status.Step;
        var precision = run.GradientPrecision;
        int failures = 0;
        while (step < status.TotalSteps && !stop.IsCancellationRequested)
        {
            clock.Restart();
            int epoch = (int)(step / stepsPerEpoch), batchInEpoch = (int)(step % stepsPerEpoch);
            StepTaken? taken;
            try
            {
                await master!.PlaceAsync(step);
                taken = await clusterStep!.TakeAsync(step, epoch, batchInEpoch, precision, stop);
                failures = 0;
            }
            catch (Exception e) when (!Leaving(stop) && ++failures < StepAttempts)
            {
                logger.LogWarning("Run {Run}: step {Step} failed ({Reason}); it is taken again on the silos that answer", Run, step, e.Message);
                string? note;
                (step, note) = await master!.RecoverAsync(step);
                status = status with { Step = step, Message = note ?? status.Message };
                continue;
            }
            catch (Exception e) when (Leaving(stop))
            {
                // Placing the workers for the next step fails too when every silo stops at once (scancel): the silos
                // leave the active list before this one's stop is seen. The run stops with the step before.
                logger.LogWarning("Run {Run}: step {Step} cannot be placed while this silo leaves ({Reason}); it is not taken, and the run goes on from it",
                    Run, step, e.Message);
                break;
            }
            if (taken is null)
                break;
            step++;
            var (stepMetrics, phases, busiest, total) = taken;
            double imagesPerSecond = workers!.Count * run.BatchSize / clock.Elapsed.TotalSeconds;
            status = status with
            {
                Step = step,
                Epoch = (int)(step / stepsPerEpoch),
                Metrics = stepMetrics,
                ImagesPerSecond = imagesPerSecond,
                LastStep = new StepBreakdown(phases.DataWait.TotalSeconds, phases.Compute.TotalSeconds, phases.Exchange.TotalSeconds,
                    phases.Optimizer.TotalSeconds, busiest),
            };
            PlacementSeen();
            history.Add(new LossPoint(step, stepMetrics.LossD, stepMetrics.LossG));
            metrics.StepCompleted(Run, epoch, workers.Count * run.BatchSize, stepMetrics, phases, busiest, total);
            outputs!.StepCompleted(step, stepMetrics, phases, imagesPerSecond);

            bool epochEnd = step % stepsPerEpoch == 0, last = step == status.TotalSteps;
            bool grid = epochEnd || last || (run.SampleEvery > 0 && step % run.SampleEvery == 0);
            bool score = epochEnd || last || (run.QualityEvery > 0 && step % run.QualityEvery == 0);
            bool checkpoint = epochEnd || last || (run.CheckpointEvery > 0 && step % run.CheckpointEvery == 0);
            if (grid || score || checkpoint || gatherWanted is not null)
                await GatherAsync(step);
            if (grid)
                status = status with { LatestGrid = outputs.WriteGrid(master, step) };
            if (score && outputs.Score(master, step) is { } scores)
                status = status with { Quality = scores.Averaged, RawQuality = scores.Raw };
            if (checkpoint)
                outputs.WriteCheckpoint(master, step, stepsPerEpoch);
            DelayDeactivation(TimeSpan.FromMinutes(30));
        }
        // Stopped before the end: the stop checkpoint, of the master as its holders last finished a step.
        if (step < status.TotalSteps && step > 0)
            await WriteStopCheckpointAsync(step, stepsPerEpoch);
    }

    /// <summary>Makes the copy of the master here the one the holders have after <paramref name="step"/> steps, and answers a sampler waiting for it.</summary>
    private async Task<long> GatherAsync(long step)
    {
        long gathered = await master!.GatherAsync(step);
        gatherWanted?.TrySetResult();
        gatherWanted = null;
        return gathered;
    }

    /// <summary>
    /// The stop checkpoint. When every silo stops at once, stages that go away offer their slices by name, possibly
    /// after the step that was in flight; the checkpoint is of the steps they all finished.
    /// </summary>
    private async Task WriteStopCheckpointAsync(long step, int stepsPerEpoch)
    {
        try
        {
            long gathered = await GatherAsync(step);
            outputs!.WriteCheckpoint(master!, gathered, stepsPerEpoch);
            status = status with { Step = gathered };
        }
        catch (Exception e) when (e is InvalidOperationException or InvalidDataException)
        {
            logger.LogWarning("Run {Run}: no stop checkpoint could be written ({Reason}); it goes on from its newest checkpoint", Run, e.Message);
        }
    }

    /// <summary>
    /// Whether the run is being stopped: by <c>client stop</c>, or by this silo leaving the cluster. A SIGTERM shows
    /// first in the host's stopping token, before Orleans changes this silo's status or deactivates this grain, and
    /// before the other silos, stopped at the same moment, fail this step's calls.
    /// </summary>
    private bool Leaving(CancellationToken stop) =>
        stop.IsCancellationRequested || lifetime.ApplicationStopping.IsCancellationRequested
        || membership.CurrentSnapshot.GetSiloStatus(localSilo.SiloAddress).IsTerminating();

    /// <summary>Shows where the workers are now, in the status and the metrics.</summary>
    private void PlacementSeen()
    {
        var placement = workers!.Placement.ToArray();
        status = status with { Placement = placement };
        metrics.Placement(Run, placement);
    }

    private async Task ReleaseWorkersAsync()
    {
        gatherWanted?.TrySetResult();
        if (workers is not null)
            await workers.ReleaseAsync();
        status = status with { ActiveWorkers = 0 };
        metrics.Workers(Run, 0, status.TargetWorkers);
        metrics.Placement(Run, []);
    }

    private async Task EndRecordAsync()
    {
        try
        {
            record.State.Active = false;
            await record.WriteStateAsync();
            await Catalog.Ended(Run);
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Run {Run} ended as {Phase} but its record could not be updated; it may be resumed", Run, status.Phase);
        }
    }

    /// <summary>Lets the step in flight finish and the stop checkpoint be written before the networks are freed.</summary>
    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        stopping?.Cancel();
        if (loop is not null)
            await loop.WaitAsync(cancellationToken).ContinueWith(_ => { }, TaskScheduler.Default);
        master?.Dispose();
    }
}
