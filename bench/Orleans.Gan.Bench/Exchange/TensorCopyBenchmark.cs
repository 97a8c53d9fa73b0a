using Orleans.Gan.Bench.Measurement;
using Orleans.Gan.Core.Models;
using Orleans.Gan.Core.Training;
using static TorchSharp.torch;

namespace Orleans.Gan.Bench.Exchange;

/// <summary>
/// The copies between tensors and message bytes of one weight set (G's and D's parameters and statistics, what every
/// worker receives each step), by <see cref="PreviousTensorCopy"/> and by <see cref="TensorBlock"/>, interleaved.
/// </summary>
public static class TensorCopyBenchmark
{
    public static TensorCopyResult Run(int repeats)
    {
        using var networks = GanNetworks.Create(GanModelConfig.Dcgan64, seed: 1);
        List<Tensor>[] groups =
        [
            [.. networks.Generator.parameters()],
            [.. networks.Discriminator.parameters()],
            [.. networks.Generator.buffers().Where(b => b.dtype == ScalarType.Float32)],
            [.. networks.Discriminator.buffers().Where(b => b.dtype == ScalarType.Float32)],
        ];
        var blocks = groups.Select(g => new TensorBlock(g)).ToArray();
        var previous = groups.Select(PreviousTensorCopy.Read).ToArray();
        var current = blocks.Select(b => b.ReadValues()).ToArray();
        if (!previous.Zip(current).All(p => p.First.AsSpan().SequenceEqual(p.Second)))
            throw new InvalidOperationException("The previous and the current copy read different bytes.");

        var timings = new List<double>[4];
        for (int i = 0; i < timings.Length; i++)
            timings[i] = [];
        for (int repeat = 0; repeat < repeats + 1; repeat++)
        {
            // Interleaved, so that a burst of other load hits both ways alike; the first round is warm-up.
            Action[] ways =
            [
                () => Array.ForEach(groups, g => PreviousTensorCopy.Read(g)),
                () => Array.ForEach(blocks, b => b.ReadValues()),
                () => { for (int g = 0; g < groups.Length; g++) PreviousTensorCopy.Write(current[g], groups[g]); },
                () => { for (int b = 0; b < blocks.Length; b++) blocks[b].WriteValues(current[b]); },
            ];
            for (int way = 0; way < ways.Length; way++)
            {
                var once = Timings.Measure(warmup: 0, repeats: 1, ways[way]);
                if (repeat > 0)
                    timings[way].Add(once.Median);
            }
        }
        return new TensorCopyResult(current.Sum(c => (long)c.Length),
            new Timings(timings[0]), new Timings(timings[1]), new Timings(timings[2]), new Timings(timings[3]));
    }
}
