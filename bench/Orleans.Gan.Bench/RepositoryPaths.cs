namespace Orleans.Gan.Bench;

/// <summary>The repository this benchmark was built in: the silo build beside it and the PyTorch scripts.</summary>
public static class RepositoryPaths
{
    // bin/<Configuration>/net10.0/linux-x64/ under this project.
    private static readonly DirectoryInfo Output = new(AppContext.BaseDirectory);

    public static string Root { get; } = FindRoot();

    public static string Configuration => Output.Parent!.Parent!.Name;

    /// <summary>The silo published into the benchmark's own folder (deploy/gpu/run-with-pytorch.sh does), else the solution's build.</summary>
    public static string Silo => File.Exists(Path.Combine(Output.FullName, "silo.dll"))
        ? Path.Combine(Output.FullName, "silo.dll")
        : Path.Combine(Root, "silo", "bin", Configuration, "net10.0", "linux-x64", "silo.dll");

    public static string PyTorchScripts => Path.Combine(Root, "bench", "pytorch");

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
