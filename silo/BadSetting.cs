namespace Orleans.Gan.Silo;

/// <summary>
/// A setting out of range, or a device that is not there, ends the silo before anything listens: one line naming the
/// flag on stderr and exit code 2, as the client does with its bad flags, never a stack trace.
/// </summary>
public static class BadSetting
{
    public const int ExitCode = 2;

    /// <summary>What <paramref name="read"/> returns, or the end of the process when it finds a setting wrong.</summary>
    public static T ExitOn<T>(Func<T> read)
    {
        try
        {
            return read();
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            // InvalidOperationException: configuration binding's "Failed to convert configuration value at 'Silo:Threads'".
            Console.Error.WriteLine($"silo: {e.Message}");
            Environment.Exit(ExitCode);
            throw;
        }
    }
}
