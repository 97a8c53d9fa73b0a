using System.Globalization;
using Orleans.Gan.Core.Models;

namespace Orleans.Gan.Core.Training;

/// <summary>The hyper-parameters of a run: the networks, the per-worker batch, both Adam optimizers and the seed.</summary>
/// <param name="BatchSize">Images per worker per step.</param>
/// <param name="Seed">Fixes initial weights, noise, dropout masks and data order.</param>
public sealed record TrainingConfig(
    GanModelConfig Model,
    int BatchSize,
    double LearningRate,
    double Beta1,
    double Beta2,
    long Seed)
{
    /// <summary>The DCGAN paper's optimizer settings: Adam with lr 2e-4 and betas (0.5, 0.999).</summary>
    public static TrainingConfig For(GanModelConfig model, int batchSize = 64, long seed = 1) =>
        new(model, batchSize, 2e-4, 0.5, 0.999, seed);

    /// <summary>
    /// Adam's learning rate for a run that names none: the DCGAN paper's 2e-4 for dcgan64; 5e-4 for tutorial28, at
    /// which its default widths draw faces within a few hundred steps (README, "The tutorial's model, trained to faces").
    /// </summary>
    public static double DefaultLearningRate(GanArchitecture architecture) => architecture == GanArchitecture.Dcgan64 ? 2e-4 : 5e-4;

    /// <summary>Both optimizers' settings.</summary>
    public AdamSettings Adam => new(LearningRate, Beta1, Beta2);

    /// <summary>Each setting that differs from <paramref name="other"/>, as "name this → other", for messages.</summary>
    public IReadOnlyList<string> Differences(TrainingConfig other)
    {
        var differences = new List<string>();
        void Compare<T>(string name, T mine, T theirs)
        {
            if (!EqualityComparer<T>.Default.Equals(mine, theirs))
                differences.Add(string.Create(CultureInfo.InvariantCulture, $"{name} {mine} → {theirs}"));
        }
        Compare("model", Model.Describe(), other.Model.Describe());
        Compare("batch size", BatchSize, other.BatchSize);
        Compare("learning rate", LearningRate, other.LearningRate);
        Compare("beta1", Beta1, other.Beta1);
        Compare("beta2", Beta2, other.Beta2);
        Compare("seed", Seed, other.Seed);
        return differences;
    }

    /// <summary>Throws an <see cref="ArgumentException"/> naming the first setting that is out of range.</summary>
    public TrainingConfig Validate()
    {
        Model.Validate();
        if (BatchSize < 1)
            throw new ArgumentException($"The batch size must be at least 1, not {BatchSize}.", nameof(BatchSize));
        if (!(LearningRate > 0) || double.IsInfinity(LearningRate))
            throw new ArgumentException($"The learning rate must be positive, not {LearningRate}.", nameof(LearningRate));
        if (Beta1 is < 0 or >= 1 || double.IsNaN(Beta1))
            throw new ArgumentException($"beta1 must be in [0, 1), not {Beta1}.", nameof(Beta1));
        if (Beta2 is < 0 or >= 1 || double.IsNaN(Beta2))
            throw new ArgumentException($"beta2 must be in [0, 1), not {Beta2}.", nameof(Beta2));
        return this;
    }
}
