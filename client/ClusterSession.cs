using System.CommandLine;

namespace Orleans.Gan.Client;

/// <summary>
/// Runs a command's work against a connected client and turns the failures every cluster command shares into
/// messages and exit codes: unreachable cluster 3, grain errors 1. Work that may safely be done twice (status, sample,
/// stop) is retried for <see cref="RetryWindow"/> when the connection fails: when a silo has just died, its gateway's
/// connections drop and its grains are unreachable until membership declares it dead (a few seconds) and they are
/// reactivated elsewhere, and the Orleans client meanwhile moves to the other gateways.
/// </summary>
internal static class ClusterSession
{
    public static readonly TimeSpan RetryWindow = TimeSpan.FromSeconds(20);

    private static readonly TimeSpan RetryPause = TimeSpan.FromMilliseconds(500);

    /// <param name="retry">Whether <paramref name="work"/> may be done again after a lost connection.</param>
    public static async Task<int> RunAsync(
        ClusterConnectionOptions options,
        ParseResult parseResult,
        Func<IClusterClient, Task<int>> work,
        CancellationToken cancellationToken,
        bool retry = false)
    {
        ClusterConnection connection;
        try
        {
            connection = options.Read(parseResult);
        }
        catch (ArgumentException exception)
        {
            ConsoleMessages.Error(exception.Message);
            return ExitCodes.BadFlags;
        }

        var giveUp = DateTime.UtcNow + (retry ? RetryWindow : TimeSpan.Zero);
        try
        {
            await using ConnectedClusterClient connected = await ClusterClientFactory.ConnectAsync(connection, cancellationToken);
            while (true)
            {
                try
                {
                    return await work(connected.Client);
                }
                catch (Exception exception) when (ConnectionLoss.Is(exception) && DateTime.UtcNow < giveUp)
                {
                    await Task.Delay(RetryPause, cancellationToken);
                }
            }
        }
        catch (ClusterUnreachableException exception)
        {
            ConsoleMessages.Error(exception.Message);
            return ExitCodes.ClusterUnreachable;
        }
        catch (Exception exception) when (ConnectionLoss.Is(exception))
        {
            ConsoleMessages.Error($"Lost the connection to the cluster through {connection.Describe()}"
                + (retry ? $" and it did not come back within {RetryWindow.TotalSeconds:0} s" : "")
                + $": {ConsoleMessages.FirstLine(exception.Message)} A silo may have died: check that the silos are up, "
                + "and try again once the cluster has declared it dead (seconds).");
            return ExitCodes.ClusterUnreachable;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            ConsoleMessages.Warning("Cancelled.");
            return ExitCodes.Failure;
        }
        catch (Exception exception)
        {
            ConsoleMessages.Error(exception.Message);
            return ExitCodes.Failure;
        }
    }
}
