using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Orleans.Gan.Contracts;
using Orleans.Gan.Core.Checkpoints;
using Orleans.Gan.Core.Imaging;
using Orleans.Gan.Core.Quality;
using Orleans.Gan.Core.Training;
using Orleans.Gan.Data;
using Orleans.Gan.Data.Synthetic;
using Orleans.Gan.Grains.Hosting;
using Orleans.Gan.Grains.Telemetry;

namespace Orleans.Gan.Grains.Training;

/// <summary>
/// What a run leaves as it goes, written by its coordinator on its own silo: every step's TensorBoard events, and,
/// from the master as last gathered, grids of G_ema's faces, the sample-quality scores of G_ema and G, and checkpoints.
/// </summary>
public sealed class RunOutputs : IDisposable
{
    private const int GridFaces = 64;
    private readonly string run;
    private readonly RunSettings settings;
    private readonly RunFolder folder;
    private readonly int checkpointsToKeep;
    private readonly SampleQualityProbe? quality;
    private readonly RunTensorBoard board;
    private readonly GanMetrics metrics;
    private readonly ILogger logger;

    private RunOutputs(string run, RunSettings settings, RunFolder folder, int checkpointsToKeep, SampleQualityProbe? quality,
        GanMetrics metrics, ILogger logger)
    {
        (this.run, this.settings, this.folder, this.checkpointsToKeep, this.quality, this.metrics, this.logger) =
            (run, settings, folder, checkpointsToKeep, quality, metrics, logger);
        board = RunTensorBoard.Open(folder, run, logger);
    }

    /// <summary>Reads the held-out real images of the sample-quality score, on this silo, and opens the TensorBoard folder.</summary>
    public static async Task<RunOutputs> OpenAsync(string run, RunSettings settings, TrainingHostOptions host, GanMetrics metrics, ILogger logger)
    {
        int imageSize = settings.ToTrainingConfig().Model.ImageSize;
        var dataset = settings.Dataset ?? await SyntheticDatasetFolder.EnsureAsync(host.DataDirectory, settings.SyntheticFaces);
        var heldOut = await Task.Run(() => HeldOutImages.Read(dataset, SampleQualityProbe.Images, imageSize, line => logger.LogInformation("{Line}", line)));
        SampleQualityProbe? quality = null;
        if (heldOut.Count >= 2)
            quality = new SampleQualityProbe(heldOut, settings.Seed);
        else
            logger.LogWarning("Run {Run}: {Count} held-out images in {Dataset}; no sample-quality score", run, heldOut.Count, dataset);
        return new RunOutputs(run, settings, new RunFolder(host.RunsDirectory, run), host.CheckpointsToKeep, quality, metrics, logger);
    }

    public void StepCompleted(long step, TrainingMetrics stepMetrics, StepPhases phases, double imagesPerSecond) =>
        board.StepCompleted(step, stepMetrics, phases, imagesPerSecond);

    /// <summary>Writes G_ema's grid of the run's fixed noise; returns the path of the newest grid.</summary>
    public string WriteGrid(RunMaster master, long step)
    {
        using var faces = FixedNoise.Sample(master.Sampled(GeneratorChoice.Ema), settings.Seed, GridFaces);
        var png = FaceGrid.ToPng(faces);
        var latest = folder.WriteGrid(step, png);
        board.Grid(step, png);
        return latest;
    }

    /// <summary>
    /// Scores G_ema and G on the same held-out images; where the run keeps no G_ema, G's score stands for both. Null
    /// where the data set has too few held-out images to score.
    /// </summary>
    public (QualityScore Averaged, QualityScore Raw)? Score(RunMaster master, long step)
    {
        if (quality is null)
            return null;
        var raw = quality.Measure(master.Networks);
        var averaged = master.Average is null ? raw : quality.Measure(master.Average.Networks);
        metrics.SampleQuality(run, GeneratorChoice.Ema, averaged.Average);
        metrics.SampleQuality(run, GeneratorChoice.Raw, raw.Average);
        board.SampleQuality(step, averaged.Average, raw.Average);
        logger.LogInformation("Run {Run} step {Step}: G_ema {Averaged}; G {Raw}", run, step, averaged, raw);
        static QualityScore Contract(long step, SwdScore score) =>
            new(step, score.Average, [.. score.Levels.Select(l => l.Value)], [.. score.Levels.Select(l => l.Size)]);
        return (Contract(step, averaged), Contract(step, raw));
    }

    public void WriteCheckpoint(RunMaster master, long step, int stepsPerEpoch)
    {
        var started = Stopwatch.GetTimestamp();
        var state = new CheckpointState(settings.ToTrainingConfig(), step, (int)(step / stepsPerEpoch), (int)(step % stepsPerEpoch),
            settings.Workers, settings.ToPlan());
        CheckpointFile.Save(folder.CheckpointPath(step), master.Networks, master.Optimizers, state, master.Average);
        metrics.CheckpointWritten(run, Stopwatch.GetElapsedTime(started));
        folder.PruneCheckpoints(checkpointsToKeep);
    }

    public void Dispose()
    {
        quality?.Dispose();
        board.Dispose();
    }
}
