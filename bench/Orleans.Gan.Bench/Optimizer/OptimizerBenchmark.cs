using System.Globalization;
using Orleans.Gan.Bench.Exchange;
using Orleans.Gan.Bench.Measurement;
using Orleans.Gan.Bench.PyTorch;
using Orleans.Gan.Core.Models;
using Orleans.Gan.Core.Training;
using static TorchSharp.torch;

namespace Orleans.Gan.Bench.Optimizer;

/// <summary>
/// Adam's step over all of dcgan64's G and D, as the coordinator takes it each step: our flat Adam, TorchSharp's
/// per-tensor Adam (what the coordinator ran before), and PyTorch's, against the memory floor. The floor: Adam reads
/// the parameter, its gradient and both moments and writes three of them, 28 bytes of traffic per parameter, at this
/// machine's single-thread memcpy traffic rate (a copy reads and writes each byte: twice its size per its time).
/// </summary>
public static class OptimizerBenchmark
{
    public const int BytesPerParameter = 28;

    public static async Task<OptimizerFigures> RunAsync(PyTorchRunner? python, BenchSettings settings)
    {
        var memcpy = MemcpyBandwidth.Measure(settings.Repeats);
        double trafficBytesPerSecond = 2.0 * MemcpyBandwidth.Bytes / memcpy.Median;
        var config = TrainingConfig.For(GanModelConfig.Dcgan64);
        using var networks = GanNetworks.Create(config.Model, config.Seed);
        var blocks = new[] { TensorBlock.Parameters(networks.Generator), TensorBlock.Parameters(networks.Discriminator) };
        long parameters = blocks.Sum(b => b.ElementCount);
        var gradients = blocks.Select(b => new TensorBlock([randn(b.ElementCount) * 1e-3f]).ReadValues()).ToArray();

        var flat = blocks.Select(b => new FlatAdam(b, config.Adam)).ToArray();
        var ours = Timings.Measure(warmup: 2, settings.Repeats, () =>
        {
            flat[0].Step(gradients[0]);
            flat[1].Step(gradients[1]);
        });

        foreach (var (block, g) in blocks.Zip(gradients))
            block.WriteGradients(g);
        using var torchSharpD = optim.Adam(networks.Discriminator.parameters(), config.LearningRate, config.Beta1, config.Beta2);
        using var torchSharpG = optim.Adam(networks.Generator.parameters(), config.LearningRate, config.Beta1, config.Beta2);
        var perTensor = Timings.Measure(warmup: 2, settings.Repeats, () =>
        {
            torchSharpD.step();
            torchSharpG.step();
        });

        Timings? pyTorch = null;
        if (python is not null)
        {
            var json = await python.RunScriptAsync("adam_step.py",
                ["--threads", settings.Threads.ToString(CultureInfo.InvariantCulture), "--steps", settings.Repeats.ToString(CultureInfo.InvariantCulture),
                    "--device", settings.Device, .. PyTorchSteps.Widths(GanArchitecture.Dcgan64)]);
            pyTorch = new Timings([.. json.GetProperty("step_seconds").EnumerateArray().Select(s => s.GetDouble())]);
        }
        return new OptimizerFigures(parameters, BytesPerParameter * parameters / trafficBytesPerSecond, ours, perTensor, pyTorch);
    }
}
