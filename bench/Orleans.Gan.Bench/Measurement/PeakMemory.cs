namespace Orleans.Gan.Bench.Measurement;

/// <summary>A process's peak resident memory (VmHWM in /proc/PID/status), which the kernel lets a process reset for itself.</summary>
public static class PeakMemory
{
    /// <summary>Bytes, or null when the process is gone or this is not Linux.</summary>
    public static long? Of(int processId)
    {
        try
        {
            var line = File.ReadLines($"/proc/{processId}/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
            return line is null ? null : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) * 1024;
        }
        catch (IOException)
        {
            return null;
        }
    }

    public static long? OfThisProcess() => Of(Environment.ProcessId);

    /// <summary>Sets this process's peak back to its current resident size, so that the next case's peak is its own.</summary>
    public static void ResetThisProcess()
    {
        try
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Kernels before 4.0 or a locked-down /proc: the figure is then the process's peak so far.
        }
    }
}
