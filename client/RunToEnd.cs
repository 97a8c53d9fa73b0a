using Orleans.Gan.Contracts;
using Spectre.Console;

namespace Orleans.Gan.Client;

/// <summary>
/// Watches a run until it ends and turns its end into the exit code scripts rely on: 0 for a completed or stopped
/// run, 1 for a failed or forgotten one. Shared by <c>client train</c> and <c>client status --wait</c>.
/// </summary>
internal static class RunToEnd
{
    public static async Task<int> WatchAsync(ICoordinatorGrain coordinator, string runName, RunStatus current, CancellationToken cancellationToken)
    {
        RunStatus final;
        try
        {
            final = await TrainingProgressView.ShowAsync(new RunWatcher(coordinator, runName), current, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            Console.WriteLine($"Stopped watching. Run '{runName}' goes on in the cluster; "
                + $"check it with: client status {runName}    stop it with: client stop {runName}");
            return ExitCodes.Success;
        }

        return Report(final);
    }

    private static int Report(RunStatus final)
    {
        switch (final.Phase)
        {
            case RunPhase.Completed:
                AnsiConsole.Write(RunStatusTable.Create(final, $"Run {final.Run} completed"));
                return ExitCodes.Success;
            case RunPhase.Stopped:
                AnsiConsole.Write(RunStatusTable.Create(final, $"Run {final.Run} stopped"));
                Console.WriteLine($"The run was stopped before its end; continue it from its newest checkpoint with: "
                    + $"client train --resume {final.Run}");
                return ExitCodes.Success;
            case RunPhase.Failed:
                ConsoleMessages.Error($"Run '{final.Run}' failed: {StatusFormat.Optional(final.Message)}");
                return ExitCodes.Failure;
            default:
                ConsoleMessages.Error($"The coordinator no longer knows run '{final.Run}' (its silo may have restarted). "
                    + $"Continue it from its newest checkpoint with: client train --resume {final.Run}");
                return ExitCodes.Failure;
        }
    }
}
