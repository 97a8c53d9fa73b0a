using System.Text.RegularExpressions;
using Spectre.Console;

namespace Orleans.Gan.Client;

/// <summary>Errors and warnings go to standard error, so that standard output stays parseable by scripts.</summary>
internal static partial class ConsoleMessages
{
    private static readonly IAnsiConsole StandardError =
        AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });

    public static void Error(string text) => Write("red", "error", text);

    public static void Warning(string text) => Write("yellow", "warning", text);

    /// <summary>
    /// The first line of a message: Orleans puts a whole inner exception, stack trace and all, into some of its
    /// exceptions' messages, and a user needs the reason, not the frames.
    /// </summary>
    public static string FirstLine(string message) => message.Split('\n', 2)[0].TrimEnd();

    private static void Write(string color, string label, string text)
    {
        // No command prints a stack frame, whatever an exception's message carries.
        text = string.Join('\n', text.Split('\n').TakeWhile(line => !StackFrame().IsMatch(line)));
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

    [GeneratedRegex(@"^\s+at \S|^\s*--- End of")]
    private static partial Regex StackFrame();
}
