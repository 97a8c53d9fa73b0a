namespace Orleans.Gan.Contracts;

/// <summary>
/// The names of the runs started since the cluster came up, wherever their coordinators live, so that any silo's
/// faces page can list them. One per cluster, under <see cref="Key"/>.
/// </summary>
public interface IRunCatalogGrain : IGrainWithStringKey
{
    public const string Key = "runs";

    Task Add(string run);

    Task<IReadOnlyList<string>> GetRuns();
}
