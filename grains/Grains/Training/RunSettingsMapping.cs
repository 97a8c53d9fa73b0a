using Orleans.Gan.Contracts;
using Orleans.Gan.Core.Checkpoints;
using Orleans.Gan.Core.Models;
using Orleans.Gan.Core.Training;

namespace Orleans.Gan.Grains.Training;

/// <summary>Between the wire records of contracts/ and the configuration records of the Orleans-free core.</summary>
public static class RunSettingsMapping
{
    /// <summary>The run's hyper-parameters, model defaults filled in; throws ArgumentException naming a bad setting.</summary>
    public static TrainingConfig ToTrainingConfig(this RunSettings settings)
    {
        var architecture = settings.Model == ModelKind.Dcgan64 ? GanArchitecture.Dcgan64 : GanArchitecture.Tutorial28;
        var defaults = GanModelConfig.For(architecture);
        var model = defaults with
        {
            NoiseSize = settings.NoiseSize ?? defaults.NoiseSize,
            GeneratorFeatures = settings.GeneratorFeatures ?? defaults.GeneratorFeatures,
            DiscriminatorFeatures = settings.DiscriminatorFeatures ?? defaults.DiscriminatorFeatures,
            Dropout = settings.Dropout ?? defaults.Dropout,
            RealLabel = settings.RealLabel ?? defaults.RealLabel,
        };
        double learningRate = settings.LearningRate ?? TrainingConfig.DefaultLearningRate(architecture);
        return new TrainingConfig(model, settings.BatchSize, learningRate, settings.Beta1, settings.Beta2, settings.Seed).Validate();
    }

    /// <summary>The settings that a checkpoint keeps beside the training config.</summary>
    public static RunPlan ToPlan(this RunSettings settings) =>
        new(settings.Epochs, settings.MaxSteps, settings.Dataset, settings.SyntheticFaces, settings.SampleEvery, settings.CheckpointEvery,
            settings.QualityEvery, settings.EmaKimg, settings.EmaRampup);

    /// <summary>G_ema's settings; throws ArgumentException naming a bad one.</summary>
    public static AverageSettings ToAverageSettings(this RunSettings settings) => new AverageSettings(settings.EmaKimg, settings.EmaRampup).Validate();

    /// <summary>The settings of the run that wrote <paramref name="state"/>, every model width spelt out.</summary>
    /// <exception cref="InvalidOperationException">The checkpoint predates stored settings.</exception>
    public static RunSettings ToRunSettings(this CheckpointState state, string run, string path)
    {
        var plan = state.Plan ?? throw new InvalidOperationException(
            $"{path} was written before checkpoints kept the run's settings; continue it with 'client train --run {run}' "
            + "and the flags it was started with.");
        var (config, model) = (state.Config, state.Config.Model);
        return new RunSettings(run, model.Architecture == GanArchitecture.Dcgan64 ? ModelKind.Dcgan64 : ModelKind.Tutorial28,
            state.Workers, config.BatchSize, plan.Epochs, plan.MaxSteps, config.Seed, plan.Dataset, plan.SyntheticFaces,
            plan.SampleEvery, plan.CheckpointEvery, config.LearningRate, config.Beta1, config.Beta2, model.NoiseSize,
            model.GeneratorFeatures, model.DiscriminatorFeatures, model.Dropout, model.RealLabel, plan.QualityEvery,
            EmaKimg: plan.EmaKimg, EmaRampup: plan.EmaRampup);
    }

    public static WirePrecision ToCore(this GradientPrecision precision) => precision switch
    {
        GradientPrecision.Float32 => WirePrecision.Float32,
        GradientPrecision.BFloat16 => WirePrecision.BFloat16,
        GradientPrecision.Float16 => WirePrecision.Float16,
        _ => throw new ArgumentOutOfRangeException(nameof(precision), precision, "Unknown gradient precision."),
    };

    public static GradientPrecision ToContract(this WirePrecision precision) => precision switch
    {
        WirePrecision.Float32 => GradientPrecision.Float32,
        WirePrecision.BFloat16 => GradientPrecision.BFloat16,
        WirePrecision.Float16 => GradientPrecision.Float16,
        _ => throw new ArgumentOutOfRangeException(nameof(precision), precision, "Unknown wire precision."),
    };

    public static TrainingMetrics ToContract(this StepMetrics metrics) =>
        new(metrics.LossD, metrics.LossG, metrics.RealScore, metrics.FakeScoreBeforeD, metrics.FakeScoreAfterD);

    public static StepMetrics ToCore(this TrainingMetrics metrics) =>
        new(metrics.LossD, metrics.LossG, metrics.RealScore, metrics.FakeScoreBeforeD, metrics.FakeScoreAfterD);
}
