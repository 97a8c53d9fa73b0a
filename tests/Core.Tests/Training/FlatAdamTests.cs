using System.Runtime.InteropServices;
using Orleans.Gan.Core.Tests.Data;
using Orleans.Gan.Core.Training;
using Orleans.Gan.Tests.Shared;
using static TorchSharp.torch;

namespace Orleans.Gan.Core.Tests.Training;

public sealed class FlatAdamTests : IDisposable
{
    private const int Steps = 300;
    private readonly TempFolder folder = new();

    /// <summary>
    /// torch.optim.Adam itself (Debian's python3-torch) and our flat Adam, from the same parameters through the same 300
    /// steps of gradients whose scale changes by five orders of magnitude: parameters and both moments agree to float
    /// rounding. The shapes leave a tail after every vector width.
    /// </summary>
    [Theory]
    [InlineData(2e-4, 0.5, 0.999)]
    [InlineData(5e-4, 0.9, 0.99)]
    public void Matches_torch_optim_Adam_over_many_steps(double learningRate, double beta1, double beta2)
    {
        DebianPython.Run(Path.Combine(RepositoryRoot.Path, "tests", "pytorch", "adam_reference.py"),
            [folder.Path, $"{Steps}", $"{learningRate}", $"{beta1}", $"{beta2}"], TimeSpan.FromMinutes(2), ("torch", "python3-torch"));
        var shapes = File.ReadAllLines(folder.Combine("shapes.txt")).Select(line => line.Split(' ').Select(long.Parse).ToArray()).ToList();
        var initial = Floats("initial.f32");
        int offset = 0;
        var parameters = shapes.Select(shape =>
        {
            long count = shape.Aggregate(1L, (a, b) => a * b);
            var parameter = tensor(initial[offset..(offset + (int)count)], shape);
            offset += (int)count;
            return parameter;
        }).ToList();
        var adam = new FlatAdam(new TensorBlock(parameters), new AdamSettings(learningRate, beta1, beta2));
        var gradients = File.ReadAllBytes(folder.Combine("gradients.f32"));
        int stepBytes = initial.Length * sizeof(float);
        for (int step = 0; step < Steps; step++)
            adam.Step(gradients.AsMemory(step * stepBytes, stepBytes));

        AssertClose("parameters", Floats("parameters.f32"), MemoryMarshal.Cast<byte, float>(adam.Parameters.ReadValues()));
        AssertClose("exp_avg", Floats("exp_avg.f32"), adam.ExpAvg);
        AssertClose("exp_avg_sq", Floats("exp_avg_sq.f32"), adam.ExpAvgSq);
    }

    /// <summary>
    /// Elementwise, so the split of a step over threads changes nothing: 1, 2 and 3 threads give the same bits, on a
    /// vector long enough to be split, whose tensors start and end off the vector width.
    /// </summary>
    [Fact]
    public void A_step_gives_the_same_bits_on_any_number_of_threads()
    {
        var results = new[] { 1, 2, 3 }.Select(threads =>
        {
            var generator = new Generator(5);
            var parameters = new[] { randn([1000, 131], generator: generator), randn([3], generator: generator), randn([70001], generator: generator) };
            var adam = new FlatAdam(new TensorBlock(parameters), new AdamSettings(2e-4, 0.5, 0.999), threads);
            for (int step = 0; step < 3; step++)
                adam.Step(new TensorBlock([randn([adam.ExpAvg.Length], generator: generator)]).ReadValues());
            return (Values: adam.Parameters.ReadValues(), ExpAvg: adam.ExpAvg.ToArray(), ExpAvgSq: adam.ExpAvgSq.ToArray());
        }).ToList();
        foreach (var result in results.Skip(1))
        {
            Assert.Equal(results[0].Values, result.Values);
            Assert.Equal(results[0].ExpAvg, result.ExpAvg);
            Assert.Equal(results[0].ExpAvgSq, result.ExpAvgSq);
        }
    }

    /// <summary>
    /// Parameters whose memory cannot be updated in place (on a GPU, or not contiguous, as here) are read out, stepped
    /// and written back: the same bits as stepping them in place.
    /// </summary>
    [Fact]
    public void Parameters_stepped_through_a_host_copy_get_the_same_bits_as_in_place()
    {
        var generator = new Generator(9);
        var weights = randn([37, 29], generator: generator);
        var gradients = new TensorBlock([randn([37 * 29], generator: generator)]).ReadValues();
        var inPlace = new FlatAdam(new TensorBlock([weights.clone()]), new AdamSettings(2e-4, 0.5, 0.999));
        var transposed = weights.t().contiguous().t();
        var copied = new FlatAdam(new TensorBlock([transposed]), new AdamSettings(2e-4, 0.5, 0.999));
        Assert.False(copied.Parameters.IsInHostMemory);
        for (int step = 0; step < 3; step++)
        {
            inPlace.Step(gradients);
            copied.Step(gradients);
        }
        Assert.Equal(inPlace.Parameters.ReadValues(), copied.Parameters.ReadValues());
        Assert.Equal(inPlace.ExpAvg.ToArray(), copied.ExpAvg.ToArray());
    }

    [Fact]
    public void Gradients_of_another_size_are_refused_naming_both_sizes()
    {
        var adam = new FlatAdam(new TensorBlock([zeros(10)]), new AdamSettings(2e-4, 0.5, 0.999));
        var error = Assert.Throws<ArgumentException>(() => adam.Step(new byte[36]));
        Assert.Contains("Expected 40 bytes of gradients for 10 parameters, got 36", error.Message);
        Assert.Equal(0, adam.Steps);
    }

    /// <summary>
    /// Within float32 rounding, accumulated over the steps: 1e-5 relative, and 1e-6 of the array's largest magnitude
    /// absolute, since an element near zero is a difference of rounded values (a parameter's ulp is about 1e-9 here,
    /// and each of the 300 steps may round its update the other way).
    /// </summary>
    private static void AssertClose(string what, ReadOnlySpan<float> expected, ReadOnlySpan<float> actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        float largest = 0;
        foreach (float value in expected)
            largest = Math.Max(largest, Math.Abs(value));
        int worst = 0;
        double worstError = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            double error = Math.Abs(expected[i] - actual[i]) / (1e-5 * Math.Abs(expected[i]) + 1e-6 * largest);
            if (error > worstError)
                (worst, worstError) = (i, error);
        }
        Assert.True(worstError <= 1, $"{what}[{worst}]: PyTorch {expected[worst]:R}, ours {actual[worst]:R}, largest {largest:R}");
    }

    private float[] Floats(string file) => MemoryMarshal.Cast<byte, float>(File.ReadAllBytes(folder.Combine(file))).ToArray();

    public void Dispose() => folder.Dispose();
}
