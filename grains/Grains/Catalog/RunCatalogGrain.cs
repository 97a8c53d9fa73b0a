using Orleans.Gan.Contracts;

namespace Orleans.Gan.Grains.Catalog;

/// <summary>
/// In memory only: after a restart it forgets, and the faces page falls back on the run folders it can see.
/// </summary>
public sealed class RunCatalogGrain : Grain, IRunCatalogGrain
{
    private readonly SortedSet<string> runs = new(StringComparer.Ordinal);

    public Task Add(string run)
    {
        runs.Add(run);
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<string>> GetRuns() => Task.FromResult<IReadOnlyList<string>>([.. runs]);
}
