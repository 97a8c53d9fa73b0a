using Orleans.Gan.Bench.Measurement;
using Orleans.Gan.Core.Models;
using Orleans.Gan.Core.Training;
using static TorchSharp.torch;

namespace Orleans.Gan.Bench.Steps;

/// <summary>Our training step in this process: <see cref="LocalTrainer"/> on a fixed batch, as the PyTorch script does.</summary>
public static class LocalStepBenchmark
{
    public static StepResult Run(GanArchitecture architecture, int batch, BenchSettings settings)
    {
        var device = settings.Device == "cuda" ? CUDA : CPU;
        PeakMemory.ResetThisProcess();
        var model = GanModelConfig.For(architecture);
        using var trainer = new LocalTrainer(TrainingConfig.For(model, batch, seed: 1), device);
        using var random = new Generator(1);
        using var real = (rand([batch, 3, model.ImageSize, model.ImageSize], generator: random) * 2 - 1).to(device);
        // Each step reads its losses back (item()), which waits for the device, so the wall time is the step's.
        var timings = Timings.Measure(settings.WarmupSteps, settings.MeasuredSteps, () => trainer.TrainStep(real));
        return new StepResult(timings, batch, PeakMemory.OfThisProcess());
    }
}
