using Spectre.Console;

namespace Orleans.Gan.Client;

/// <summary>Errors and warnings go to standard error, so that standard output stays parseable by scripts.</summary>
internal static class ConsoleMessages
{
    private static readonly IAnsiConsole StandardError =
        AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });

    public static void Error(string text) => Write("red", "error", text);

    public static void Warning(string text) => Write("yellow", "warning", text);

    private static void Write(string color, string label, string text)
    {
        // Spectre wraps redirected output at 80 columns, which splits messages that logs and tests search for.
        if (Console.IsErrorRedirected)
        {
            Console.Error.WriteLine($"{label}: {text}");
        }
        else
        {
            StandardError.MarkupLine($"[{color}]{label}:[/] {Markup.Escape(text)}");
        }
    }
}
