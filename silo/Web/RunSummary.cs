using Orleans.Gan.Contracts;

namespace Orleans.Gan.Silo.Web;

/// <summary>One run as <c>/api/runs</c> lists it: its status and its loss curves.</summary>
public sealed record RunSummary(RunStatus Status, IReadOnlyList<LossPoint> Losses)
{
    /// <summary>
    /// The runs the cluster's catalog knows, plus the run folders this silo can see (runs from before a restart),
    /// each with its coordinator's view.
    /// </summary>
    public static async Task<IReadOnlyList<RunSummary>> ReadAllAsync(IGrainFactory grains, string runsDirectory)
    {
        var names = new SortedSet<string>(await grains.GetGrain<IRunCatalogGrain>(IRunCatalogGrain.Key).GetRuns(), StringComparer.Ordinal);
        if (Directory.Exists(runsDirectory))
            names.UnionWith(Directory.EnumerateDirectories(runsDirectory).Select(Path.GetFileName).OfType<string>().Where(n => GrainKeys.ValidateRunName(n) is null));
        return await Task.WhenAll(names.Select(async name =>
        {
            var coordinator = grains.GetGrain<ICoordinatorGrain>(name);
            return new RunSummary(await coordinator.GetStatus(), await coordinator.GetLossHistory());
        }));
    }
}
