using System.CommandLine;
using Orleans.Gan.Data.Synthetic;
using Spectre.Console;

namespace Orleans.Gan.Client.Commands;

/// <summary>
/// <c>client dataset synth</c>: synthetic faces in CelebA's layout, to try the pipeline without CelebA; and
/// <c>client dataset celeba</c> (<see cref="CelebaCommand"/>), CelebA itself.
/// </summary>
internal sealed class DatasetCommand
{
    private readonly Option<int> count = new Option<int>("--count")
    {
        Description = "How many faces to write.",
        HelpName = "N",
        Required = true,
    }.AtLeast(1);

    private readonly Option<string> output = new("--out")
    {
        Description = "The folder to write the data set into, in CelebA's layout (img_align_celeba/, list_eval_partition.txt); created if missing.",
        HelpName = "DIR",
        Required = true,
    };

    private readonly Option<int> seed = new("--seed")
    {
        Description = "Seeds the faces: the same seed and count give the same files.",
        HelpName = "S",
        DefaultValueFactory = _ => 1,
    };

    public Command Build()
    {
        var synth = new Command("synth", "Write synthetic faces in CelebA's layout on this machine; no cluster needed.")
        {
            count, output, seed,
        };
        synth.SetAction(Write);
        return new Command("dataset", "Make or download data sets on this machine.") { synth, new CelebaCommand().Build() };
    }

    private int Write(ParseResult parseResult)
    {
        int faces = parseResult.GetValue(count);
        string folder = parseResult.GetRequiredValue(output);
        int faceSeed = parseResult.GetValue(seed);
        try
        {
            if (TrainingProgressView.IsInteractive)
            {
                AnsiConsole.Progress()
                    .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
                    .Start(context =>
                    {
                        var task = context.AddTask("Writing synthetic faces", maxValue: faces);
                        SyntheticFaceWriter.Write(folder, faces, faceSeed, new Progress<int>(written => task.Value = written));
                        task.Value = faces;
                    });
            }
            else
            {
                SyntheticFaceWriter.Write(folder, faces, faceSeed);
            }
        }
        catch (ArgumentException exception)
        {
            ConsoleMessages.Error($"--out '{folder}': {exception.Message}");
            return ExitCodes.BadFlags;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            ConsoleMessages.Error($"Cannot write to --out '{folder}': {exception.Message}");
            return ExitCodes.Failure;
        }

        Console.WriteLine($"Wrote {faces} synthetic faces to {Path.GetFullPath(folder)}");
        return ExitCodes.Success;
    }
}
