using Orleans.Gan.Core.Runtime;
using static TorchSharp.torch;

namespace Orleans.Gan.Silo;

/// <summary>
/// Chooses the torch device and thread count once, at start-up, for every worker in this process, and oneDNN's kernels
/// before the first convolution (<see cref="CpuKernels"/>).
/// </summary>
public static class TorchSetup
{
    /// <returns>The device, and what was done about this CPU's kernels (see <see cref="CpuKernels"/>), if anything.</returns>
    public static (string Device, string? KernelNote) Apply(SiloSettings settings)
    {
        var kernelNote = CpuKernels.CapWhereCachesAreHidden();
        var cuda = cuda_is_available();
        if (settings.Device == "cuda" && !cuda)
            throw new ArgumentException("--device cuda was asked for, but CUDA is not available: build with -p:TorchDevice=cuda on a GPU machine.");
        set_num_threads(settings.Threads > 0 ? settings.Threads : Environment.ProcessorCount);
        return (settings.Device == "auto" ? (cuda ? "cuda" : "cpu") : settings.Device, kernelNote);
    }
}
