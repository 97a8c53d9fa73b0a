namespace Orleans.Gan.Core.Training;

/// <summary>How G_ema averages: StyleGAN2-ADA's <c>ema_kimg</c> and <c>ema_rampup</c>.</summary>
/// <param name="Kimg">The average's half-life in thousands of images; 0 keeps no average (G_ema is G).</param>
/// <param name="Rampup">While fewer than Kimg·1000/Rampup images have been seen, the half-life is the images seen times this; null for none.</param>
public sealed record AverageSettings(double Kimg = 10, double? Rampup = null)
{
    public bool IsOn => Kimg > 0;

    /// <summary>β for a step of <paramref name="globalBatch"/> images after <paramref name="imagesBefore"/>.</summary>
    public float Beta(long imagesBefore, int globalBatch)
    {
        double halfLife = Kimg * 1000;
        if (Rampup is { } rampup)
            halfLife = Math.Min(halfLife, imagesBefore * rampup);
        return (float)Math.Pow(0.5, globalBatch / Math.Max(halfLife, 1e-8));
    }

    /// <summary>Throws an <see cref="ArgumentException"/> naming the flag that is out of range.</summary>
    public AverageSettings Validate()
    {
        if (!(Kimg >= 0) || double.IsInfinity(Kimg))
            throw new ArgumentException($"--ema-kimg must be 0 (no average) or more, not {Kimg}.", nameof(Kimg));
        if (Rampup is { } rampup && (!(rampup > 0) || double.IsInfinity(rampup)))
            throw new ArgumentException($"--ema-rampup must be above 0, not {rampup}.", nameof(Rampup));
        return this;
    }
}
