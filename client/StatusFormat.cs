using System.Globalization;
using Orleans.Gan.Contracts;

namespace Orleans.Gan.Client;

/// <summary>
/// The text of each status field, shared by the tables, the live display and the plain log lines so that they
/// never disagree. Invariant culture: these lines are read by scripts and compared across machines.
/// </summary>
internal static class StatusFormat
{
    public static string Phase(RunStatus status) => status.Phase.ToString();

    /// <summary>Before the coordinator has counted the data set the total is not known yet.</summary>
    public static string Steps(RunStatus status) => status.TotalSteps > 0
        ? Invariant($"{status.Step} / {status.TotalSteps}")
        : Invariant($"{status.Step} / ?");

    public static string Epoch(RunStatus status) => status.Epochs > 0
        ? Invariant($"{status.Epoch} / {status.Epochs}")
        : Invariant($"{status.Epoch}");

    public static string LossD(TrainingMetrics? metrics) => Number(metrics?.LossD);

    public static string LossG(TrainingMetrics? metrics) => Number(metrics?.LossG);

    public static string RealScore(TrainingMetrics? metrics) => Number(metrics?.RealScore);

    /// <summary>As PyTorch's DCGAN example prints it: the score before D's update / after it.</summary>
    public static string FakeScore(TrainingMetrics? metrics) => metrics is null
        ? "-"
        : $"{Number(metrics.FakeScoreBeforeD)} / {Number(metrics.FakeScoreAfterD)}";

    public static string ImagesPerSecond(RunStatus status) => status.ImagesPerSecond.ToString("0.0", CultureInfo.InvariantCulture);

    public static string Workers(RunStatus status) => Invariant($"{status.ActiveWorkers} / {status.TargetWorkers}");

    /// <summary>Each worker's silo and device, by index: <c>0 silo-a/cuda:0, 1 silo-b/cpu#0</c>.</summary>
    public static string Placement(RunStatus status) => status.Placement is { Count: > 0 } placement
        ? string.Join(", ", placement.Select((slot, index) => Invariant($"{index} {slot?.ToString() ?? "-"}")))
        : "-";

    public static string Quality(QualityScore? score) => score is null
        ? "-"
        : Invariant($"{score.Average:0.0} at step {score.Step} (") + string.Join(", ", score.LevelSizes.Zip(score.Levels, (size, value) => Invariant($"{size}px {value:0.0}"))) + ")";

        public static string Optional(string? text) => string.IsNullOrEmpty(text) ? "-" : text;

    /// <summary>One line with every field, for logs that are not a terminal.</summary>
    public static string Line(RunStatus status)
    {
        string line = $"[{status.Run}] {Phase(status)} step {Steps(status)} epoch {Epoch(status)} "
            + $"Loss_D {LossD(status.Metrics)} Loss_G {LossG(status.Metrics)} "
            + $"D(x) {RealScore(status.Metrics)} D(G(z)) {FakeScore(status.Metrics)} "
            + $"images/s {ImagesPerSecond(status)} workers {Workers(status)}";
        return string.IsNullOrEmpty(status.Message) ? line : $"{line} - {status.Message}";
    }

    private static string Number(double? value) => value?.ToString("0.0000", CultureInfo.InvariantCulture) ?? "-";

    private static string Invariant(FormattableString text) => FormattableString.Invariant(text);
}
