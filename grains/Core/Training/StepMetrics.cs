namespace Orleans.Gan.Core.Training;

/// <summary>What PyTorch's DCGAN example prints for every step.</summary>
/// <param name="LossD">BCE of D on the real batch plus BCE on the fake batch.</param>
/// <param name="LossG">The non-saturating generator loss: BCE of D(G(z)) against the real label 1.</param>
/// <param name="RealScore">D(x): D's mean probability that a real image is real.</param>
/// <param name="FakeScoreBeforeD">D(G(z)) before D's update.</param>
/// <param name="FakeScoreAfterD">D(G(z)) after D's update, the score G trained against.</param>
public readonly record struct StepMetrics(
    double LossD,
    double LossG,
    double RealScore,
    double FakeScoreBeforeD,
    double FakeScoreAfterD)
{
    /// <summary>The mean of several workers' metrics, each computed on an equal share of the global batch.</summary>
    public static StepMetrics Mean(IReadOnlyCollection<StepMetrics> metrics) => new(
        metrics.Average(m => m.LossD),
        metrics.Average(m => m.LossG),
        metrics.Average(m => m.RealScore),
        metrics.Average(m => m.FakeScoreBeforeD),
        metrics.Average(m => m.FakeScoreAfterD));
}
