namespace Orleans.Gan.EndToEnd.Tests;

/// <summary>Where the silo and client builds of the same configuration as these tests are.</summary>
internal static class Binaries
{
    // bin/<Configuration>/net10.0/linux-x64/ under this project.
    private static readonly DirectoryInfo Output = new(AppContext.BaseDirectory);

    private static string Configuration => Output.Parent!.Parent!.Name;

    public static string Root { get; } = FindRoot();

    public static string Silo => Path.Combine(Root, "silo", "bin", Configuration, "net10.0", "linux-x64", "silo.dll");

    public static string Client => Path.Combine(Root, "client", "bin", Configuration, "net10.0", "linux-x64", "client.dll");

    private static string FindRoot()
    {
        for (var directory = Output; directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Orleans.Gan.sln")))
                return directory.FullName;
        }
        throw new InvalidOperationException($"No Orleans.Gan.sln above {Output.FullName}.");
    }
}
