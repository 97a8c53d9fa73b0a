using Orleans.Gan.Contracts;
using Spectre.Console;

namespace Orleans.Gan.Client;

/// <summary>A run's whole status as a two-column table, for <c>status</c>, <c>stop</c> and the end of <c>train</c>.</summary>
internal static class RunStatusTable
{
    /// <summary>Prints the table, or for a run the coordinator does not know, says so; returns the exit code.</summary>
    public static int Show(RunStatus status)
    {
        if (status.Phase == RunPhase.Unknown)
        {
            ConsoleMessages.Error($"No run named '{status.Run}'.");
            return ExitCodes.Failure;
        }

        AnsiConsole.Write(Create(status));
        return ExitCodes.Success;
    }

    public static Table Create(RunStatus status, string? title = null)
    {
        var table = new Table().Border(TableBorder.Rounded).AddColumn("Field").AddColumn("Value");
        table.Title = new TableTitle(Markup.Escape(title ?? $"Run {status.Run}"));
        AddRow(table, "Phase", StatusFormat.Phase(status));
        AddRow(table, "Step", StatusFormat.Steps(status));
        AddRow(table, "Epoch", StatusFormat.Epoch(status));
        AddRow(table, "Loss_D", StatusFormat.LossD(status.Metrics));
        AddRow(table, "Loss_G", StatusFormat.LossG(status.Metrics));
        AddRow(table, "D(x)", StatusFormat.RealScore(status.Metrics));
        AddRow(table, "D(G(z)) before / after D's update", StatusFormat.FakeScore(status.Metrics));
        AddRow(table, "Sample SWD x10³ of G_ema (lower is better)", StatusFormat.Quality(status.Quality));
        AddRow(table, "Sample SWD x10³ of G", StatusFormat.Quality(status.RawQuality));
        AddRow(table, "Images/s", StatusFormat.ImagesPerSecond(status));
        AddRow(table, "Workers active / target", StatusFormat.Workers(status));
        AddRow(table, "Workers on (silo/device)", StatusFormat.Placement(status));
        AddRow(table, "Skipped files", status.SkippedFiles.ToString(System.Globalization.CultureInfo.InvariantCulture));
        AddRow(table, "Latest faces grid", StatusFormat.Optional(status.LatestGrid));
        AddRow(table, "Message", StatusFormat.Optional(status.Message));
        return table;
    }

    private static void AddRow(Table table, string field, string value) =>
        table.AddRow(new Text(field), new Text(value));
}
