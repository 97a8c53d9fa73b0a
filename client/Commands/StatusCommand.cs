using System.CommandLine;
using Orleans.Gan.Contracts;
using Spectre.Console;

namespace Orleans.Gan.Client.Commands;

/// <summary><c>client status RUN [--wait]</c>: one run's status as a table, or its progress until it ends.</summary>
internal sealed class StatusCommand
{
    private readonly ClusterConnectionOptions cluster = new();

    private readonly Argument<string> run = new Argument<string>("RUN")
    {
        Description = "The run's name, as given to 'client train --run' or printed when it started. "
            + "Required: the cluster keeps no list of runs yet.",
    }.RunName();

    private readonly Option<bool> wait = new("--wait")
    {
        Description = "Show the run's progress until it ends, then exit as 'client train' does: 0 when it completed or "
            + "was stopped, 1 when it failed. For scripts that started it with 'client train --detach'.",
    };

    public Command Build()
    {
        var command = new Command("status", "Show a run's phase, progress, latest metrics and faces grid.") { run, wait };
        cluster.AddTo(command);
        command.SetAction((parseResult, cancellationToken) => ClusterSession.RunAsync(
            cluster,
            parseResult,
            client => ShowAsync(client, parseResult.GetRequiredValue(run), parseResult.GetValue(wait), cancellationToken),
            cancellationToken,
            retry: true));
        return command;
    }

    private static async Task<int> ShowAsync(IClusterClient client, string runName, bool waitForEnd, CancellationToken cancellationToken)
    {
        var coordinator = client.GetGrain<ICoordinatorGrain>(runName);
        RunStatus current = await coordinator.GetStatus();
        return waitForEnd && current.Phase != RunPhase.Unknown
            ? await RunToEnd.WatchAsync(coordinator, runName, current, cancellationToken)
            : RunStatusTable.Show(current);
    }
}
