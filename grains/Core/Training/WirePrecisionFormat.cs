using static TorchSharp.torch;

namespace Orleans.Gan.Core.Training;

/// <summary>The element size and torch type of each <see cref="WirePrecision"/>.</summary>
public static class WirePrecisionFormat
{
    public static int BytesPerElement(this WirePrecision precision) => precision == WirePrecision.Float32 ? sizeof(float) : 2;

    public static ScalarType ElementType(this WirePrecision precision) => precision switch
    {
        WirePrecision.Float32 => ScalarType.Float32,
        WirePrecision.BFloat16 => ScalarType.BFloat16,
        WirePrecision.Float16 => ScalarType.Float16,
        _ => throw new ArgumentOutOfRangeException(nameof(precision), precision, "Unknown wire precision."),
    };
}
