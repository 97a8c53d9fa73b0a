using Orleans.Gan.Data;
using System.CommandLine;
using System.Globalization;
using Orleans.Gan.Contracts;
using Orleans.Gan.Core.Checkpoints;
using Orleans.Gan.Core.Imaging;
using Orleans.Gan.Core.Models;
using Orleans.Gan.Core.Runtime;

namespace Orleans.Gan.Client.Commands;

/// <summary>
/// <c>client sample</c>: faces from a run's newest G_ema (or G) on the cluster, or from a weights file with no cluster
/// (a PyTorch state dict, safetensors, or a checkpoint, whose G_ema is used where it has one), as one grid or one file each.
/// </summary>
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
        Description = "The run whose newest generator draws the faces, on the cluster. Either this or --weights.",
        HelpName = "NAME",
    }.RunName();

    private readonly Option<FileInfo?> weights = new("--weights")
    {
        Description = "Draw from this generator file instead, with no cluster: a PyTorch state dict saved with "
            + "torch.save(netG.state_dict(), ...) (such as pytorch/examples' netG_epoch_N.pth), a safetensors file, or an "
            + "Orleans.Gan checkpoint. Either this or --run.",
        HelpName = "FILE",
    };

    private readonly Option<string> model = new Option<string>("--model")
    {
        Description = "With --weights: the file's architecture, dcgan64 or tutorial28. Default: read from the tensors' shapes.",
    }.OneOf(Models.Keys);

    private static readonly Dictionary<string, GanArchitecture> Models = new()
    {
        ["dcgan64"] = GanArchitecture.Dcgan64,
        ["tutorial28"] = GanArchitecture.Tutorial28,
    };

    private readonly Option<string> generator = new Option<string>("--generator")
    {
        Description = $"{GeneratorChoices.Ema}: G_ema, the averaged generator, which draws cleaner faces (G itself where the run or checkpoint keeps none); "
            + $"{GeneratorChoices.Raw}: G itself.",
        DefaultValueFactory = _ => GeneratorChoices.Ema,
    }.OneOf([GeneratorChoices.Ema, GeneratorChoices.Raw]);

    private readonly Option<bool> separate = new("--separate")
    {
        Description = "Write each face to its own file, faces-000.png, faces-001.png, ... in the --out folder.",
    };

    public Command Build()
    {
        var command = new Command("sample", "Draw faces from a run's newest generator, or from a weights file, and write them as PNG.")
        {
            count, output, seed, run, weights, model, generator, separate,
        };
        cluster.AddTo(command);
        command.Validators.Add(result =>
        {
            bool fromRun = result.GetResult(run) is not null, fromFile = result.GetResult(weights) is not null;
            if (fromRun == fromFile)
                result.AddError("Give either --run (a run on the cluster) or --weights (a generator file), not both or neither.");
            if (result.GetResult(model) is not null && !fromFile)
                result.AddError("--model goes with --weights; a run's model is known to the cluster.");
        });
        command.SetAction((parseResult, cancellationToken) => parseResult.GetValue(weights) is { } file
            ? SampleFromFileAsync(file, parseResult)
            : ClusterSession.RunAsync(
                cluster,
                parseResult,
                client =>
                {
                    var sampler = client.GetGrain<ISamplerGrain>(parseResult.GetRequiredValue(run)!);
                    var choice = Choice(parseResult);
                    return WriteAsync(parseResult, (faces, noiseSeed) => sampler.SampleGrid(faces, noiseSeed, choice),
                        (faces, noiseSeed) => sampler.SampleFaces(faces, noiseSeed, choice));
                },
                cancellationToken,
                retry: true));
        return command;
    }

    /// <summary>Faces from a weights file on this machine: no cluster, and exit code 1 with one line for a file that does not fit.</summary>
    private async Task<int> SampleFromFileAsync(FileInfo file, ParseResult parseResult)
    {
        // Before the first convolution, as the silo does (see CpuKernels).
        CpuKernels.CapWhereCachesAreHidden();
        try
        {
            var pretrained = PretrainedWeights.Read(file.FullName, parseResult.GetValue(model) is { } name ? Models[name] : null,
                averaged: Choice(parseResult) == GeneratorChoice.Ema);
            using var networks = GanNetworks.Create(pretrained.Model, seed: 0);
            pretrained.LoadInto(networks);
            return await WriteAsync(parseResult,
                (faces, noiseSeed) => Task.FromResult(FaceSamples.Grid(networks, faces, noiseSeed)),
                (faces, noiseSeed) => Task.FromResult(FaceSamples.Separate(networks, faces, noiseSeed)));
        }
        catch (CheckpointException e)
        {
            Console.Error.WriteLine(e.Message);
            return ExitCodes.Failure;
        }
    }

    private GeneratorChoice Choice(ParseResult parseResult) => GeneratorChoices.Parse(parseResult.GetRequiredValue(generator))!.Value;

    private async Task<int> WriteAsync(ParseResult parseResult, Func<int, long, Task<byte[]>> sampleGrid,
        Func<int, long, Task<IReadOnlyList<byte[]>>> sampleFaces)
    {
        int faces = parseResult.GetValue(count);
        long noiseSeed = parseResult.GetValue(seed);
        string path = parseResult.GetRequiredValue(output);
        if (!parseResult.GetValue(separate))
        {
            byte[] grid = await sampleGrid(faces, noiseSeed);
            AtomicFile.Write(path, grid);
            Console.WriteLine(Path.GetFullPath(path));
            return ExitCodes.Success;
        }

        IReadOnlyList<byte[]> images = await sampleFaces(faces, noiseSeed);
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
