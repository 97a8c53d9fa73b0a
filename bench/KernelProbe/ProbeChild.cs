using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using Orleans.Gan.Core.Models;
using Orleans.Gan.Core.Training;
using static TorchSharp.torch;

namespace Orleans.Gan.KernelProbe;

/// <summary>
/// One probe process, started with oneDNN's ISA cap and verbose mode in its environment (oneDNN reads both once):
/// whole training steps, as a run takes them from a fresh process, then every convolution of G and D at the shape a
/// training step gives it, through each pass on its own (forward, backward to the input, backward to the weights).
/// Before each pass it prints a <c>PASS</c> line, so that the oneDNN lines after it name the kernel that ran it, and
/// after it a <c>RESULT</c> line.
/// </summary>
internal static partial class ProbeChild
{
    /// <param name="trace">
    /// Takes the steps as <see cref="TracedStep"/>, which names where NaN first appeared, instead of as
    /// <see cref="LocalTrainer"/>, as a silo does. Its checks change what memory the kernels find, and so how often NaN comes.
    /// </param>
    public static int Run(ProbeShape probed, int threads, int steps, bool trace)
    {
        set_num_threads(threads);
        var (model, batch) = probed;
        using var traced = trace ? new TracedStep(TrainingConfig.For(model, batch, seed: 1)) : null;
        using var trainer = trace ? null : new LocalTrainer(TrainingConfig.For(model, batch, seed: 1));
        using var random = new Generator(1);
        using var real = rand([batch, 3, model.ImageSize, model.ImageSize], generator: random) * 2 - 1;
        var times = new List<double>();
        var losses = new List<double>();
        Mark("PASS step all");
        for (int i = 0; i < steps; i++)
        {
            var started = Stopwatch.GetTimestamp();
            var metrics = traced?.Take(real) ?? trainer!.TrainStep(real);
            times.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            losses.AddRange([metrics.LossD, metrics.LossG]);
            if (traced?.FirstNan is { } where)
            {
                Mark($"FIRSTNAN step {i}: {where}");
                break;
            }
        }
        var networks = traced?.Networks ?? trainer!.Networks;
        bool stepNan = losses.Any(double.IsNaN) || traced?.FirstNan is not null
            || networks.Generator.parameters().Concat(networks.Discriminator.parameters()).Any(p => p.isnan().any().item<bool>());
        // The first step pays for oneDNN's kernel generation; the others are the step's time.
        double median = times.Count > 1 ? times.Skip(1).Order().ElementAt((times.Count - 1) / 2) : double.NaN;
        Mark(string.Create(CultureInfo.InvariantCulture,
            $"STEP {(stepNan ? "nan" : "finite")} {median:0.0} {string.Join(";", losses.Select(l => BitConverter.DoubleToInt64Bits(l).ToString("x16")))}"));

        foreach (var (name, layer, shape) in ConvolutionInputs(model, batch))
        {
            foreach (var pass in new[] { "forward", "backward_data", "backward_weights" })
            {
                Mark($"PASS {name} {pass}");
                bool nan = HasNan(layer, shape, pass);
                Mark($"RESULT {name} {pass} {(nan ? "nan" : "finite")}");
            }
        }
        return 0;
    }

    /// <summary>Each convolution of D and G with the shape of its input in a training step, found by running both once.</summary>
    private static List<(string Name, nn.Module<Tensor, Tensor> Layer, long[] Shape)> ConvolutionInputs(GanModelConfig model, int batch)
    {
        var networks = GanNetworks.Create(model, seed: 1);
        var found = new List<(string, nn.Module<Tensor, Tensor>, long[])>();
        foreach (var (prefix, network) in new[] { ("G", networks.Generator), ("D", networks.Discriminator) })
        {
            foreach (var (name, module) in network.named_modules())
            {
                if (module is TorchSharp.Modules.Conv2d or TorchSharp.Modules.ConvTranspose2d)
                {
                    var layer = (nn.Module<Tensor, Tensor>)module;
                    string label = $"{prefix}.{name}:{module.GetType().Name}";
                    layer.register_forward_pre_hook((_, input) =>
                    {
                        if (!found.Any(f => f.Item1 == label))
                            found.Add((label, layer, input.shape));
                        return input;
                    });
                }
            }
        }
        using (no_grad())
        {
            using var faces = networks.Generator.call(randn(batch, model.NoiseSize));
            using var scores = networks.Discriminator.call(faces);
        }
        return found;
    }

    private static bool HasNan(nn.Module<Tensor, Tensor> layer, long[] shape, string pass)
    {
        using var scope = NewDisposeScope();
        using var random = new Generator(7);
        var input = randn(shape, generator: random);
        var weight = layer.parameters().First();
        bool toInput = pass == "backward_data", toWeight = pass == "backward_weights";
        input.requires_grad_(toInput);
        weight.requires_grad_(toWeight);
        var output = layer.call(input);
        if (pass == "forward")
            return output.isnan().any().item<bool>();
        var outputGradient = randn(output.shape, generator: random);
        var gradient = autograd.grad([output], [toInput ? input : weight], [outputGradient])[0];
        weight.requires_grad_(true);
        return gradient.isnan().any().item<bool>();
    }

    /// <summary>Prints a line after whatever oneDNN has printed so far: its verbose lines go through C's stdout buffer.</summary>
    private static void Mark(string line)
    {
        Flush(IntPtr.Zero);
        Console.WriteLine(line);
    }

    [LibraryImport("libc", EntryPoint = "fflush")]
    private static partial int Flush(IntPtr stream);
}
