using System.CommandLine;
using Orleans.Gan.Bench;
using Orleans.Gan.Bench.Report;
using Spectre.Console;

var quick = new Option<bool>("--quick")
{
    Description = "Batches of 16, two measured steps, few repeats: checks every part in a minute or two; the figures are rough.",
};
var threads = new Option<int>("--threads")
{
    Description = "Torch threads of our step and of PyTorch's; the two-silo case gives each silo half.",
    DefaultValueFactory = _ => Environment.ProcessorCount,
};
var device = new Option<string>("--device")
{
    Description = "Where the single-process steps run: cpu, or cuda with a -p:TorchDevice=cuda build.",
    DefaultValueFactory = _ => "cpu",
};
device.AcceptOnlyFromAmong("cpu", "cuda");
var python = new Option<string>("--python")
{
    Description = "The Python interpreter with torch (Debian's python3-torch with libopenblas0-openmp).",
    DefaultValueFactory = _ => "/usr/bin/python3",
};
var only = new Option<BenchPart[]>("--only")
{
    Description = "Run only these parts: step, optimizer, cluster, exchange, scaling, data (repeatable). Default: all.",
    AllowMultipleArgumentsPerToken = true,
};
var work = new Option<string>("--work")
{
    Description = "Synthetic faces and shard caches (kept between runs), temporary run folders, and results.md.",
    DefaultValueFactory = _ => Path.Combine(RepositoryPaths.Root, "artifacts", "bench"),
};
var markdown = new Option<bool>("--markdown") { Description = "Print the tables as Markdown, ready to paste." };
var simulateCompute = new Option<int>("--simulate-compute-ms")
{
    Description = "The scaling part's workers wait this many ms per phase instead of running the networks, and still send real-sized gradients: the exchange as it would be behind a GPU.",
    DefaultValueFactory = _ => 5,
};
simulateCompute.Validators.Add(result =>
{
    if (result.GetValueOrDefault<int>() is < 0 or > 60_000)
        result.AddError("--simulate-compute-ms must be from 0 to 60000.");
});

var batches = new Option<int[]>("--batch")
{
    Description = "The single-process steps' batch sizes (repeatable); the largest also is the cluster part's global batch. Default: 64 and 128 (16 with --quick).",
};
batches.Validators.Add(result =>
{
    if (result.GetValueOrDefault<int[]>() is { } chosen && chosen.Any(b => b is < 2 or > 4096))
        result.AddError("--batch must be from 2 to 4096.");
});

var root = new RootCommand("Orleans.Gan benchmark: our training step, cluster, exchange and data pipeline against PyTorch and DDP, in one run.")
{
    quick, threads, device, python, only, work, markdown, simulateCompute, batches,
};
root.SetAction(async parseResult =>
{
    var parts = parseResult.GetValue(only) is { Length: > 0 } chosen ? chosen : Enum.GetValues<BenchPart>();
    var settings = new BenchSettings(parseResult.GetValue(quick), Math.Max(1, parseResult.GetValue(threads)), parseResult.GetRequiredValue(device),
        parseResult.GetRequiredValue(python), Path.GetFullPath(parseResult.GetRequiredValue(work)), parts.ToHashSet(), parseResult.GetValue(markdown),
        parseResult.GetValue(simulateCompute), [.. (parseResult.GetValue(batches) ?? []).Order()]);
    var report = await new BenchmarkRun(settings).RunAsync();

    var markdownFile = Path.Combine(settings.WorkDirectory, "results.md");
    await File.WriteAllTextAsync(markdownFile, ReportText.Markdown(report));
    var jsonFile = Path.Combine(settings.WorkDirectory, "results.json");
    await File.WriteAllTextAsync(jsonFile, ReportJson.Write(report));
    if (settings.Markdown)
        Console.Write(ReportText.Markdown(report));
    else
    {
        // Piped into a file or a log, Spectre assumes 80 columns and wraps every table cell.
        if (Console.IsOutputRedirected)
            AnsiConsole.Profile.Width = 160;
        foreach (var renderable in ReportTables.Render(report, TableBorder.Rounded))
            AnsiConsole.Write(renderable);
    }
    Console.Error.WriteLine($"Tables as Markdown: {markdownFile}; figures as JSON: {jsonFile}");
    return 0;
});
return await root.Parse(args).InvokeAsync();
