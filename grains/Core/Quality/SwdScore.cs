namespace Orleans.Gan.Core.Quality;

/// <summary>
/// ProGAN's sliced Wasserstein distance between two image sets, x10^3: one value per pyramid level, finest first,
/// and their mean. Lower is closer; identical sets at identical patches score 0.
/// </summary>
public sealed record SwdScore(IReadOnlyList<SwdLevelScore> Levels)
{
    public double Average => Levels.Average(level => level.Value);

    /// <summary>One line such as "SWD x1e3 64px 12.3 32px 8.1 16px 5.4 avg 8.6", for logs and status output.</summary>
    public override string ToString() =>
        "SWD x1e3 " + string.Join(" ", Levels.Select(level => FormattableString.Invariant($"{level.Size}px {level.Value:F1}")))
        + FormattableString.Invariant($" avg {Average:F1}");
}
