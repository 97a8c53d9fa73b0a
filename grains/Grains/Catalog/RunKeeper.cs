using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Gan.Contracts;

namespace Orleans.Gan.Grains.Catalog;

/// <summary>
/// On every silo, pings the coordinators of the runs that should be going. A coordinator whose silo died is not
/// active anywhere; the ping activates it on a live silo, where it finds its record and resumes from the newest
/// checkpoint. So a run goes on after its coordinator's silo dies even when no client is watching.
/// </summary>
public sealed class RunKeeper(IGrainFactory grains, ILogger<RunKeeper> logger) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                foreach (var run in await grains.GetGrain<IRunCatalogGrain>(IRunCatalogGrain.Key).GetActiveRuns())
                    await grains.GetGrain<ICoordinatorGrain>(run).GetStatus();
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                // The cluster may be starting, shutting down or losing a silo; the next tick tries again.
                logger.LogDebug(e, "Run keeper could not reach the run catalog or a coordinator");
            }
        }
    }
}
