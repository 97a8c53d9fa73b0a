using Orleans.Gan.Data;
using System.CommandLine;
using System.Globalization;
using Orleans.Gan.Contracts;

namespace Orleans.Gan.Client.Commands;

/// <summary><c>client sample</c>: faces from a run's newest generator, as one grid or one file each.</summary>
internal sealed class SampleCommand
{
    private readonly ClusterConnectionOptions cluster = new();

    private readonly Option<int> count = new Option<int>("--count")
    {
        Description = $"How many faces, from 1 to {ISamplerGrain.MaxFaces}.",
        HelpName = "N",
        DefaultValueFactory = _ => 10,
    }.InRange(1, ISamplerGrain.MaxFaces);

    private readonly Option<string> output = new("--out")
    {
        Description = "The PNG file of the grid; with --separate, the folder for the faces. Missing folders are created.",
        HelpName = "PATH",
        Required = true,
    };

    private readonly Option<long> seed = new("--seed")
    {
        Description = "Seeds the noise: the same seed and generator give the same faces.",
        HelpName = "S",
        DefaultValueFactory = _ => 1,
    };

    private readonly Option<string?> run = new Option<string?>("--run")
    {
        Description = "The run whose newest generator draws the faces.",
        HelpName = "NAME",
        Required = true,
    }.RunName();

    private readonly Option<bool> separate = new("--separate")
    {
        Description = "Write each face to its own file, faces-000.png, faces-001.png, ... in the --out folder.",
    };

    public Command Build()
    {
        var command = new Command("sample", "Draw faces from a run's newest generator and write them as PNG.")
        {
            count, output, seed, run, separate,
        };
        cluster.AddTo(command);
        command.SetAction((parseResult, cancellationToken) => ClusterSession.RunAsync(
            cluster,
            parseResult,
            client => SampleAsync(client.GetGrain<ISamplerGrain>(parseResult.GetRequiredValue(run)!), parseResult, cancellationToken),
            cancellationToken));
        return command;
    }

    private async Task<int> SampleAsync(ISamplerGrain sampler, ParseResult parseResult, CancellationToken cancellationToken)
    {
        int faces = parseResult.GetValue(count);
        long noiseSeed = parseResult.GetValue(seed);
        string path = parseResult.GetRequiredValue(output);
        if (!parseResult.GetValue(separate))
        {
            byte[] grid = await sampler.SampleGrid(faces, noiseSeed);
            AtomicFile.Write(path, grid);
            Console.WriteLine(Path.GetFullPath(path));
            return ExitCodes.Success;
        }

        IReadOnlyList<byte[]> images = await sampler.SampleFaces(faces, noiseSeed);
        Directory.CreateDirectory(path);
        // At least three digits, more when needed, so that the names sort in the order of the faces.
        int digits = Math.Max(3, (images.Count - 1).ToString(CultureInfo.InvariantCulture).Length);
        for (int index = 0; index < images.Count; index++)
        {
            string file = Path.Combine(path, $"faces-{index.ToString(CultureInfo.InvariantCulture).PadLeft(digits, '0')}.png");
            AtomicFile.Write(file, images[index]);
            Console.WriteLine(Path.GetFullPath(file));
        }

        return ExitCodes.Success;
    }
}
