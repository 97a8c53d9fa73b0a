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
        ("train/Loss_D", metrics.LossD), ("train/Loss_G", metrics.LossG), ("train/D(x)", metrics.RealScore),
        ("train/D(G(z))_before_D_step", metrics.FakeScoreBeforeD), ("train/D(G(z))_after_D_step", metrics.FakeScoreAfterD),
        ("speed/images_per_second", imagesPerSecond),
        ("step_seconds/data_wait", phases.DataWait.TotalSeconds), ("step_seconds/compute", phases.Compute.TotalSeconds),
        ("step_seconds/exchange", phases.Exchange.TotalSeconds), ("step_seconds/optimizer", phases.Optimizer.TotalSeconds),
    ]));

    public void SampleQuality(long step, double averaged, double raw) => Write(log => log.Scalars(step, [("quality/SWD_G_ema", averaged), ("quality/SWD_G", raw)]));

    public void Grid(long step, byte[] png) => Write(log => log.Image(step, "samples/G_ema", png));

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
