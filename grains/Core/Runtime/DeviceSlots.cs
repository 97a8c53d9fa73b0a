using System.Globalization;

namespace Orleans.Gan.Core.Runtime;

/// <summary>
/// The devices a silo's worker slots run on, from its <c>--device</c> and <c>--cpu-slots</c> settings and the GPUs
/// torch sees: one slot per GPU (<c>cuda:0</c>, <c>cuda:1</c>, …), or <c>--cpu-slots</c> slots that share the CPU.
/// GPU numbers are torch's, so under <c>CUDA_VISIBLE_DEVICES</c> (as Slurm and Kubernetes set it) <c>cuda:0</c> is the
/// first GPU the silo was given.
/// </summary>
public static class DeviceSlots
{
    public const string Cpu = "cpu";

    public const string Choices = "auto, cpu, cuda or cuda:N";

    /// <summary>Null when <paramref name="device"/> is one of <see cref="Choices"/>, else why not; needs no torch.</summary>
    public static string? Validate(string device) =>
        device is "auto" or Cpu or "cuda" || GpuNumber(device) is not null
            ? null
            : $"--device must be {Choices} (N a GPU number from 0), not '{device}'.";

    /// <summary>
    /// The slots' devices: every GPU for <c>auto</c> (the CPU's slots when there is none) or <c>cuda</c>, one GPU for
    /// <c>cuda:N</c>, <paramref name="cpuSlots"/> CPU slots for <c>cpu</c>. Throws naming the flag when the GPUs asked
    /// for are not there.
    /// </summary>
    /// <param name="gpuCount">The GPUs torch sees: torch.cuda.device_count(), 0 with TorchSharp-cpu.</param>
    public static IReadOnlyList<string> Resolve(string device, int cpuSlots, int gpuCount)
    {
        if (Validate(device) is { } invalid)
            throw new ArgumentException(invalid);
        if (cpuSlots < 1)
            throw new ArgumentException($"--cpu-slots must be 1 or more, not {cpuSlots}.");
        var cpu = Enumerable.Repeat(Cpu, cpuSlots).ToList();
        var gpus = Enumerable.Range(0, gpuCount).Select(Gpu).ToList();
        if (device == Cpu || (device == "auto" && gpuCount == 0))
            return cpu;
        if (gpuCount == 0)
            throw new ArgumentException(
                $"--device {device} was asked for, but torch sees no GPU: the silo was built with TorchSharp-cpu, or no GPU is visible "
                + "(nvidia-smi, CUDA_VISIBLE_DEVICES). Build a CUDA silo as the README's \"GPUs\" section says, or use --device cpu.");
        if (GpuNumber(device) is int number)
        {
            return number < gpuCount
                ? [Gpu(number)]
                : throw new ArgumentException($"--device {device} was asked for, but torch sees {gpuCount} GPU(s): cuda:0 to cuda:{gpuCount - 1}.");
        }
        return gpus;
    }

    private static string Gpu(int number) => string.Create(CultureInfo.InvariantCulture, $"cuda:{number}");

    private static int? GpuNumber(string device) =>
        device.StartsWith("cuda:", StringComparison.Ordinal)
        && int.TryParse(device.AsSpan(5), NumberStyles.None, CultureInfo.InvariantCulture, out int number)
            ? number
            : null;
}
