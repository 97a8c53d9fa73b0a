using System.Runtime.CompilerServices;
using Orleans.Gan.Core.Training;

namespace Orleans.Gan.Cluster.Tests;

/// <summary>This process runs torch itself: it takes the same care of this CPU's kernels as a silo does at start-up.</summary>
internal static class CpuKernelsCap
{
    [ModuleInitializer]
    internal static void Apply() => CpuKernels.CapWhereCachesAreHidden();
}
