using System.Globalization;
using Orleans.Gan.Contracts;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Orleans.Gan.Client;

/// <summary>
/// Shows a run's progress while it trains: a live display on a terminal, one plain line per change otherwise, since
/// redrawn screens turn into noise in CI logs and files.
/// </summary>
internal static class TrainingProgressView
{
    private const int BarWidth = 40;

    public static bool IsInteractive => AnsiConsole.Profile.Capabilities.Interactive && !Console.IsOutputRedirected;

    /// <returns>The first status whose phase is not active.</returns>
    public static Task<RunStatus> ShowAsync(RunWatcher watcher, RunStatus initial, CancellationToken cancellationToken) =>
        IsInteractive ? ShowLiveAsync(watcher, initial, cancellationToken) : ShowPlainAsync(watcher, initial, cancellationToken);

    private static async Task<RunStatus> ShowLiveAsync(RunWatcher watcher, RunStatus initial, CancellationToken cancellationToken)
    {
        RunStatus latest = initial;
        RunStatus? final = null;
        await AnsiConsole.Live(Render(initial, note: null)).AutoClear(false).StartAsync(async context =>
        {
            final = await watcher.WatchAsync(
                status =>
                {
                    latest = status;
                    context.UpdateTarget(Render(status, note: null));
                    context.Refresh();
                },
                (down, exception) =>
                {
                    context.UpdateTarget(Render(latest, $"Connection lost {down.TotalSeconds:0} s ago, retrying: {exception.Message}"));
                    context.Refresh();
                },
                cancellationToken);
        });
        return final ?? latest;
    }

    private static async Task<RunStatus> ShowPlainAsync(RunWatcher watcher, RunStatus initial, CancellationToken cancellationToken)
    {
        string lastLine = StatusFormat.Line(initial);
        bool reportedLoss = false;
        Console.WriteLine(lastLine);
        return await watcher.WatchAsync(
            status =>
            {
                reportedLoss = false;
                string line = StatusFormat.Line(status);
                if (line != lastLine)
                {
                    Console.WriteLine(line);
                    lastLine = line;
                }
            },
            (_, exception) =>
            {
                if (!reportedLoss)
                {
                    Console.WriteLine($"[{initial.Run}] connection lost, retrying: {exception.Message}");
                    reportedLoss = true;
                }
            },
            cancellationToken);
    }

    private static IRenderable Render(RunStatus status, string? note)
    {
        var metrics = new Table().Border(TableBorder.Rounded)
            .AddColumns("Step", "Epoch", "Loss_D", "Loss_G", "D(x)", "D(G(z))", "Images/s", "Workers")
            .Caption("D(G(z)): before / after D's update. Workers: active / target.");
        metrics.AddRow(
            StatusFormat.Steps(status),
            StatusFormat.Epoch(status),
            StatusFormat.LossD(status.Metrics),
            StatusFormat.LossG(status.Metrics),
            StatusFormat.RealScore(status.Metrics),
            StatusFormat.FakeScore(status.Metrics),
            StatusFormat.ImagesPerSecond(status),
            StatusFormat.Workers(status));

        List<IRenderable> rows =
        [
            new Markup($"[bold]{Markup.Escape(status.Run)}[/] {Markup.Escape(StatusFormat.Phase(status))} {Bar(status)}"),
            metrics,
        ];
        if (!string.IsNullOrEmpty(status.Message))
        {
            rows.Add(new Text(status.Message));
        }

        if (note is not null)
        {
            rows.Add(new Markup($"[yellow]{Markup.Escape(note)}[/]"));
        }

        return new Rows(rows);
    }

    private static string Bar(RunStatus status)
    {
        if (status.TotalSteps <= 0)
        {
            return "[grey]counting steps...[/]";
        }

        double done = Math.Clamp((double)status.Step / status.TotalSteps, 0, 1);
        int filled = (int)Math.Round(done * BarWidth);
        string percent = done.ToString("P0", CultureInfo.InvariantCulture);
        return $"[green]{new string('━', filled)}[/][grey]{new string('━', BarWidth - filled)}[/] {percent}";
    }
}
