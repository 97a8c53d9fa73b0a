using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Orleans.Gan.Contracts;
using Orleans.Gan.Core.Models;
using Orleans.Gan.Core.Training;
using Orleans.Gan.Grains.Exchange;
using Orleans.Gan.Grains.Telemetry;

namespace Orleans.Gan.Grains.Training;

/// <summary>
/// One training step across the cluster, read top to bottom as <see cref="LocalTrainer"/>'s: D's gradients summed over
/// every worker, D's Adam step on their mean, G's gradients through the new D summed likewise, G's Adam step, the
/// batch-norm statistics averaged, and G_ema's update. Each phase offers the master's weights to the stage of every silo with workers and
/// fetches back one sum per silo; large buffers move through <see cref="IBulkTransfer"/>, the grain calls carry their
/// tickets. The master networks, both Adams and G_ema are the coordinator's, lent here.
/// </summary>
public sealed class ClusterStep
{
    private readonly string run;
    private readonly GanOptimizers optimizers;
    private readonly NetworkBlocks blocks;
    private readonly GeneratorAverage? average;
    private readonly int globalBatch;
    private readonly WorkerRoster workers;
    private readonly IBulkTransfer bulk;
    private readonly string localSilo;
    private readonly TimeSpan stepTimeout;
    private readonly Func<CancellationToken, bool> leaving;
    private readonly ILogger logger;
    private readonly DiscriminatorUndo discriminatorUndo;
    private readonly GradientSum gradientSum = new(), statisticsSum = new();
    private readonly byte[] generatorSet;
    // Two, used in turn: a worker moved during phase 2 redoes phase 1 on the D offered before the one phase 2 offers.
    private readonly byte[][] discriminatorParameters;
    private BulkTicket? discriminatorOffer;
    private long discriminatorVersion;

    /// <param name="average">G_ema, updated after G's step; null where the run keeps none.</param>
    /// <param name="globalBatch">Images of a step, all workers together: G_ema's β depends on it.</param>
    /// <param name="leaving">Whether the run is being stopped or this silo leaves: a step that fails then is not taken.</param>
    public ClusterStep(string run, GanNetworks master, GanOptimizers optimizers, GeneratorAverage? average, int globalBatch, WorkerRoster workers,
        IBulkTransfer bulk, string localSilo, TimeSpan stepTimeout, Func<CancellationToken, bool> leaving, ILogger logger)
    {
        (this.run, this.optimizers, this.average, this.globalBatch) = (run, optimizers, average, globalBatch);
        blocks = new NetworkBlocks(master);
        (this.workers, this.bulk) = (workers, bulk);
        (this.localSilo, this.stepTimeout, this.leaving, this.logger) = (localSilo, stepTimeout, leaving, logger);
        discriminatorUndo = new DiscriminatorUndo(optimizers.Discriminator);
        generatorSet = new byte[blocks.GeneratorSetByteCount];
        discriminatorParameters = [new byte[blocks.DiscriminatorParameters.ByteCount], new byte[blocks.DiscriminatorParameters.ByteCount]];
    }

    /// <summary>
    /// Takes step <paramref name="step"/>. Returns null, with the master as it was before the step, when the step cannot
    /// finish because every silo is leaving at once (scancel, a deleted StatefulSet): its workers have nowhere to go, so
    /// the step is not taken, and the stop checkpoint is of the last whole step.
    /// </summary>
    public async Task<StepTaken?> TakeAsync(long step, int epoch, int batchInEpoch, GradientPrecision precision, CancellationToken stop)
    {
        if (await TakePhasesAsync(step, epoch, batchInEpoch, precision, stop) is not { } sums)
            return null;
        var (discriminator, generator, discriminatorFanOut, generatorFanOut, optimizer) = sums;
        optimizer.Start();
        optimizers.Generator.Step(Mean(generator, blocks.GeneratorParameters));
        statisticsSum.Reset(blocks.StatisticsByteCount / sizeof(float));
        foreach (var part in generator)
            statisticsSum.Add(part.Sum.Statistics, WirePrecision.Float32, part.Sum.Workers.Length);
        blocks.WriteStatistics(statisticsSum.Mean().Span);
        average?.Update(step * globalBatch, globalBatch);
        optimizer.Stop();

        var metrics = StepMetrics.Mean(generator.SelectMany(g => g.Sum.Metrics).Select(m => m.ToCore()).ToList()).ToContract();
        var phases = StepPhases.Split(discriminatorFanOut, discriminator.SelectMany(d => d.Sum.Timings),
            generatorFanOut, generator.SelectMany(g => g.Sum.Timings), optimizer.Elapsed);
        var remote = Remote(discriminator.Concat(generator)).ToList();
        return new StepTaken(metrics, phases, remote.Sum(r => r.FetchedBytes), remote.Sum(r => (long)r.Gradients.Length + r.Statistics.Length));
    }

    /// <summary>Gives back the buffers offered for the run's steps.</summary>
    public void Withdraw() => bulk.Withdraw($"{run}/coordinator/");

