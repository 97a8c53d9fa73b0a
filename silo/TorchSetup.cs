using Orleans.Gan.Core.Runtime;
using static TorchSharp.torch;

namespace Orleans.Gan.Silo;

/// <summary>
/// Chooses the devices of the silo's worker slots and the torch thread count once, at start-up, for every worker in
/// this process, and oneDNN's kernels before the first convolution (<see cref="CpuKernels"/>).
/// </summary>
public static class TorchSetup
{
    /// <returns>
    /// The slots' devices (see <see cref="DeviceSlots"/>), and what was done about this CPU's kernels, if anything.
    /// Throws naming <c>--device</c> when the GPUs asked for are not there.
    /// </returns>
    public static (IReadOnlyList<string> SlotDevices, string? KernelNote) Apply(SiloSettings settings)
    {
        var kernelNote = CpuKernels.CapWhereCachesAreHidden();
        var slotDevices = DeviceSlots.Resolve(settings.Device, settings.CpuSlots, cuda.is_available() ? cuda.device_count() : 0);
        set_num_threads(settings.Threads > 0 ? settings.Threads : Environment.ProcessorCount);
        return (slotDevices, kernelNote);
    }
}
