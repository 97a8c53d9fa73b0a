namespace Orleans.Gan.Contracts;

/// <summary>
/// What <c>client train --resume</c> sends: the run to continue and the settings the user gave again. Each null one is
/// taken from the run's newest checkpoint. The networks, batch size, optimizer and seed are not here: they are the
/// checkpoint's, which is what makes the resumed run continue exactly.
/// </summary>
/// <param name="MaxSteps">Steps in all, counted from the run's first step, not steps more.</param>
[GenerateSerializer, Immutable]
public sealed record ResumeSettings(
    [property: Id(0)] string Run,
    [property: Id(1)] int? Workers = null,
    [property: Id(2)] int? Epochs = null,
    [property: Id(3)] long? MaxSteps = null,
    [property: Id(4)] string? Dataset = null,
    [property: Id(5)] int? SyntheticFaces = null,
    [property: Id(6)] int? SampleEvery = null,
    [property: Id(7)] int? CheckpointEvery = null,
    [property: Id(8)] int? QualityEvery = null)
{
    /// <summary>The stored settings with the ones given here in their place.</summary>
    public RunSettings ApplyTo(RunSettings saved) => saved with
    {
        Workers = Workers ?? saved.Workers,
        Epochs = Epochs ?? saved.Epochs,
        MaxSteps = MaxSteps ?? saved.MaxSteps,
        Dataset = Dataset ?? saved.Dataset,
        SyntheticFaces = SyntheticFaces ?? saved.SyntheticFaces,
        SampleEvery = SampleEvery ?? saved.SampleEvery,
        CheckpointEvery = CheckpointEvery ?? saved.CheckpointEvery,
        QualityEvery = QualityEvery ?? saved.QualityEvery,
    };
}
