namespace Orleans.Gan.Core.Models;

/// <summary>The two model sizes the project trains.</summary>
public enum GanArchitecture
{
    /// <summary>The face-generation tutorial's model: 28x28x3 faces, 5x5 kernels, a dense projection from z.</summary>
    Tutorial28,

    /// <summary>The standard DCGAN of Radford et al. for 64x64x3 images, as in PyTorch's DCGAN example.</summary>
    Dcgan64,
}
