using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using Orleans.Gan.Contracts;
using Spectre.Console;

namespace Orleans.Gan.Client.Commands;

/// <summary><c>client train</c>: starts a run on the cluster and, unless detached, watches it to its end.</summary>
internal sealed class TrainCommand
{
    private static readonly Dictionary<string, ModelKind> Models = new()
    {
        ["dcgan64"] = ModelKind.Dcgan64,
        ["tutorial28"] = ModelKind.Tutorial28,
    };

    private static readonly Dictionary<string, GradientPrecision> WirePrecisions = new()
    {
        ["fp32"] = GradientPrecision.Float32,
        ["bf16"] = GradientPrecision.BFloat16,
        ["fp16"] = GradientPrecision.Float16,
    };

    private readonly ClusterConnectionOptions cluster = new();

    private readonly Option<int> workers = new Option<int>("--workers")
    {
        Description = "Target number of workers, spread round-robin over the silos that are up.",
        HelpName = "N",
        DefaultValueFactory = _ => 2,
    }.InRange(1, 64);

    private readonly Option<string> model = new Option<string>("--model")
    {
        Description = "dcgan64: PyTorch's DCGAN example at 64x64. tutorial28: the small 28x28 tutorial model. "
            + "The model fixes the image size.",
        DefaultValueFactory = _ => "dcgan64",
    }.OneOf(Models.Keys);

    private readonly Option<int> epochs = new Option<int>("--epochs")
    {
        Description = "Passes over the training data.",
        HelpName = "E",
        DefaultValueFactory = _ => 1,
    }.AtLeast(1);

    private readonly Option<int> batchSize = new Option<int>("--batch-size")
    {
        Description = "Images per worker per step; the global batch is --workers x --batch-size.",
        HelpName = "B",
        DefaultValueFactory = _ => 64,
    }.AtLeast(1);

    private readonly Option<string?> dataset = new("--dataset")
    {
        Description = "A CelebA folder or zip as the silos see it: they read it, not this client. "
            + "Omit to train on synthetic faces.",
        HelpName = "DIR|ZIP",
    };

    private readonly Option<string?> run = new Option<string?>("--run")
    {
        Description = "The run's name. A run of this name that has checkpoints continues from its newest, provided "
            + "--model, --batch-size, --lr and --seed are as before (see --resume). Default: run-<yyyyMMdd-HHmmss> from the local clock.",
        HelpName = "NAME",
    }.RunName();

    private readonly Option<long> seed = new("--seed")
    {
        Description = "Seeds the weights, the noise and the data order, so that a run can be repeated.",
        HelpName = "S",
        DefaultValueFactory = _ => 1,
    };

    private readonly Option<int> sampleEvery = new Option<int>("--sample-every")
    {
        Description = "Write a faces grid every this many steps and at each epoch's end; 0 only at epoch ends.",
        HelpName = "K",
        DefaultValueFactory = _ => 50,
    }.AtLeast(0);

    private readonly Option<int> checkpointEvery = new Option<int>("--checkpoint-every")
    {
        Description = "Write a checkpoint every this many steps and at each epoch's end; 0 only at epoch ends.",
        HelpName = "K",
        DefaultValueFactory = _ => 100,
    }.AtLeast(0);

    private readonly Option<int> qualityEvery = new Option<int>("--quality-every")
    {
        Description = "Score the samples (sliced Wasserstein distance to held-out images, lower is better) every this "
            + "many steps and at each epoch's end; 0 only at epoch ends. Each score takes a few seconds on a CPU.",
        HelpName = "K",
        DefaultValueFactory = _ => 0,
    }.AtLeast(0);

    private readonly Option<long> maxSteps = new Option<long>("--max-steps")
    {
        Description = "Stop after this many steps in all, even before --epochs are done; 0 for no limit.",
        HelpName = "N",
        DefaultValueFactory = _ => 0,
    }.AtLeast(0);

    private readonly Option<int> syntheticFaces = new Option<int>("--synthetic-faces")
    {
        Description = "How many synthetic faces to train on when --dataset is not given.",
        HelpName = "N",
        DefaultValueFactory = _ => 4096,
    }.AtLeast(1);

    private readonly Option<double?> learningRate = new Option<double?>("--lr")
    {
        Description = "Adam's learning rate for both networks. Default: the model's (2e-4 for dcgan64, as PyTorch's DCGAN; 5e-4 for tutorial28).",
        HelpName = "RATE",
    }.Positive();

    private readonly Option<int?> generatorFeatures = new Option<int?>("--ngf")
    {
        Description = "G's width: the feature maps of its last transposed convolution, as in PyTorch's DCGAN example. "
            + "Smaller trains faster and draws plainer faces. Default: the model's (64 for dcgan64 and for tutorial28, whose tutorial had 256).",
        HelpName = "N",
    }.InRange(4, 512);

