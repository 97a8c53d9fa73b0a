using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Orleans.Gan.Contracts;
using Orleans.Gan.Data;
using Orleans.Gan.Core.Models;
using Orleans.Gan.Core.Training;
using Orleans.Gan.Grains.Placement;

namespace Orleans.Gan.Grains.Training;

/// <summary>
/// A replica of G and D on the silo its key names. Each step it is handed the master weights, reads its batch from
/// the data shard beside it, and returns the gradients of the phase asked for. The TorchSharp work runs on the
/// thread pool so that the silo's scheduler stays free for membership probes and other grains.
/// </summary>
[SiloNamePlacement]
public sealed class WorkerGrain(IGrainFactory grains, ILogger<WorkerGrain> logger) : Grain, IWorkerGrain
{
    private WorkerAssignment? assignment;
    private TrainingConfig? config;
    private GanNetworks? replica;
    private NetworkBlocks? blocks;
    private AdversarialStep? step;
    private IDataShardGrain? shard;
    private long stepInFlight = -1;

    public async Task<ShardInfo> Prepare(WorkerAssignment newAssignment)
    {
        Release(disposeOnly: true);
        config = newAssignment.Settings.ToTrainingConfig();
        shard = grains.GetGrain<IDataShardGrain>(newAssignment.ShardKey);
        var info = await shard.Prepare(newAssignment.Shard);
        replica = GanNetworks.Create(config.Model, config.Seed);
        blocks = new NetworkBlocks(replica);
        step = new AdversarialStep(replica);
        assignment = newAssignment;
        logger.LogInformation("Worker {Worker} of run {Run} ready on {Key} with {Images} images", newAssignment.WorkerIndex,
            newAssignment.Settings.Run, this.GetPrimaryKeyString(), info.Images);
        return info;
    }

    public async Task<DiscriminatorGradients> ComputeDiscriminatorGradients(DiscriminatorPhaseRequest request)
    {
        var (current, settings) = Prepared();
        var clock = Stopwatch.StartNew();
        var batch = await shard!.GetBatch(request.Epoch, request.BatchInEpoch, settings.BatchSize);
        var dataWait = clock.Elapsed;
        var gradients = await Task.Run(() =>
        {
            WeightSets.Write(blocks!, request.Weights);
            using var real = PixelTensors.FromPixels(batch.Pixels, batch.Count, batch.Size);
            using var random = StepRandom.For(settings.Seed, request.Step, current.WorkerIndex);
            step!.ComputeDiscriminatorGradients(real, random);
            return blocks!.DiscriminatorParameters.ReadGradients(current.Settings.GradientPrecision.ToCore());
        });
        stepInFlight = request.Step;
        return new DiscriminatorGradients(request.Step, current.WorkerIndex, gradients,
            new WorkerTiming(dataWait.TotalSeconds, (clock.Elapsed - dataWait).TotalSeconds));
    }

    public async Task<GeneratorGradients> ComputeGeneratorGradients(GeneratorPhaseRequest request)
    {
        var (current, _) = Prepared();
        if (request.Step != stepInFlight)
            throw new InvalidOperationException(
                $"Worker {current.WorkerIndex} was asked for G's gradients of step {request.Step} but computed D's for step {stepInFlight}.");
        var clock = Stopwatch.StartNew();
        var result = await Task.Run(() =>
        {
            blocks!.DiscriminatorParameters.WriteValues(request.DiscriminatorParameters);
            var metrics = step!.ComputeGeneratorGradients();
            return new GeneratorGradients(request.Step, current.WorkerIndex, blocks.GeneratorParameters.ReadGradients(current.Settings.GradientPrecision.ToCore()),
                blocks.GeneratorStatistics.ReadValues(), blocks.DiscriminatorStatistics.ReadValues(), metrics.ToContract(),
                new WorkerTiming(0, clock.Elapsed.TotalSeconds));
        });
        stepInFlight = -1;
        return result;
    }

    public Task Release()
    {
        Release(disposeOnly: false);
        return Task.CompletedTask;
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        Release(disposeOnly: true);
        return Task.CompletedTask;
    }

    private (WorkerAssignment Assignment, TrainingConfig Config) Prepared() =>
        assignment is not null && config is not null
            ? (assignment, config)
            : throw new InvalidOperationException($"Worker {this.GetPrimaryKeyString()} was not prepared for a run.");

    private void Release(bool disposeOnly)
    {
        step?.Dispose();
        replica?.Dispose();
        (step, replica, blocks, assignment, config, stepInFlight) = (null, null, null, null, null, -1);
        if (!disposeOnly)
            DeactivateOnIdle();
    }
}
