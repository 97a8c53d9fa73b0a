using System.CommandLine;
using System.Globalization;
using Orleans.Gan.Core.Models;
using Orleans.Gan.KernelProbe;

var runs = new Option<int>("--runs") { Description = "Probe processes per configuration.", DefaultValueFactory = _ => 20 };
var isas = new Option<string[]>("--isa")
{
    Description = "ONEDNN_MAX_CPU_ISA values to probe (repeatable); ALL is oneDNN uncapped.",
    DefaultValueFactory = _ => ["AVX", "AVX2", "AVX512_CORE", "ALL"],
    AllowMultipleArgumentsPerToken = true,
};
var threads = new Option<int[]>("--threads")
{
    Description = "Torch thread counts to probe (repeatable).",
    DefaultValueFactory = _ => [1, 2],
    AllowMultipleArgumentsPerToken = true,
};
var model = new Option<string>("--model") { Description = "dcgan64 or tutorial28.", DefaultValueFactory = _ => "dcgan64" };
model.AcceptOnlyFromAmong("dcgan64", "tutorial28");
var generatorFeatures = new Option<int?>("--ngf") { Description = "G's width; default the model's." };
var discriminatorFeatures = new Option<int?>("--ndf") { Description = "D's width; default the model's." };
var batch = new Option<int>("--batch") { Description = "Images per step.", DefaultValueFactory = _ => 64 };
var kernels = new Option<bool>("--kernels")
{
    Description = "Name the kernel of each pass (ONEDNN_VERBOSE=1 in the probes); false leaves oneDNN's timing as in training.",
    DefaultValueFactory = _ => true,
};
var trace = new Option<bool>("--trace")
{
    Description = "Take the whole steps with a check after every layer and phase that names where NaN first appeared; "
        + "without it they are LocalTrainer's, as a silo takes them (the checks change how often NaN comes).",
};
var steps = new Option<int>("--steps") { Description = "Whole training steps per probe; the first is not timed.", DefaultValueFactory = _ => 3 };

var root = new RootCommand(
    "Which oneDNN convolution kernels compute NaN on this CPU, and how fast a training step is under each ISA cap: for every "
    + "configuration, probe processes that run each convolution of G and D through each pass apart, then whole steps.")
{
    runs, isas, threads, model, generatorFeatures, discriminatorFeatures, batch, steps, kernels, trace,
};
root.SetAction(result =>
{
    foreach (var isa in result.GetRequiredValue(isas))
    {
        foreach (int count in result.GetRequiredValue(threads))
        {
            var probes = new List<ProbeRun>();
            for (int i = 0; i < result.GetValue(runs); i++)
            {
                probes.Add(ProbeRun.Start(isa, count, Shape(result), Math.Max(2, result.GetValue(steps)), result.GetValue(kernels), result.GetValue(trace)));
                Console.Error.Write('.');
            }
            Console.Error.WriteLine();
            Console.WriteLine(ProbeSummary.Describe(isa, count, probes));
        }
    }
    return 0;
});

var child = new Command("child", "One probe process (started by the probe itself).") { model, generatorFeatures, discriminatorFeatures, batch, steps, trace };
var childThreads = new Option<int>("--threads") { DefaultValueFactory = _ => 1 };
child.Options.Add(childThreads);
child.SetAction(result => ProbeChild.Run(Shape(result), result.GetValue(childThreads), result.GetValue(steps), result.GetValue(trace)));
root.Subcommands.Add(child);

ProbeShape Shape(ParseResult result)
{
    var defaults = GanModelConfig.For(result.GetRequiredValue(model) == "dcgan64" ? GanArchitecture.Dcgan64 : GanArchitecture.Tutorial28);
    return new ProbeShape(defaults with
    {
        GeneratorFeatures = result.GetValue(generatorFeatures) ?? defaults.GeneratorFeatures,
        DiscriminatorFeatures = result.GetValue(discriminatorFeatures) ?? defaults.DiscriminatorFeatures,
    }, result.GetValue(batch));
}

CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
return root.Parse(args).Invoke();
