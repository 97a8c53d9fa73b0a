using Spectre.Console;

namespace Orleans.Gan.Bench.Report;

/// <summary>The report's tables as Markdown text, for results.md and for pasting into notes.</summary>
public static class ReportText
{
    public static string Markdown(BenchReport report)
    {
        using var writer = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Out = new AnsiConsoleOutput(writer),
        });
        console.Profile.Width = 400;
        foreach (var renderable in ReportTables.Render(report, TableBorder.Markdown))
        {
            console.Write(renderable);
            console.WriteLine();
        }
        return writer.ToString();
    }
}
