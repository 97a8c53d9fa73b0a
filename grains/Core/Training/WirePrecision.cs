namespace Orleans.Gan.Core.Training;

/// <summary>
/// How gradients travel from workers to the coordinator. Weights and batch-norm statistics always travel as float32:
/// every replica must compute on exactly the master's values, while a gradient only steers one Adam step, whose
/// per-element normalisation hides a relative rounding error of 2⁻⁹ (bfloat16) or 2⁻¹² (float16).
/// </summary>
public enum WirePrecision
{
    Float32,

    /// <summary>float32's exponent range with 8 significant bits: no gradient underflows, half the bytes.</summary>
    BFloat16,

    /// <summary>11 significant bits but a narrow range: magnitudes below about 6e-8 become 0, above 65504 infinite.</summary>
    Float16,
}
