using System.CommandLine;
using Orleans.Gan.Contracts;
using Spectre.Console;

namespace Orleans.Gan.Client.Commands;

/// <summary><c>client stop RUN</c>: asks a run to stop after its step in flight, with a checkpoint.</summary>
internal sealed class StopCommand
{
    private readonly ClusterConnectionOptions cluster = new();

    private readonly Argument<string> run = new Argument<string>("RUN")
    {
        Description = "The run's name.",
    }.RunName();

    public Command Build()
    {
        var command = new Command("stop", "Stop a run after the step in flight and write a checkpoint; "
            + "'client train --run RUN' continues it later.") { run };
        cluster.AddTo(command);
        command.SetAction((parseResult, cancellationToken) => ClusterSession.RunAsync(
            cluster,
            parseResult,
            client => StopAsync(client.GetGrain<ICoordinatorGrain>(parseResult.GetRequiredValue(run))),
            cancellationToken,
            retry: true));
        return command;
    }

    private static async Task<int> StopAsync(ICoordinatorGrain coordinator) => RunStatusTable.Show(await coordinator.Stop());
}
