using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Gan.Contracts;
using Orleans.Gan.Core.Checkpoints;
using Orleans.Gan.Core.Imaging;
using Orleans.Gan.Core.Models;
using Orleans.Gan.Core.Training;
using Orleans.Gan.Grains.Hosting;

namespace Orleans.Gan.Grains.Training;

/// <summary>
/// One per run. Owns the master G and D, both Adam optimizers and the step counter, and drives every step:
/// (1) send the master weights, average the workers' D gradients, take D's Adam step;
/// (2) send the new D, average the workers' G gradients, take G's Adam step, average the batch-norm statistics.
/// The loop runs in the background of the activation, so status calls interleave between its awaits.
/// </summary>
public sealed class CoordinatorGrain(
    IGrainFactory grains,
    IClusterMembershipService membership,
    IOptions<TrainingHostOptions> options,
    ILogger<CoordinatorGrain> logger) : Grain, ICoordinatorGrain
{
    private const int GridFaces = 64;
    private readonly Stopwatch clock = new();
    private RunStatus status = RunStatus.Unknown("");
    private RunSettings? settings;
    private GanNetworks? master;
    private GanOptimizers? optimizers;
    private NetworkBlocks? blocks;
    private IReadOnlyList<IWorkerGrain> workers = [];
    private Task? loop;
    private CancellationTokenSource? stopping;

    private string Run => this.GetPrimaryKeyString();

    private TrainingHostOptions Host => options.Value;

    public Task<RunStatus> Start(RunSettings newSettings)
    {
        RefuseWhileActiveOrMisnamed(newSettings.Run);
        var saved = NewestState();
        if (saved is not null && saved.Value.State.Config.Differences(newSettings.ToTrainingConfig()) is [_, ..] differences)
            throw new InvalidOperationException(
                $"Run '{Run}' has a checkpoint, {saved.Value.Path}, written with other settings ({string.Join(", ", differences)}); "
                + $"continuing it with these would not be the same training. Continue it with 'client train --resume {Run}', "
                + "which takes its settings from the checkpoint, or choose another run name.");
        return Task.FromResult(Begin(newSettings, saved));
    }

    public Task<RunStatus> Resume(ResumeSettings resume)
    {
        RefuseWhileActiveOrMisnamed(resume.Run);
        var saved = NewestState() ?? throw new InvalidOperationException(
            $"Run '{Run}' has no checkpoint to resume from in {new RunFolder(Host.RunsDirectory, Run).CheckpointsPath}.");
        return Task.FromResult(Begin(resume.ApplyTo(saved.State.ToRunSettings(Run, saved.Path)), saved));
    }

    public Task<RunStatus> GetStatus() => Task.FromResult(status.Run.Length == 0 ? RunStatus.Unknown(Run) : status);

    public Task<RunStatus> Stop()
    {
        if (status.IsActive)
        {
            stopping?.Cancel();
            status = status with { Message = "Stopping after the step in flight." };
        }
        return GetStatus();
    }

    public Task<GeneratorSnapshot?> GetGenerator() => Task.FromResult(
        settings is null || blocks is null
            ? null
            : new GeneratorSnapshot(settings, status.Step, blocks.GeneratorParameters.ReadValues(), blocks.GeneratorStatistics.ReadValues()));

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

    private RunStatus Begin(RunSettings newSettings, (CheckpointState State, string Path)? resumingFrom)
    {
        if (newSettings.Workers < 1)
            throw new ArgumentException($"A run needs at least 1 worker, not {newSettings.Workers}.");
        newSettings.ToTrainingConfig();
        if (resumingFrom is { } saved && newSettings.MaxSteps > 0 && newSettings.MaxSteps <= saved.State.Step)
            throw new InvalidOperationException(
                $"Run '{Run}' is at step {saved.State.Step} already ({saved.Path}); --max-steps counts every step from the "
                + $"run's start, so give more than {saved.State.Step} to go on.");

        settings = newSettings;
        status = RunStatus.Unknown(Run) with
        {
            Phase = RunPhase.Preparing,
            Step = resumingFrom?.State.Step ?? 0,
            Epochs = newSettings.Epochs,
            TargetWorkers = newSettings.Workers,
        };
        stopping = new CancellationTokenSource();
        loop = RunAsync(newSettings, stopping.Token);
        return status;
    }

    private async Task RunAsync(RunSettings run, CancellationToken stop)
    {
        var folder = new RunFolder(Host.RunsDirectory, Run);
        try
        {
            var stepsPerEpoch = await PrepareAsync(run);
            await TrainAsync(run, folder, stepsPerEpoch, stop);
            status = status with { Phase = stop.IsCancellationRequested ? RunPhase.Stopped : RunPhase.Completed, Message = null };
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
        }
    }

    /// <summary>Places the workers round-robin on the silos that are up, prepares their shards, builds the master.</summary>
    private async Task<int> PrepareAsync(RunSettings run)
    {
        var config = run.ToTrainingConfig();
        var silos = membership.CurrentSnapshot.Members.Values
            .Where(m => m.Status == SiloStatus.Active)
            .Select(m => m.Name)
            // A silo restarted under its old name is listed twice until its previous incarnation is declared dead.
            .Distinct()
            .Order(StringComparer.Ordinal)
            .ToList();
        if (silos.Count == 0)
            throw new InvalidOperationException("No active silo to place workers on.");

        var assignments = Enumerable.Range(0, run.Workers).Select(index =>
        {
            var silo = silos[index % silos.Count];
            var shard = new ShardAssignment(run.Dataset, run.SyntheticFaces, index, run.Workers, config.Model.ImageSize, run.Seed);
            return (Key: GrainKeys.Worker(Run, index, silo),
                Assignment: new WorkerAssignment(run, index, GrainKeys.Shard(Run, index, run.Workers, silo), shard));
        }).ToList();
        status = status with { Message = $"Preparing {run.Workers} workers on {silos.Count} silos: {string.Join(", ", silos)}." };
        workers = assignments.Select(a => grains.GetGrain<IWorkerGrain>(a.Key)).ToList();
        var shards = await Task.WhenAll(assignments.Select((a, i) => workers[i].Prepare(a.Assignment)));

        int smallest = shards.Min(s => s.Images);
        int stepsPerEpoch = smallest / run.BatchSize;
        if (stepsPerEpoch == 0)
            throw new InvalidOperationException(
                $"The smallest data shard has {smallest} images, fewer than one batch of {run.BatchSize}; use fewer workers or a smaller --batch-size.");
        long total = (long)stepsPerEpoch * run.Epochs;
        if (run.MaxSteps > 0)
            total = Math.Min(total, run.MaxSteps);

        master = GanNetworks.Create(config.Model, config.Seed);
        optimizers = new GanOptimizers(master, config);
        blocks = new NetworkBlocks(master);
        var (step, resumeNote) = ResumeFromCheckpoint(new RunFolder(Host.RunsDirectory, Run), config);
        status = status with
        {
            Phase = RunPhase.Training,
            Step = step,
            Epoch = (int)(step / stepsPerEpoch),
            TotalSteps = total,
            ActiveWorkers = workers.Count,
            SkippedFiles = shards.Sum(s => s.SkippedFiles.Count),
            Message = resumeNote,
        };
        return stepsPerEpoch;
    }

    /// <summary>
    /// Continues from the newest checkpoint of the run that loads. Damaged ones are set aside with a warning, never
    /// deleted; a checkpoint of other settings fails the run (Start refuses those, this catches older files).
    /// </summary>
    /// <returns>The step to continue after, and what the user should know about checkpoints set aside.</returns>
    private (long Step, string? Note) ResumeFromCheckpoint(RunFolder folder, TrainingConfig config)
    {
        var passedOver = new List<string>();
        var loaded = NewestCheckpoint.Load(folder, path => CheckpointFile.Load(path, master!, optimizers!), (path, damage) =>
        {
            var aside = folder.SetAside(path);
            passedOver.Add(aside);
            logger.LogWarning("Run {Run}: {Damage} Set it aside as {Aside} and tried the checkpoint before it.", Run, damage.Message, aside);
        });
        if (loaded is not { } latest)
            return (0, null);
        var state = latest.Loaded;
        if (state.Config.Differences(config) is [_, ..] differences)
            throw new InvalidOperationException($"{latest.Path} was written with other settings: {string.Join(", ", differences)}.");
        logger.LogInformation("Run {Run} resumes from {Checkpoint} at step {Step}", Run, latest.Path, state.Step);
        return (state.Step, passedOver.Count == 0 ? null : $"Resumed from {latest.Path}; set aside the damaged {string.Join(", ", passedOver)}.");
    }

    private async Task TrainAsync(RunSettings run, RunFolder folder, int stepsPerEpoch, CancellationToken stop)
    {
        long step = status.Step;
        while (step < status.TotalSteps && !stop.IsCancellationRequested)
        {
            clock.Restart();
            int epoch = (int)(step / stepsPerEpoch), batchInEpoch = (int)(step % stepsPerEpoch);

            var weights = WeightSets.Read(blocks!, step);
            var discriminator = await FanOut(w => w.ComputeDiscriminatorGradients(new DiscriminatorPhaseRequest(step, epoch, batchInEpoch, weights)));
            blocks!.DiscriminatorParameters.WriteGradients(GradientAverager.Average(discriminator.Select(d => d.Gradients).ToList()));
            optimizers!.StepDiscriminator();

            var newDiscriminator = blocks.DiscriminatorParameters.ReadValues();
            var generator = await FanOut(w => w.ComputeGeneratorGradients(new GeneratorPhaseRequest(step, newDiscriminator)));
            blocks.GeneratorParameters.WriteGradients(GradientAverager.Average(generator.Select(g => g.Gradients).ToList()));
            optimizers.StepGenerator();
            blocks.GeneratorStatistics.WriteValues(GradientAverager.Average(generator.Select(g => g.GeneratorStatistics).ToList()));
            blocks.DiscriminatorStatistics.WriteValues(GradientAverager.Average(generator.Select(g => g.DiscriminatorStatistics).ToList()));

            step++;
            var metrics = StepMetrics.Mean(generator.Select(g => g.Metrics.ToCore()).ToList());
            status = status with
            {
                Step = step,
                Epoch = (int)(step / stepsPerEpoch),
                Metrics = metrics.ToContract(),
                ImagesPerSecond = run.Workers * run.BatchSize / clock.Elapsed.TotalSeconds,
            };

            bool epochEnd = step % stepsPerEpoch == 0, last = step == status.TotalSteps;
            if (epochEnd || last || (run.SampleEvery > 0 && step % run.SampleEvery == 0))
                WriteGrid(folder, run.Seed, step);
            if (epochEnd || last || (run.CheckpointEvery > 0 && step % run.CheckpointEvery == 0))
                WriteCheckpoint(folder, run, step, stepsPerEpoch);
            DelayDeactivation(TimeSpan.FromMinutes(30));
        }
        if (stop.IsCancellationRequested && step > 0)
            WriteCheckpoint(folder, run, step, stepsPerEpoch);
    }

    /// <summary>
    /// The same call to every worker at once, with the step's deadline: a worker that does not answer in time is
    /// named in the error rather than waited for.
    /// </summary>
    private async Task<T[]> FanOut<T>(Func<IWorkerGrain, Task<T>> call)
    {
        var calls = workers.Select(call).ToList();
        try
        {
            return await Task.WhenAll(calls).WaitAsync(Host.StepTimeout);
        }
        catch (TimeoutException)
        {
            var late = workers.Where((_, i) => !calls[i].IsCompleted).Select(w => w.GetPrimaryKeyString());
            throw new TimeoutException(
                $"Step {status.Step}: no answer within {Host.StepTimeout.TotalSeconds:0} s from {string.Join(", ", late)}.");
        }
    }

    private void WriteGrid(RunFolder folder, long seed, long step)
    {
        using var faces = FixedNoise.Sample(master!, seed, GridFaces);
        status = status with { LatestGrid = folder.WriteGrid(step, FaceGrid.ToPng(faces)) };
    }

    private void WriteCheckpoint(RunFolder folder, RunSettings run, long step, int stepsPerEpoch)
    {
        var state = new CheckpointState(run.ToTrainingConfig(), step, (int)(step / stepsPerEpoch), (int)(step % stepsPerEpoch), run.Workers, run.ToPlan());
        CheckpointFile.Save(folder.CheckpointPath(step), master!, optimizers!, state);
        folder.PruneCheckpoints(Host.CheckpointsToKeep);
    }

    private async Task ReleaseWorkersAsync()
    {
        try
        {
            await Task.WhenAll(workers.Select(w => w.Release())).WaitAsync(Host.StepTimeout);
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Run {Run}: not every worker could be released", Run);
        }
        status = status with { ActiveWorkers = 0 };
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        stopping?.Cancel();
        optimizers?.Dispose();
        master?.Dispose();
        return Task.CompletedTask;
    }
}
