namespace Orleans.Gan.Core.Checkpoints;

/// <summary>
/// The user's settings of a run besides its <see cref="Training.TrainingConfig"/>: what it trains on, for how long,
/// and how often it writes files. Stored in every checkpoint so that a resumed run goes on as it was started.
/// </summary>
/// <param name="MaxSteps">Steps in all, not steps more; 0 for no limit.</param>
/// <param name="Dataset">A CelebA folder or zip as the silos see it; null for synthetic faces.</param>
/// <param name="EmaKimg">G_ema's half-life in thousands of images (see <see cref="Training.AverageSettings"/>); 10, the default, in checkpoints written before it was stored.</param>
/// <param name="EmaRampup">G_ema's ramp-up; 0 for none.</param>
public sealed record RunPlan(int Epochs, long MaxSteps, string? Dataset, int SyntheticFaces, int SampleEvery, int CheckpointEvery, int QualityEvery,
    double EmaKimg = 10, double EmaRampup = 0.05);
