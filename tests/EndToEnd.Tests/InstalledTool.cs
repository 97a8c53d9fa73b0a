namespace Orleans.Gan.EndToEnd.Tests;

/// <summary>A Debian program the tests drive for real; missing, it fails the test with the package to install.</summary>
internal static class InstalledTool
{
    public static string Require(string path, string package) => File.Exists(path)
        ? path
        : throw new InvalidOperationException($"{path} is not installed: apt-get install {package} (.ci/run does).");
}
