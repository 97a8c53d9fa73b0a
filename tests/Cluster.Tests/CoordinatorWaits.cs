using Orleans.Gan.Contracts;

namespace Orleans.Gan.Cluster.Tests;

internal static class CoordinatorWaits
{
    /// <summary>Polls until the run is no longer preparing or training, and returns that status.</summary>
    public static async Task<RunStatus> WaitForEnd(this ICoordinatorGrain coordinator)
    {
        var deadline = DateTime.UtcNow.AddMinutes(3);
        while (DateTime.UtcNow < deadline)
        {
            var status = await coordinator.GetStatus();
            if (!status.IsActive)
                return status;
            await Task.Delay(100);
        }
        throw new TimeoutException("The run did not end within 3 minutes.");
    }
}
