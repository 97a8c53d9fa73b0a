using System.Runtime.InteropServices;

namespace Orleans.Gan.Core.Runtime;

/// <summary>
/// oneDNN, which runs libtorch's convolutions on the CPU, sizes the blocks of its AVX2 and AVX-512 kernels from the
/// CPU's cache sizes. Some virtual machines report none (Linux lists no /sys/devices/system/cpu/cpu0/cache/index*),
/// and there those kernels write NaN in some runs and not in others, with one thread or two: measured with
/// bench/KernelProbe on a 2-core AMD EPYC VM, 3 to 17 of 20 runs at the tests' widths and 2 of 20 at the demo's,
/// uncapped; capped at AVX, none of 40, each giving the same bits. The cap must be in the environment before the
/// first convolution, since oneDNN reads it once.
/// </summary>
public static partial class CpuKernels
{
    public const string IsaVariable = "ONEDNN_MAX_CPU_ISA";
    private const string CacheFolder = "/sys/devices/system/cpu/cpu0/cache";

    /// <summary>
    /// Caps oneDNN at AVX where the CPU hides its caches and nobody chose a cap; processes started from here inherit
    /// it. Returns what it did, to log, or null where it did nothing.
    /// </summary>
    public static string? CapWhereCachesAreHidden()
    {
        if (!OperatingSystem.IsLinux() || Environment.GetEnvironmentVariable(IsaVariable) is not null || CachesAreListed())
            return null;
        if (SetEnvironment(IsaVariable, "AVX", overwrite: 0) != 0)
            return $"This CPU reports no cache sizes, and {IsaVariable}=AVX could not be set; oneDNN's AVX-512 kernels may compute NaN here.";
        Environment.SetEnvironmentVariable(IsaVariable, "AVX");
        return $"This CPU reports no cache sizes ({CacheFolder} is empty), on which oneDNN's AVX2 and AVX-512 convolutions compute NaN; "
            + $"capped them at AVX ({IsaVariable}=AVX). Set {IsaVariable} to choose otherwise.";
    }

    private static bool CachesAreListed() =>
        Directory.Exists(CacheFolder) && Directory.EnumerateDirectories(CacheFolder, "index*").Any();

    // The native environment, where oneDNN reads it: Environment.SetEnvironmentVariable changes only .NET's copy.
    [LibraryImport("libc", EntryPoint = "setenv", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int SetEnvironment(string name, string value, int overwrite);
}
