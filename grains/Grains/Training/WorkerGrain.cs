using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Gan.Contracts;
using Orleans.Gan.Core.Models;
using Orleans.Gan.Core.Training;
using Orleans.Gan.Grains.Hosting;
using Orleans.Gan.Grains.Placement;

namespace Orleans.Gan.Grains.Training;

/// <summary>
/// A replica of G and D on the silo its key names, on the device of the slot it was dealt. Each step its silo stage
/// hands it the master weights, it reads its batch from the data shard beside it, turns it into floats on the device,
/// and returns the gradients of the phase asked for. On the CPU nothing is copied: its parameters are views of the
/// stage's master (<see cref="TensorBlock.LoadValues"/>), and backward writes its gradients into the flat buffer it
/// answers with (<see cref="ParameterGradients"/>). On a GPU both go through the pinned host buffers that
/// <see cref="TensorBlock"/> keeps. The TorchSharp work runs on the thread pool so that the silo's scheduler stays free
/// for membership probes and other grains. With <see cref="RunSettings.SimulateComputeMs"/> it waits that long instead of running the networks,
/// but still loads every weight and sends gradients of the real size: the exchange as it would be behind a GPU.
/// </summary>
[SiloNamePlacement]
public sealed class WorkerGrain(IGrainFactory grains, IOptions<TrainingHostOptions> options, ILogger<WorkerGrain> logger)
    : Grain, IWorkerGrain
{
    private static readonly TrainingMetrics NoMetrics = new(0, 0, 0, 0, 0);
    private WorkerAssignment? assignment;
    private TrainingConfig? config;
    private GanNetworks? replica;
    private TorchSharp.torch.Device? device;
    private NetworkBlocks? blocks;
    private AdversarialStep? step;
    private IDataShardGrain? shard;
    private long stepInFlight = -1;
    private byte[] statistics = [];

    public async Task<WorkerReady> Prepare(WorkerAssignment newAssignment)
    {
        Release(disposeOnly: true);
        if (!options.Value.SlotDevices.Contains(newAssignment.Device))
            throw new InvalidOperationException(
                $"Worker {newAssignment.WorkerIndex} was dealt device {newAssignment.Device}, which silo {GrainKeys.SiloOf(this.GetPrimaryKeyString())} "
                + $"does not offer (its slots: {string.Join(", ", options.Value.SlotDevices)}).");
        config = newAssignment.Settings.ToTrainingConfig();
        shard = grains.GetGrain<IDataShardGrain>(newAssignment.ShardKey);
        var info = await shard.Prepare(newAssignment.Shard);
        device = TorchSharp.torch.device(newAssignment.Device);
        replica = GanNetworks.Create(config.Model, config.Seed, device);
        blocks = new NetworkBlocks(replica);
        step = new AdversarialStep(replica);
        statistics = new byte[blocks.StatisticsByteCount];
        if (newAssignment.Settings.SimulateComputeMs is not null)
        {
            // No backward pass will make gradients; zeros of the real size are sent instead.
            step.DiscriminatorGradients.Clear();
            step.GeneratorGradients.Clear();
        }
        assignment = newAssignment;
        var actual = replica.Device.ToString();
        logger.LogInformation("Worker {Worker} of run {Run} ready on {Key}, {Device}, with {Images} images", newAssignment.WorkerIndex,
            newAssignment.Settings.Run, this.GetPrimaryKeyString(), actual, info.Images);
        return new WorkerReady(info, actual);
    }

    public async Task<DiscriminatorGradients> ComputeDiscriminatorGradients(DiscriminatorPhaseRequest request)
    {
        var (current, settings) = Prepared();
        var clock = Stopwatch.StartNew();
        var batch = Simulated ? null : await shard!.GetBatch(request.Epoch, request.BatchInEpoch, settings.BatchSize);
        var dataWait = clock.Elapsed;
        var gradients = ReadOnlyMemory<byte>.Empty;
        await RunAsync(() =>
        {
            blocks!.LoadGeneratorSet(request.GeneratorSet);
            blocks.DiscriminatorParameters.LoadValues(request.DiscriminatorParameters);
            if (batch is null)
                return;
            using var real = PixelTensors.FromPixels(batch.Pixels, batch.Count, batch.Size, device);
            using var random = StepRandom.For(settings.Seed, request.Step, current.WorkerIndex);
            step!.ComputeDiscriminatorGradients(real, random);
        }, () => gradients = step!.DiscriminatorGradients.Read(Precision));
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
        var metrics = NoMetrics;
        var gradients = ReadOnlyMemory<byte>.Empty;
        await RunAsync(() =>
        {
            blocks!.DiscriminatorParameters.LoadValues(request.DiscriminatorParameters);
            if (!Simulated)
                metrics = step!.ComputeGeneratorGradients().ToContract();
        }, () =>
        {
            gradients = step!.GeneratorGradients.Read(Precision);
            blocks!.ReadStatistics(statistics);
        });
        stepInFlight = -1;
        return new GeneratorGradients(request.Step, current.WorkerIndex, gradients, statistics, metrics,
            new WorkerTiming(0, clock.Elapsed.TotalSeconds));
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

    private bool Simulated => assignment!.Settings.SimulateComputeMs is not null;

    private WirePrecision Precision => assignment!.Settings.GradientPrecision.ToCore();

    /// <summary>
    /// Loads and computes, then reads the answer out, off the grain's scheduler in one go; when simulating, waits
    /// between the two instead of holding a thread.
    /// </summary>
    private async Task RunAsync(Action compute, Action readOut)
    {
        if (assignment!.Settings.SimulateComputeMs is not int milliseconds)
        {
            await Task.Run(() => { compute(); readOut(); });
            return;
        }
        await Task.Run(compute);
        if (milliseconds > 0)
            await Task.Delay(milliseconds);
        await Task.Run(readOut);
    }

    private (WorkerAssignment Assignment, TrainingConfig Config) Prepared() =>
        assignment is not null && config is not null
            ? (assignment, config)
            : throw new InvalidOperationException($"Worker {this.GetPrimaryKeyString()} was not prepared for a run.");

    private void Release(bool disposeOnly)
    {
        step?.Dispose();
        replica?.Dispose();
        (step, replica, blocks, assignment, config, device, stepInFlight) = (null, null, null, null, null, null, -1);
        statistics = [];
        if (!disposeOnly)
            DeactivateOnIdle();
    }
}
