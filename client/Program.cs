using System.CommandLine;
using System.CommandLine.Invocation;
using Orleans.Gan.Client;
using Orleans.Gan.Client.Commands;

var root = new RootCommand("Orleans.Gan client: train DCGANs on an Orleans cluster, watch and stop runs, sample faces.")
{
    new TrainCommand().Build(),
    new StatusCommand().Build(),
    new SampleCommand().Build(),
    new StopCommand().Build(),
    new DatasetCommand().Build(),
};

ParseResult parseResult = root.Parse(args);
if (parseResult.Action is ParseErrorAction parseError)
{
    // The error names the flag; the full help after it would push that line off the screen.
    parseError.ShowHelp = false;
}

// Ctrl+C cancels the command's token rather than ending the process, so that 'train' can say that the run goes on;
// a second Ctrl+C ends the process. With System.CommandLine's default handling the first Ctrl+C killed the process.
using var interrupted = new CancellationTokenSource();
Console.CancelKeyPress += (_, press) =>
{
    press.Cancel = !interrupted.IsCancellationRequested;
    interrupted.Cancel();
};
int exitCode = await parseResult.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null }, interrupted.Token);
// System.CommandLine reports bad flags with exit code 1, which our scripts reserve for failed runs.
return parseResult.Action is ParseErrorAction ? ExitCodes.BadFlags : exitCode;
