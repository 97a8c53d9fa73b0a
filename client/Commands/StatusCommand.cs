using System.CommandLine;
using Orleans.Gan.Contracts;
using Spectre.Console;

namespace Orleans.Gan.Client.Commands;

/// <summary><c>client status RUN</c>: one run's status as a table.</summary>
internal sealed class StatusCommand
{
    private readonly ClusterConnectionOptions cluster = new();

    private readonly Argument<string> run = new Argument<string>("RUN")
    {
        Description = "The run's name, as given to 'client train --run' or printed when it started. "
            + "Required: the cluster keeps no list of runs yet.",
    }.RunName();

    public Command Build()
    {
        var command = new Command("status", "Show a run's phase, progress, latest metrics and faces grid.") { run };
        cluster.AddTo(command);
        command.SetAction((parseResult, cancellationToken) => ClusterSession.RunAsync(
            cluster,
            parseResult,
            client => ShowAsync(client.GetGrain<ICoordinatorGrain>(parseResult.GetRequiredValue(run))),
            cancellationToken,
            retry: true));
        return command;
    }

    private static async Task<int> ShowAsync(ICoordinatorGrain coordinator) => RunStatusTable.Show(await coordinator.GetStatus());
}