    private readonly Option<int?> discriminatorFeatures = new Option<int?>("--ndf")
    {
        Description = "D's width: the feature maps of its first convolution, as in PyTorch's DCGAN example. Default: the model's (64 for dcgan64, 32 for tutorial28).",
        HelpName = "N",
    }.InRange(4, 512);

    private readonly Option<double> emaKimg = new Option<double>("--ema-kimg")
    {
        Description = "G_ema, the averaged generator that draws the grids and faces by default: the half-life of its average in thousands "
            + "of images, as StyleGAN2-ADA's ema_kimg. 0 keeps no average.",
        HelpName = "K",
        DefaultValueFactory = _ => 10,
    }.AtLeast(0);

    private readonly Option<double> emaRampup = new Option<double>("--ema-rampup")
    {
        Description = "G_ema's ramp-up, as StyleGAN2-ADA's ema_rampup: early in the run the half-life is at most the images seen times "
            + "this, so that G_ema keeps up with a G that improves fast. 0 for none.",
        HelpName = "R",
        DefaultValueFactory = _ => 0.05,
    }.AtLeast(0);

    private readonly Option<FileInfo?> initFrom = new("--init-from")
    {
        Description = "Start the new run from these weights instead of random ones: a PyTorch state dict of G (torch.save(netG.state_dict(), ...)), "
            + "a safetensors file, or an Orleans.Gan checkpoint (G and D). The silos read it, at its full path. The run's --model, "
            + "--ngf and nz must be the file's.",
        HelpName = "FILE",
    };

    private readonly Option<string?> resume = new Option<string?>("--resume")
    {
        Description = "Continue this run from its newest checkpoint, with the settings stored there; --workers, --epochs, "
            + "--max-steps, --dataset, --synthetic-faces, --sample-every, --checkpoint-every and --quality-every replace them "
            + "when given.",
        HelpName = "RUN",
    }.RunName();

    private readonly Option<string> wirePrecision = new("--wire-precision")
    {
        Description = "How workers send gradients to the coordinator: fp32, or bf16 or fp16, which halve that traffic "
            + "and round each gradient by at most 0.4% (bf16) or 0.05% (fp16, which also flushes values below 6e-8 to 0). "
            + "Weights always travel as fp32.",
        DefaultValueFactory = _ => "fp32",
    };

    private readonly Option<int?> simulateCompute = new Option<int?>("--simulate-compute-ms")
    {
        Description = "For measuring the exchange: workers wait this many ms per phase instead of running the networks, "
            + "and still load every weight and send gradients of the real size, as a GPU's step would. The networks do not learn.",
        HelpName = "MS",
    }.InRange(0, 60_000);

    private readonly Option<bool> detach = new("--detach")
    {
        Description = "Return as soon as the run has started instead of watching it.",
    };

    /// <summary>What the checkpoint fixes for an exact resume: the networks, the batch, the optimizer, the seed and G_ema's average.</summary>
    private IEnumerable<Option> FixedByCheckpoint => [model, batchSize, learningRate, seed, generatorFeatures, discriminatorFeatures, emaKimg, emaRampup];

    public TrainCommand()
    {
        wirePrecision.AcceptOnlyFromAmong([.. WirePrecisions.Keys]);
    }

    public Command Build()
    {
        var command = new Command("train", "Start a training run on the cluster and watch it until it ends. "
            + "Ctrl+C stops watching; the run goes on.")
        {
            workers, model, epochs, batchSize, dataset, run, seed, sampleEvery, checkpointEvery, qualityEvery, maxSteps,
            syntheticFaces, learningRate, generatorFeatures, discriminatorFeatures, emaKimg, emaRampup, initFrom, resume, wirePrecision,
            simulateCompute, detach,
        };
        command.Validators.Add(result =>
        {
            if (!IsGiven(result.GetResult(resume)))
                return;
            if (IsGiven(result.GetResult(run)))
                result.AddError("--run and --resume exclude each other: --resume names the run to continue.");
            if (IsGiven(result.GetResult(initFrom)))
                result.AddError("--init-from cannot be given with --resume: the run continues from its own checkpoint.");
            foreach (var fixedOption in FixedByCheckpoint.Where(o => IsGiven(result.GetResult(o))))
            {
                result.AddError($"{fixedOption.Name} cannot be given with --resume: the run continues with the {fixedOption.Name} "
                    + "of its checkpoint. Start a new run to change it.");
            }
        });
        cluster.AddTo(command);
        command.SetAction(RunAsync);
        return command;
    }

