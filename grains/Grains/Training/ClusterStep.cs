using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Orleans.Gan.Contracts;
using Orleans.Gan.Core.Training;
using Orleans.Gan.Core.Training.Sharding;
using Orleans.Gan.Grains.Telemetry;

namespace Orleans.Gan.Grains.Training;

/// <summary>
/// One training step across the cluster, read top to bottom as <see cref="LocalTrainer"/>'s: D's gradients summed
/// over every worker, D's Adam step on their mean, G's gradients through the new D summed likewise, G's Adam step,
/// G_ema's update and the batch-norm statistics averaged. The master is sharded: each silo's stage sums its workers,
/// and the sums, the Adam steps and the new weights move through <see cref="IReduceScatterAllGather"/>. A step that
/// fails throws, with whatever the stages did of it still to be taken back; the coordinator does that and takes the
/// step again.
/// </summary>
public sealed class ClusterStep(string run, AverageSettings? average, int globalBatch, WorkerRoster workers, IReduceScatterAllGather exchange,
    Func<CancellationToken, bool> leaving, ILogger logger)
{
    private readonly GradientSum statisticsSum = new();
    // G's new slices from the last step, gathered by the stages as the next D phase begins; none right after a seed.
    private SliceOffer[] newGenerator = [];
    private long seededLayout;

    /// <summary>
    /// Takes step <paramref name="step"/>. Returns null when the step fails while the run is being stopped or this
    /// silo leaves (scancel, a deleted StatefulSet): the stages' snapshots then take back what was done of it, and the
    /// stop checkpoint is of the last whole step.
    /// </summary>
    public async Task<StepTaken?> TakeAsync(long step, int epoch, int batchInEpoch, GradientPrecision precision, CancellationToken stop)
    {
        var layout = exchange.Layout;
        if (layout.Version != seededLayout)
            (newGenerator, seededLayout) = ([], layout.Version);
        var traffic = new SiloTraffic(layout);
        try
        {
            var fanOut = Stopwatch.StartNew();
            var discriminator = await workers.CallStagesAsync($"step {step}, D phase", (stage, indices) =>
                stage.ComputeDiscriminatorGradients(new StageDiscriminatorRequest(step, epoch, batchInEpoch, indices, precision, layout.Version, newGenerator)));
            var discriminatorFanOut = fanOut.Elapsed;
            traffic.Gathered(newGenerator, discriminator.Select(s => s.Silo));

            var optimizer = Stopwatch.StartNew();
            var newDiscriminator = await exchange.ReduceScatterAsync(MasterNetwork.Discriminator, step, discriminator, [], null);
            optimizer.Stop();
            traffic.ReduceScattered(discriminator);

            fanOut.Restart();
            var generator = await workers.CallStagesAsync($"step {step}, G phase", (stage, indices) =>
                stage.ComputeGeneratorGradients(new StageGeneratorRequest(step, indices, precision, layout.Version, newDiscriminator)));
            var generatorFanOut = fanOut.Elapsed;
            traffic.Gathered(newDiscriminator, generator.Select(s => s.Silo));

            optimizer.Start();
            float? beta = average?.Beta(step * globalBatch, globalBatch);
            newGenerator = await exchange.ReduceScatterAsync(MasterNetwork.Generator, step, generator, MeanStatistics(generator), beta);
            optimizer.Stop();
            traffic.ReduceScattered(generator);

            var metrics = StepMetrics.Mean(generator.SelectMany(g => g.Metrics).Select(m => m.ToCore()).ToList()).ToContract();
            var phases = StepPhases.Split(discriminatorFanOut, discriminator.SelectMany(d => d.Timings),
                generatorFanOut, generator.SelectMany(g => g.Timings), optimizer.Elapsed);
            return new StepTaken(metrics, phases, traffic.Busiest, traffic.Total);
        }
        catch (Exception e) when (leaving(stop))
        {
            logger.LogWarning("Run {Run}: step {Step} cannot finish while this silo leaves ({Reason}); it is not taken, and the run goes on from it",
                run, step, e.Message);
            return null;
        }
    }

    /// <summary>The workers' mean batch-norm statistics, from the stages' float32 sums, added in the order the stages answered.</summary>
    private byte[] MeanStatistics(IReadOnlyList<StageSum> sums)
    {
        statisticsSum.Reset(sums[0].Statistics.Length / sizeof(float));
        foreach (var sum in sums)
            statisticsSum.Add(sum.Statistics, WirePrecision.Float32, sum.Workers.Length);
        if (statisticsSum.Workers != workers.Count)
            throw new InvalidOperationException($"The stages answered for {statisticsSum.Workers} workers, not the run's {workers.Count}.");
        return statisticsSum.Mean().ToArray();
    }
}
