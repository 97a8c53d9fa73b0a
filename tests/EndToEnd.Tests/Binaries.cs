using Orleans.Gan.Tests.Shared;

namespace Orleans.Gan.EndToEnd.Tests;

/// <summary>Where the silo and client builds of the same configuration as these tests are.</summary>
internal static class Binaries
{
    // bin/<Configuration>/net10.0/linux-x64/ under this project.
    private static readonly DirectoryInfo Output = new(AppContext.BaseDirectory);

    private static string Configuration => Output.Parent!.Parent!.Name;

    public static string Root => RepositoryRoot.Path;

    public static string Silo => Path.Combine(Root, "silo", "bin", Configuration, "net10.0", "linux-x64", "silo.dll");

    public static string Client => Path.Combine(Root, "client", "bin", Configuration, "net10.0", "linux-x64", "client.dll");
}
