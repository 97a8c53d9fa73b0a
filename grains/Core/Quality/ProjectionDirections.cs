using static TorchSharp.torch;

namespace Orleans.Gan.Core.Quality;

/// <summary>
/// The random unit directions patch descriptors are projected onto, in repeats: Values holds [Repeats, Dimension,
/// PerRepeat] row-major, so each column of a repeat is one direction. Drawn from a normal distribution and scaled to
/// length one, which makes every direction equally likely.
/// </summary>
public sealed class ProjectionDirections
{
    public ProjectionDirections(int repeats, int dimension, int perRepeat, double[] values)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(repeats, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(dimension, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(perRepeat, 1);
        ArgumentNullException.ThrowIfNull(values);
        if (values.Length != repeats * dimension * perRepeat)
            throw new ArgumentException($"{repeats} x {dimension} x {perRepeat} directions need {repeats * dimension * perRepeat} values, got {values.Length}.", nameof(values));
        Repeats = repeats;
        Dimension = dimension;
        PerRepeat = perRepeat;
        Values = values;
    }

    public int Repeats { get; }

    /// <summary>The length of a descriptor: channels x patch size x patch size, components in that order (channel, row, column).</summary>
    public int Dimension { get; }

    public int PerRepeat { get; }

    public double[] Values { get; }

    public static ProjectionDirections Draw(Generator random, int repeats, int dimension, int perRepeat)
    {
        using var scope = NewDisposeScope();
        var directions = randn([repeats, dimension, perRepeat], ScalarType.Float64, generator: random);
        directions.div_(directions.square().sum(1, keepdim: true).sqrt_());
        return new ProjectionDirections(repeats, dimension, perRepeat, directions.data<double>().ToArray());
    }

    /// <summary>The directions of each repeat as the rows of a [Repeats, PerRepeat, Dimension] tensor, one product per set and repeat.</summary>
    public Tensor ByRepeat() =>
        tensor(Values, [Repeats, Dimension, PerRepeat], ScalarType.Float64).transpose(1, 2);
}
