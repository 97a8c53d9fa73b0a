using System.Diagnostics;

namespace Orleans.Gan.Tests.Shared;

/// <summary>Runs a script of the repository with Debian's python3, whose numpy and torch the tests check us against.</summary>
internal static class DebianPython
{
    public const string Interpreter = "/usr/bin/python3";

    /// <summary>
    /// The script's standard output. Fails the test, saying what to install, when python3 or the module the script
    /// needs is missing, and naming the script when it fails or outlives <paramref name="timeout"/>.
    /// </summary>
    /// <param name="needs">The Python module the script imports, and the Debian package that brings it.</param>
    public static string Run(string script, IEnumerable<string> arguments, TimeSpan timeout, (string Module, string Package) needs)
    {
        if (!File.Exists(Interpreter))
            Assert.Fail($"{Interpreter} is missing; {Path.GetFileName(script)} needs it: apt-get install -y {needs.Package}.");
        var start = new ProcessStartInfo(Interpreter) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(script);
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{script} did not finish within {timeout.TotalSeconds} s.");
        }
        if (process.ExitCode != 0)
        {
            Assert.Fail(error.Result.Contains($"No module named '{needs.Module}'", StringComparison.Ordinal)
                ? $"{needs.Module} is missing for {Interpreter}; {Path.GetFileName(script)} needs it: apt-get install -y {needs.Package}."
                : $"{script} exited with {process.ExitCode}: {error.Result}");
        }
        return output.Result;
    }
}
