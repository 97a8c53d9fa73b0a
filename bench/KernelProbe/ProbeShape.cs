using Orleans.Gan.Core.Models;

namespace Orleans.Gan.KernelProbe;

/// <summary>The model and batch a probe trains, and the arguments that hand them to a probe process.</summary>
internal sealed record ProbeShape(GanModelConfig Model, int Batch)
{
    public IEnumerable<string> Arguments =>
    [
        "--model", Model.Architecture.ToString().ToLowerInvariant(), "--ngf", $"{Model.GeneratorFeatures}",
        "--ndf", $"{Model.DiscriminatorFeatures}", "--batch", $"{Batch}",
    ];
}
