namespace Orleans.Gan.Contracts;

/// <summary>Everything a user chooses for a run. Unset model widths and rates take the model's defaults.</summary>
/// <param name="Run">The run's name: its coordinator's key and its folder under the runs directory.</param>
/// <param name="Workers">The target number of workers, spread round-robin over the silos that are up.</param>
/// <param name="BatchSize">Images per worker per step; the global batch is Workers x BatchSize.</param>
/// <param name="Epochs">Passes over the training partition.</param>
/// <param name="MaxSteps">Stops early after this many steps in all; 0 for no limit.</param>
/// <param name="Dataset">A CelebA folder or zip as seen from the silos; null trains on synthetic faces.</param>
/// <param name="SyntheticFaces">How many synthetic faces to make when <paramref name="Dataset"/> is null.</param>
/// <param name="SampleEvery">Writes a faces grid every this many steps (and at each epoch's end); 0 only at epoch ends.</param>
/// <param name="CheckpointEvery">Writes a checkpoint every this many steps (and at each epoch's end); 0 only at epoch ends.</param>
/// <param name="QualityEvery">Scores the samples (SWD against held-out images) every this many steps and at each epoch's end; 0 only at epoch ends.</param>
/// <param name="GradientPrecision">How workers send gradients; below float32 halves that traffic at a small rounding error.</param>
/// <param name="EmaKimg">G_ema's half-life in thousands of images (StyleGAN2-ADA's ema_kimg); 0 keeps no G_ema.</param>
/// <param name="EmaRampup">G_ema's ramp-up (ema_rampup): the half-life is at most the images seen times this; 0 for none.</param>
/// <param name="SimulateComputeMs">For benchmarks: when set, workers wait this long per phase instead of running the networks,
/// and still exchange weights and gradients of the real size, so that the exchange shows as it would behind a GPU.</param>
[GenerateSerializer, Immutable]
public sealed record RunSettings(
    [property: Id(0)] string Run,
    [property: Id(1)] ModelKind Model,
    [property: Id(2)] int Workers,
    [property: Id(3)] int BatchSize,
    [property: Id(4)] int Epochs,
    [property: Id(5)] long MaxSteps,
    [property: Id(6)] long Seed,
    [property: Id(7)] string? Dataset,
    [property: Id(8)] int SyntheticFaces,
    [property: Id(9)] int SampleEvery,
    [property: Id(10)] int CheckpointEvery,
    [property: Id(11)] double? LearningRate = null,
    [property: Id(12)] double Beta1 = 0.5,
    [property: Id(13)] double Beta2 = 0.999,
    [property: Id(14)] int? NoiseSize = null,
    [property: Id(15)] int? GeneratorFeatures = null,
    [property: Id(16)] int? DiscriminatorFeatures = null,
    [property: Id(17)] double? Dropout = null,
    [property: Id(18)] double? RealLabel = null,
    [property: Id(19)] int QualityEvery = 0,
    [property: Id(20)] GradientPrecision GradientPrecision = GradientPrecision.Float32,
    [property: Id(21)] int? SimulateComputeMs = null,
    [property: Id(22)] string? InitFrom = null,
    [property: Id(23)] double EmaKimg = 10,
    [property: Id(24)] double EmaRampup = 0.05);
