using Orleans.Gan.Contracts;
using Orleans.Gan.Core.Models;
using Orleans.Gan.Core.Training;

namespace Orleans.Gan.Grains.Training;

/// <summary>Between the wire records of contracts/ and the configuration records of the Orleans-free core.</summary>
public static class RunSettingsMapping
{
    /// <summary>The run's hyper-parameters, model defaults filled in; throws ArgumentException naming a bad setting.</summary>
    public static TrainingConfig ToTrainingConfig(this RunSettings settings)
    {
        var defaults = GanModelConfig.For(settings.Model == ModelKind.Dcgan64 ? GanArchitecture.Dcgan64 : GanArchitecture.Tutorial28);
        var model = defaults with
        {
            NoiseSize = settings.NoiseSize ?? defaults.NoiseSize,
            GeneratorFeatures = settings.GeneratorFeatures ?? defaults.GeneratorFeatures,
            DiscriminatorFeatures = settings.DiscriminatorFeatures ?? defaults.DiscriminatorFeatures,
            Dropout = settings.Dropout ?? defaults.Dropout,
            RealLabel = settings.RealLabel ?? defaults.RealLabel,
        };
        return new TrainingConfig(model, settings.BatchSize, settings.LearningRate, settings.Beta1, settings.Beta2, settings.Seed).Validate();
    }

    public static WirePrecision ToCore(this GradientPrecision precision) => precision switch
    {
        GradientPrecision.Float32 => WirePrecision.Float32,
        GradientPrecision.BFloat16 => WirePrecision.BFloat16,
        GradientPrecision.Float16 => WirePrecision.Float16,
        _ => throw new ArgumentOutOfRangeException(nameof(precision), precision, "Unknown gradient precision."),
    };

    public static TrainingMetrics ToContract(this StepMetrics metrics) =>
        new(metrics.LossD, metrics.LossG, metrics.RealScore, metrics.FakeScoreBeforeD, metrics.FakeScoreAfterD);

    public static StepMetrics ToCore(this TrainingMetrics metrics) =>
        new(metrics.LossD, metrics.LossG, metrics.RealScore, metrics.FakeScoreBeforeD, metrics.FakeScoreAfterD);
}
