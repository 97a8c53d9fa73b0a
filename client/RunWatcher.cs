using Orleans.Gan.Contracts;

namespace Orleans.Gan.Client;

/// <summary>
/// Polls a run's coordinator until the run is no longer active. A lost connection is retried for a while, since the
/// coordinator may be reactivating on another silo after its own went down.
/// </summary>
internal sealed class RunWatcher(ICoordinatorGrain coordinator, string run)
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan ReconnectWindow = TimeSpan.FromSeconds(60);

    // Far below the client's response timeout: a status call to a silo that died would otherwise block the window away.
    private static readonly TimeSpan StatusCallTimeout = TimeSpan.FromSeconds(10);

    /// <param name="onStatus">Called with every status read, the last one included.</param>
    /// <param name="onConnectionLost">Called after each failed read with how long the connection has been down.</param>
    /// <returns>The first status whose phase is not active.</returns>
    /// <exception cref="ClusterUnreachableException">The connection stayed down for the whole reconnect window.</exception>
    public async Task<RunStatus> WatchAsync(
        Action<RunStatus> onStatus,
        Action<TimeSpan, Exception> onConnectionLost,
        CancellationToken cancellationToken)
    {
        DateTime? lostSince = null;
        while (true)
        {
            RunStatus status;
            try
            {
                status = await coordinator.GetStatus().WaitAsync(StatusCallTimeout, cancellationToken);
            }
            catch (Exception exception) when (ConnectionLoss.Is(exception))
            {
                lostSince ??= DateTime.UtcNow;
                TimeSpan down = DateTime.UtcNow - lostSince.Value;
                if (down >= ReconnectWindow)
                {
                    throw new ClusterUnreachableException(
                        $"Lost the connection to the cluster for {down.TotalSeconds:0} s while watching run '{run}': "
                        + $"{exception.Message}{Environment.NewLine}The run may still be going; check with: client status {run}",
                        exception);
                }

                onConnectionLost(down, exception);
                await Task.Delay(PollInterval, cancellationToken);
                continue;
            }

            lostSince = null;
            onStatus(status);
            if (!status.IsActive)
            {
                return status;
            }

            await Task.Delay(PollInterval, cancellationToken);
        }
    }
}
