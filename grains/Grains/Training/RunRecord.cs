using Orleans.Gan.Contracts;

namespace Orleans.Gan.Grains.Training;

/// <summary>
/// What a coordinator keeps in grain storage so that its run outlives its silo: the settings, and whether the run
/// should be going. A coordinator that activates and finds an active record resumes from the newest checkpoint.
/// </summary>
[GenerateSerializer]
public sealed class RunRecord
{
    [Id(0)]
    public RunSettings? Settings { get; set; }

    [Id(1)]
    public bool Active { get; set; }
}
