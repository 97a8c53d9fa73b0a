using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Orleans.Gan.Contracts;

namespace Orleans.Gan.Grains.Telemetry;

/// <summary>
/// The training metrics of the runs whose coordinators live on this silo, under the meter <see cref="MeterName"/>.
/// Names follow OpenTelemetry's conventions and come out in Prometheus form (<c>gan.steps</c> → <c>gan_steps_total</c>,
/// unit <c>s</c> → <c>_seconds</c>); the only labels are the run, the phase and the direction, never a step or an image,
/// and on <c>gan_worker_slot</c> a worker's index, silo and device.
/// </summary>
public sealed class GanMetrics
{
    public const string MeterName = "Orleans.Gan";

    // Seconds, from a GPU step's milliseconds to a CPU checkpoint's tens of seconds.
    private static readonly IReadOnlyList<double> SecondsBuckets =
        [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120];

    private readonly Gauge<double> lossD, lossG, realScore, fakeScore, quality;
    private readonly Gauge<int> epoch, activeWorkers, targetWorkers;
    private readonly Gauge<long> busiestSilo;
    private readonly Counter<long> steps, images, exchangedBytes, skippedFiles;
    private readonly Histogram<double> phaseDuration, checkpointDuration;
    // Each run's workers' slots, as last placed: read when metrics are collected, so a moved worker leaves no stale series.
    private readonly ConcurrentDictionary<string, IReadOnlyList<WorkerSlot?>> placements = new();

    public GanMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        var seconds = new InstrumentAdvice<double> { HistogramBucketBoundaries = SecondsBuckets };
        lossD = meter.CreateGauge<double>("gan.loss.discriminator", description: "Loss_D of the newest step, mean over the workers.");
        lossG = meter.CreateGauge<double>("gan.loss.generator", description: "Loss_G (non-saturating) of the newest step, mean over the workers.");
        realScore = meter.CreateGauge<double>("gan.discriminator.real_score", "1", "D(x): D's mean probability that a real image is real.");
        fakeScore = meter.CreateGauge<double>("gan.discriminator.fake_score", "1",
            "D(G(z)): D's mean probability that a generated image is real, before and after D's update (label when).");
        quality = meter.CreateGauge<double>("gan.sample.swd", description: "Sliced Wasserstein distance x1000 of fixed-noise samples to held-out real images, of G_ema (generator=ema) and G (generator=raw); lower is better.");
        epoch = meter.CreateGauge<int>("gan.epoch", description: "The epoch the newest step belongs to, from 0.");
        activeWorkers = meter.CreateGauge<int>("gan.workers.active", description: "Workers taking part in the run's steps.");
        targetWorkers = meter.CreateGauge<int>("gan.workers.target", description: "Workers the run asked for.");
        steps = meter.CreateCounter<long>("gan.steps", description: "Training steps completed.");
        images = meter.CreateCounter<long>("gan.images", description: "Real images trained on, all workers together.");
        exchangedBytes = meter.CreateCounter<long>("gan.exchange", "By",
            "Bytes moved between silos by the steps' exchange (slices of gradient sums to their holders, new slices of weights to the other silos), each counted once.");
        busiestSilo = meter.CreateGauge<long>("gan.exchange.busiest_silo.per_step", "By",
            "The newest step's bytes sent plus received by the silo that moved the most: about twice the model's at any number of silos.");
        skippedFiles = meter.CreateCounter<long>("gan.data.skipped_files", description: "Data set files skipped as unreadable, counted when the shards are prepared.");
        phaseDuration = meter.CreateHistogram("gan.step.phase.duration", "s",
            "Seconds of one step spent per phase: data_wait, compute, exchange, optimizer.", advice: seconds);
        checkpointDuration = meter.CreateHistogram("gan.checkpoint.duration", "s", "Seconds to write one checkpoint.", advice: seconds);
        meter.CreateObservableGauge("gan.worker.slot", ObservePlacements,
            description: "1 for each worker of a run, labelled with the silo and the device (cuda:i or cpu) it runs on.");
    }

    public void RunPrepared(string run, int active, int target, int skipped)
    {
        Workers(run, active, target);
        skippedFiles.Add(skipped, Run(run));
    }

    public void Workers(string run, int active, int target)
    {
        activeWorkers.Record(active, Run(run));
        targetWorkers.Record(target, Run(run));
    }

    public void StepCompleted(string run, int stepEpoch, int stepImages, TrainingMetrics metrics, StepPhases phases, long busiestSiloBytes, long totalBytes)
    {
        var tags = Run(run);
        steps.Add(1, tags);
        images.Add(stepImages, tags);
        epoch.Record(stepEpoch, tags);
        lossD.Record(metrics.LossD, tags);
        lossG.Record(metrics.LossG, tags);
        realScore.Record(metrics.RealScore, tags);
        fakeScore.Record(metrics.FakeScoreBeforeD, With(tags, "when", "before_d_update"));
        fakeScore.Record(metrics.FakeScoreAfterD, With(tags, "when", "after_d_update"));
        phaseDuration.Record(phases.DataWait.TotalSeconds, With(tags, "phase", "data_wait"));
        phaseDuration.Record(phases.Compute.TotalSeconds, With(tags, "phase", "compute"));
        phaseDuration.Record(phases.Exchange.TotalSeconds, With(tags, "phase", "exchange"));
        phaseDuration.Record(phases.Optimizer.TotalSeconds, With(tags, "phase", "optimizer"));
        exchangedBytes.Add(totalBytes, tags);
        busiestSilo.Record(busiestSiloBytes, tags);
    }

    /// <summary>The run's workers' slots now; none once the run's workers are released.</summary>
    public void Placement(string run, IReadOnlyList<WorkerSlot?> placement)
    {
        if (placement.Count == 0)
            placements.TryRemove(run, out _);
        else
            placements[run] = placement.ToArray();
    }

    public void CheckpointWritten(string run, TimeSpan duration) => checkpointDuration.Record(duration.TotalSeconds, Run(run));

    public void SampleQuality(string run, GeneratorChoice generator, double swd) =>
        quality.Record(swd, With(Run(run), "generator", generator.ToString().ToLowerInvariant()));

    private IEnumerable<Measurement<int>> ObservePlacements() =>
        from run in placements
        from worker in run.Value.Select((slot, index) => (Slot: slot, Index: index))
        where worker.Slot is not null
        select new Measurement<int>(1, new TagList
        {
            { "run", run.Key }, { "worker", worker.Index.ToString(System.Globalization.CultureInfo.InvariantCulture) },
            { "silo", worker.Slot.Silo }, { "device", worker.Slot.Device },
        });

    private static TagList Run(string run) => new() { { "run", run } };

    private static TagList With(TagList tags, string key, string value)
    {
        tags.Add(key, value);
        return tags;
    }
}
