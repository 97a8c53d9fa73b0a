using System.Runtime.CompilerServices;
using Orleans.Gan.Core.Runtime;

namespace Orleans.Gan.Tests;

/// <summary>
/// A test process that runs torch itself takes the same care of this CPU's kernels as a silo does at start-up. Compiled
/// into each such test project (see their project files).
/// </summary>
internal static class CpuKernelsCap
{
    [ModuleInitializer]
    internal static void Apply() => CpuKernels.CapWhereCachesAreHidden();
}
