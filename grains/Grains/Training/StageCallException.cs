namespace Orleans.Gan.Grains.Training;

/// <summary>Calls to silos' stages that failed, missed the deadline or went to a silo that left; the step is taken again without those silos.</summary>
public sealed class StageCallException(string message, IReadOnlyList<string> silos) : Exception(message)
{
    /// <summary>The silos whose stage did not answer.</summary>
    public IReadOnlyList<string> Silos { get; } = silos;
}
