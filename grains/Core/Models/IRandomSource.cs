using static TorchSharp.torch;

namespace Orleans.Gan.Core.Models;

/// <summary>A generator whose random parts (dropout masks) come from a generator set before each forward pass.</summary>
public interface IRandomSource
{
    /// <summary>The generator the next forward passes draw from; null uses torch's default generator.</summary>
    Generator? Random { get; set; }
}
