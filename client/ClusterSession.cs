using System.CommandLine;

namespace Orleans.Gan.Client;

/// <summary>
/// Runs a command's work against a connected client and turns the failures every cluster command shares into
/// messages and exit codes: unreachable cluster 3, grain errors 1.
/// </summary>
internal static class ClusterSession
{
    public static async Task<int> RunAsync(
        ClusterConnectionOptions options,
        ParseResult parseResult,
        Func<IClusterClient, Task<int>> work,
        CancellationToken cancellationToken)
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

        try
        {
            await using ConnectedClusterClient connected = await ClusterClientFactory.ConnectAsync(connection, cancellationToken);
            return await work(connected.Client);
        }
        catch (ClusterUnreachableException exception)
        {
            ConsoleMessages.Error(exception.Message);
            return ExitCodes.ClusterUnreachable;
        }
        catch (Exception exception) when (ConnectionLoss.Is(exception))
        {
            ConsoleMessages.Error($"Lost the connection to the cluster through {connection.Describe()}: {exception.Message}");
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
