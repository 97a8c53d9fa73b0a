using Microsoft.Extensions.Logging;
using Orleans.Gan.Contracts;
using Orleans.Gan.Core.Checkpoints;
using Orleans.Gan.Core.TensorBoard;

namespace Orleans.Gan.Grains.Telemetry;

/// <summary>
/// The run's curves for <c>tensorboard --logdir runs/</c>, written by its coordinator into <c>runs/&lt;run&gt;/tensorboard/</c>:
/// each step's losses, D's outputs, images/s and phase times, each score's SWD and each grid. A folder that cannot be
/// written costs one warning in the silo's log, never the run.
/// </summary>
public sealed class RunTensorBoard : IDisposable
{
    public const string LossD = "train/Loss_D", LossG = "train/Loss_G", RealScore = "train/D(x)",
        FakeScoreBeforeD = "train/D(G(z))_before_D_step", FakeScoreAfterD = "train/D(G(z))_after_D_step",
        ImagesPerSecond = "speed/images_per_second", SwdEma = "quality/SWD_G_ema", SwdRaw = "quality/SWD_G", Faces = "samples/G_ema";

    private readonly string run;
    private readonly ILogger logger;
    private TensorBoardLog? log;

    private RunTensorBoard(string run, ILogger logger, TensorBoardLog? log)
    {
        this.run = run;
        this.logger = logger;
        this.log = log;
    }

    public static RunTensorBoard Open(RunFolder folder, string run, ILogger logger)
    {
        try
        {
            var log = TensorBoardLog.Open(folder.TensorBoardPath);
            logger.LogInformation("Run {Run} writes its TensorBoard events to {Path}", run, log.Path);
            return new RunTensorBoard(run, logger, log);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            logger.LogWarning("Run {Run} writes no TensorBoard events: {Folder} cannot be written ({Reason})", run, folder.TensorBoardPath, e.Message);
            return new RunTensorBoard(run, logger, null);
        }
    }

    public void StepCompleted(long step, TrainingMetrics metrics, StepPhases phases, double imagesPerSecond) => Write(log => log.Scalars(step,
    [
        (LossD, metrics.LossD), (LossG, metrics.LossG), (RealScore, metrics.RealScore),
        (FakeScoreBeforeD, metrics.FakeScoreBeforeD), (FakeScoreAfterD, metrics.FakeScoreAfterD), (ImagesPerSecond, imagesPerSecond),
        ("step_seconds/data_wait", phases.DataWait.TotalSeconds), ("step_seconds/compute", phases.Compute.TotalSeconds),
        ("step_seconds/exchange", phases.Exchange.TotalSeconds), ("step_seconds/optimizer", phases.Optimizer.TotalSeconds),
    ]));

    public void SampleQuality(long step, double averaged, double raw) => Write(log => log.Scalars(step, [(SwdEma, averaged), (SwdRaw, raw)]));

    public void Grid(long step, byte[] png) => Write(log => log.Image(step, Faces, png));

    /// <summary>A write that fails (a full disk, a folder made read-only) warns once and ends the events, not the run.</summary>
    private void Write(Action<TensorBoardLog> write)
    {
        if (log is null)
            return;
        try
        {
            write(log);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            logger.LogWarning("Run {Run} writes no more TensorBoard events: {Path} could not be written ({Reason})", run, log.Path, e.Message);
            log.Dispose();
            log = null;
        }
    }

    public void Dispose() => log?.Dispose();
}
