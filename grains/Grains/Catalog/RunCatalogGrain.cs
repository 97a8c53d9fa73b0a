using Orleans.Gan.Contracts;
using Orleans.Gan.Grains.Hosting;

namespace Orleans.Gan.Grains.Catalog;

public sealed class RunCatalogGrain(
    [PersistentState("catalog", TrainingStorage.Name)] IPersistentState<RunCatalog> catalog) : Grain, IRunCatalogGrain
{
    public async Task Started(string run)
    {
        if (catalog.State.Runs.Add(run) | catalog.State.Active.Add(run))
            await catalog.WriteStateAsync();
    }

    public async Task Ended(string run)
    {
        if (catalog.State.Active.Remove(run))
            await catalog.WriteStateAsync();
    }

    public Task<IReadOnlyList<string>> GetRuns() => Task.FromResult<IReadOnlyList<string>>([.. catalog.State.Runs]);

    public Task<IReadOnlyList<string>> GetActiveRuns() => Task.FromResult<IReadOnlyList<string>>([.. catalog.State.Active]);
}
