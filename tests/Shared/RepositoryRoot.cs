namespace Orleans.Gan.Tests.Shared;

/// <summary>The checkout these tests were built in: the folder above their output that holds Orleans.Gan.sln.</summary>
internal static class RepositoryRoot
{
    public static string Path { get; } = Find();

    private static string Find()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(directory.FullName, "Orleans.Gan.sln")))
                return directory.FullName;
        }
        throw new InvalidOperationException($"No Orleans.Gan.sln above {AppContext.BaseDirectory}.");
    }
}
