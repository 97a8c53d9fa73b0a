namespace Orleans.Gan.Contracts;

/// <summary>
/// The cluster's runs, kept in grain storage: every run ever started (for the faces page) and the ones that should be
/// going, which every silo's keeper pings so that a run whose coordinator's silo died resumes on another. One per
/// cluster, under <see cref="Key"/>.
/// </summary>
public interface IRunCatalogGrain : IGrainWithStringKey
{
    public const string Key = "runs";

    Task Started(string run);

    Task Ended(string run);

    Task<IReadOnlyList<string>> GetRuns();

    Task<IReadOnlyList<string>> GetActiveRuns();
}