    private Task<int> RunAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        bool detached = parseResult.GetValue(detach);
        if (parseResult.GetValue(resume) is { } resumed)
        {
            ResumeSettings resumeSettings = ReadResumeSettings(parseResult, resumed);
            return ClusterSession.RunAsync(
                cluster,
                parseResult,
                client => TrainAsync(client.GetGrain<ICoordinatorGrain>(resumed), resumed, "resume",
                    coordinator => coordinator.Resume(resumeSettings),
                    started => $"{started.TargetWorkers} worker(s), {started.Epochs} epoch(s), the rest as its checkpoint",
                    detached, cancellationToken),
                cancellationToken);
        }

        RunSettings settings = ReadSettings(parseResult);
        if (settings.Dataset is { } path && !File.Exists(path) && !Directory.Exists(path))
        {
            ConsoleMessages.Warning($"--dataset '{path}' does not exist on this machine; "
                + "starting anyway, since the silos may see a different file system.");
        }

        return ClusterSession.RunAsync(
            cluster,
            parseResult,
            client => TrainAsync(client.GetGrain<ICoordinatorGrain>(settings.Run), settings.Run, "start",
                coordinator => coordinator.Start(settings),
                _ => $"{settings.Workers} worker(s) x batch {settings.BatchSize}, {settings.Model.ToString().ToLowerInvariant()}, "
                    + $"{settings.Epochs} epoch(s)",
                detached, cancellationToken),
            cancellationToken);
    }

    /// <summary>Only the flags the user typed: every other setting comes from the checkpoint, not from our defaults.</summary>
    private ResumeSettings ReadResumeSettings(ParseResult parseResult, string resumed)
    {
        T? Given<T>(Option<T> option) where T : struct => IsGiven(parseResult.GetResult(option)) ? parseResult.GetValue(option) : null;
        return new ResumeSettings(resumed, Given(workers), Given(epochs), Given(maxSteps), parseResult.GetValue(dataset),
            Given(syntheticFaces), Given(sampleEvery), Given(checkpointEvery), Given(qualityEvery));
    }

    private static bool IsGiven(SymbolResult? result) => result is OptionResult { Implicit: false };

    private RunSettings ReadSettings(ParseResult parseResult) => new(
        Run: parseResult.GetValue(run) ?? $"run-{DateTime.Now.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture)}",
        Model: Models[parseResult.GetRequiredValue(model)],
        Workers: parseResult.GetValue(workers),
        BatchSize: parseResult.GetValue(batchSize),
        Epochs: parseResult.GetValue(epochs),
        MaxSteps: parseResult.GetValue(maxSteps),
        Seed: parseResult.GetValue(seed),
        Dataset: parseResult.GetValue(dataset),
        SyntheticFaces: parseResult.GetValue(syntheticFaces),
        SampleEvery: parseResult.GetValue(sampleEvery),
        CheckpointEvery: parseResult.GetValue(checkpointEvery),
        LearningRate: parseResult.GetValue(learningRate),
        GeneratorFeatures: parseResult.GetValue(generatorFeatures),
        DiscriminatorFeatures: parseResult.GetValue(discriminatorFeatures),
        InitFrom: parseResult.GetValue(initFrom)?.FullName,
        QualityEvery: parseResult.GetValue(qualityEvery),
        GradientPrecision: WirePrecisions[parseResult.GetRequiredValue(wirePrecision)],
        SimulateComputeMs: parseResult.GetValue(simulateCompute),
        EmaKimg: parseResult.GetValue(emaKimg),
        EmaRampup: parseResult.GetValue(emaRampup));

    private static async Task<int> TrainAsync(
        ICoordinatorGrain coordinator,
        string runName,
        string verb,
        Func<ICoordinatorGrain, Task<RunStatus>> start,
        Func<RunStatus, string> describe,
        bool detached,
        CancellationToken cancellationToken)
    {
        RunStatus started;
        try
        {
            started = await start(coordinator);
        }
        catch (InvalidOperationException refused)
        {
            ConsoleMessages.Error($"Cannot {verb} run '{runName}': {refused.Message}");
            return ExitCodes.Failure;
        }

        AnsiConsole.MarkupLine(started.Step == 0
            ? $"Started run [bold]{Markup.Escape(runName)}[/]: {Markup.Escape(describe(started))}."
            : $"Continuing run [bold]{Markup.Escape(runName)}[/] after step {started.Step}: {Markup.Escape(describe(started))}.");
        if (detached)
        {
            Console.WriteLine($"Watch it with: client status {runName} --wait    Stop it with: client stop {runName}");
            return ExitCodes.Success;
        }

        return await RunToEnd.WatchAsync(coordinator, runName, started, cancellationToken);
    }
}
