namespace Orleans.Gan.Core.Checkpoints;

/// <summary>
/// The user's settings of a run besides its <see cref="Training.TrainingConfig"/>: what it trains on, for how long,
/// and how often it writes files. Stored in every checkpoint so that a resumed run goes on as it was started.
/// </summary>
/// <param name="MaxSteps">Steps in all, not steps more; 0 for no limit.</param>
/// <param name="Dataset">A CelebA folder or zip as the silos see it; null for synthetic faces.</param>
public sealed record RunPlan(int Epochs, long MaxSteps, string? Dataset, int SyntheticFaces, int SampleEvery, int CheckpointEvery, int QualityEvery);
