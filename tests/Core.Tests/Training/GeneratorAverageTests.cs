using Orleans.Gan.Core.Models;
using Orleans.Gan.Core.Training;
using static TorchSharp.torch;

namespace Orleans.Gan.Core.Tests.Training;

public sealed class GeneratorAverageTests
{
    /// <summary>StyleGAN2-ADA's β: 0.5^(batch / (ema_kimg·1000)), the half-life capped at images seen x ema_rampup.</summary>
    [Fact]
    public void Beta_halves_the_old_average_once_per_half_life_of_images()
    {
        Assert.Equal(Math.Pow(0.5, 64 / 10_000.0), new AverageSettings(Rampup: 0).Beta(imagesBefore: 0, globalBatch: 64), tolerance: 1e-6);
        Assert.Equal(0.5, new AverageSettings(Kimg: 0.064, Rampup: 0).Beta(imagesBefore: 0, globalBatch: 64), tolerance: 1e-6);
        var rampedUp = new AverageSettings(Kimg: 10, Rampup: 0.05);
        Assert.Equal(0f, rampedUp.Beta(imagesBefore: 0, globalBatch: 64));
        Assert.Equal(Math.Pow(0.5, 64 / 50.0), rampedUp.Beta(imagesBefore: 1000, globalBatch: 64), tolerance: 1e-6);
        Assert.Equal(Math.Pow(0.5, 64 / 10_000.0), rampedUp.Beta(imagesBefore: 1_000_000, globalBatch: 64), tolerance: 1e-6);
    }

    [Theory]
    [InlineData(-1.0, 0.05, "--ema-kimg")]
    [InlineData(double.NaN, 0.05, "--ema-kimg")]
    [InlineData(10.0, -0.05, "--ema-rampup")]
    public void Settings_out_of_range_are_refused_naming_the_flag(double kimg, double rampup, string flag)
    {
        var error = Assert.Throws<ArgumentException>(() => new AverageSettings(kimg, rampup).Validate());
        Assert.StartsWith(flag, error.Message);
    }

    /// <summary>
    /// Each parameter becomes torch's <c>p.lerp(p_ema, β)</c> and the batch-norm statistics are G's, after real steps
    /// of training; the first update with a ramp-up (β = 0) makes G_ema equal to G.
    /// </summary>
    [Fact]
    public void An_update_is_torchs_lerp_of_G_towards_G_ema_and_copies_the_statistics()
    {
        var config = SmallModels.Training(SmallModels.Dcgan64);
        using var trainer = new LocalTrainer(config);
        using var average = new GeneratorAverage(trainer.Networks, config.Seed, new AverageSettings(Kimg: 0.1, Rampup: 0));
        for (int step = 0; step < 3; step++)
        {
            using var batch = SmallModels.Batch(config.Model, config.BatchSize, seed: step);
            trainer.TrainStep(batch);
            var before = average.Networks.Generator.parameters().Select(p => p.clone()).ToList();
            float beta = average.Settings.Beta(step * config.BatchSize, config.BatchSize);
            average.Update(step * config.BatchSize, config.BatchSize);
            foreach (var (expected, actual) in trainer.Networks.Generator.parameters().Zip(before).Select(pair => lerp(pair.First, pair.Second, tensor(beta)))
                .Zip(average.Networks.Generator.parameters()))
                Assert.True(allclose(expected, actual, rtol: 1e-6, atol: 1e-9), $"max difference {(expected - actual).abs().max().item<float>()}");
        }
        Assert.Equal(TensorBlock.RunningStatistics(trainer.Networks.Generator).ReadValues(), TensorBlock.RunningStatistics(average.Networks.Generator).ReadValues());
        Assert.NotEqual(TensorBlock.Parameters(trainer.Networks.Generator).ReadValues(), TensorBlock.Parameters(average.Networks.Generator).ReadValues());

        using var rampedUp = new GeneratorAverage(trainer.Networks, config.Seed, new AverageSettings(Rampup: 0.05));
        using (var batch = SmallModels.Batch(config.Model, config.BatchSize, seed: 9))
            trainer.TrainStep(batch);
        rampedUp.Update(imagesBefore: 0, config.BatchSize);
        Assert.Equal(TensorBlock.Parameters(trainer.Networks.Generator).ReadValues(), TensorBlock.Parameters(rampedUp.Networks.Generator).ReadValues());
    }
}
