namespace Orleans.Gan.Contracts;

/// <summary>How workers send their gradients to the coordinator; weights always travel as float32.</summary>
[GenerateSerializer]
public enum GradientPrecision
{
    Float32,

    /// <summary>Half the bytes, float32's range, about 3 significant digits.</summary>
    BFloat16,

    /// <summary>Half the bytes, about 3.5 significant digits, but magnitudes below about 6e-8 become 0.</summary>
    Float16,
}
