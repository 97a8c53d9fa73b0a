namespace Orleans.Gan.Core.Training;

/// <summary>
/// How G_ema averages: StyleGAN2-ADA's <c>ema_kimg</c> and <c>ema_rampup</c>. The ramp-up is on by default, as in
/// StyleGAN2-ADA's default configuration: without it, a half-life of 10 kimg (156 steps of 64 images) lags so far
/// behind a G that is still improving fast that G_ema scored worse than G at every score of a 1,000-step run here;
/// with it, better at 9 of 10 (README, <i>G_ema</i>).
/// </summary>
/// <param name="Kimg">The average's half-life in thousands of images; 0 keeps no average (G_ema is G).</param>
/// <param name="Rampup">While fewer than Kimg·1000/Rampup images have been seen, the half-life is the images seen times this; 0 for none.</param>
public sealed record AverageSettings(double Kimg = 10, double Rampup = 0.05)
{
    public bool IsOn => Kimg > 0;

    /// <summary>β for a step of <paramref name="globalBatch"/> images after <paramref name="imagesBefore"/>.</summary>
    public float Beta(long imagesBefore, int globalBatch)
    {
        double halfLife = Kimg * 1000;
        if (Rampup > 0)
            halfLife = Math.Min(halfLife, imagesBefore * Rampup);
        return (float)Math.Pow(0.5, globalBatch / Math.Max(halfLife, 1e-8));
    }

    /// <summary>Throws an <see cref="ArgumentException"/> naming the flag that is out of range.</summary>
    public AverageSettings Validate()
    {
        if (!(Kimg >= 0) || double.IsInfinity(Kimg))
            throw new ArgumentException($"--ema-kimg must be 0 (no average) or more, not {Kimg}.", nameof(Kimg));
        if (!(Rampup >= 0) || double.IsInfinity(Rampup))
            throw new ArgumentException($"--ema-rampup must be 0 (none) or more, not {Rampup}.", nameof(Rampup));
        return this;
    }
}