    /// <summary>The step's two phases: D's gradients from every worker, D's Adam step, then G's gradients through the new D.</summary>
    private async Task<PhaseSums?> TakePhasesAsync(long step, int epoch, int batchInEpoch, GradientPrecision precision, CancellationToken stop)
    {
        byte[] discriminatorBeforeValues = [];
        bool discriminatorStepped = false;
        try
        {
            await workers.RebalanceAsync();
            var generatorOffer = OfferGeneratorSet(step);
            // D as the last step's phase 2 offered it: stages that fetched it then hold it still.
            var discriminatorBefore = discriminatorOffer ??= OfferDiscriminator();
            discriminatorBeforeValues = discriminatorParameters[discriminatorVersion % 2];
            StageDiscriminatorRequest DiscriminatorPhase(int[] indices) => new(step, epoch, batchInEpoch, generatorOffer, discriminatorBefore, indices, precision);
            var fanOut = Stopwatch.StartNew();
            // Read only, so it overlaps the fan-out.
            var undoCaptured = Task.Run(discriminatorUndo.Capture);
            var discriminator = await workers.CallStagesAsync($"step {step}, D phase",
                (stage, indices) => FetchSumAsync(stage.ComputeDiscriminatorGradients(DiscriminatorPhase(indices))));
            var discriminatorFanOut = fanOut.Elapsed;
            await undoCaptured;
            var optimizer = Stopwatch.StartNew();
            optimizers.Discriminator.Step(Mean(discriminator, blocks.DiscriminatorParameters));
            discriminatorStepped = true;
            optimizer.Stop();
            var newDiscriminator = discriminatorOffer = OfferDiscriminator();

            fanOut.Restart();
            // A worker moved in this phase has not seen the step's D phase; it redoes it on the same weights first.
            var generator = await workers.CallStagesAsync($"step {step}, G phase",
                (stage, indices) => FetchSumAsync(stage.ComputeGeneratorGradients(new StageGeneratorRequest(step, newDiscriminator, indices, precision))),
                catchUp: (stage, indices) => stage.ComputeDiscriminatorGradients(DiscriminatorPhase(indices)));
            return new PhaseSums(discriminator, generator, discriminatorFanOut, fanOut.Elapsed, optimizer);
        }
        catch (Exception e) when (leaving(stop))
        {
            if (discriminatorStepped)
                discriminatorUndo.Restore(discriminatorBeforeValues);
            discriminatorOffer = null;
            logger.LogWarning("Run {Run}: step {Step} cannot finish while this silo leaves ({Reason}); it is not taken, and the run goes on from it",
                run, step, e.Message);
            return null;
        }
    }

    /// <summary>The master's generator set, read into the buffer kept for it and offered to the stages for this step.</summary>
    private BulkTicket OfferGeneratorSet(long step)
    {
        blocks.ReadGeneratorSet(generatorSet);
        return bulk.Offer(GeneratorSetKey, step, generatorSet);
    }

    /// <summary>D's parameters as they are now, offered under a new version: for the G phase and the next step's D phase.</summary>
    private BulkTicket OfferDiscriminator()
    {
        long version = ++discriminatorVersion;
        var buffer = discriminatorParameters[version % 2];
        blocks.DiscriminatorParameters.ReadValues(buffer);
        return bulk.Offer($"{DiscriminatorKey}/{version % 2}", version, buffer);
    }

    /// <summary>
    /// A stage's answer with its sum fetched: part of the same call, so that a transfer cut by a dying silo fails that
    /// silo's part of the phase, which is then redone elsewhere.
    /// </summary>
    private async Task<FetchedSum> FetchSumAsync(Task<StageSum> call)
    {
        var sum = await call;
        using var deadline = new CancellationTokenSource(stepTimeout);
        return new FetchedSum(sum, await bulk.FetchAsync(sum.Gradients, deadline.Token));
    }

    /// <summary>The mean over every worker of the stages' sums, added in the order the roster returned them; gives the fetched buffers back.</summary>
    private ReadOnlyMemory<byte> Mean(IReadOnlyList<FetchedSum> parts, TensorBlock block)
    {
        gradientSum.Reset(checked((int)block.ElementCount));
        foreach (var part in parts)
        {
            using (part.Gradients)
                gradientSum.Add(part.Gradients.Memory.Span, part.Sum.Precision.ToCore(), part.Sum.Workers.Length);
        }
        if (gradientSum.Workers != workers.Count)
            throw new InvalidOperationException($"The stages answered for {gradientSum.Workers} workers, not the run's {workers.Count}.");
        return gradientSum.Mean();
    }

    /// <summary>The sums that came from other silos, i.e. crossed the boundary of this one.</summary>
    private IEnumerable<StageSum> Remote(IEnumerable<FetchedSum> parts) => parts.Select(p => p.Sum).Where(s => s.Silo != localSilo);

    private string GeneratorSetKey => $"{run}/coordinator/generator-set";

    private string DiscriminatorKey => $"{run}/coordinator/discriminator";

    private sealed record FetchedSum(StageSum Sum, BulkData Gradients);

    /// <summary>A step's sums from both phases, how long each fan-out took, and the time spent in D's Adam step so far.</summary>
    private sealed record PhaseSums(
        IReadOnlyList<FetchedSum> Discriminator, IReadOnlyList<FetchedSum> Generator, TimeSpan DiscriminatorFanOut, TimeSpan GeneratorFanOut, Stopwatch Optimizer);
}
