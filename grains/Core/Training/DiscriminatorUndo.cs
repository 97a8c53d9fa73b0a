namespace Orleans.Gan.Core.Training;

/// <summary>
/// Takes D back to where a step began, after D's Adam step, when the step cannot be finished: its G phase needs
/// workers on silos that are all leaving, as when every silo of a job is stopped at once. The step is then not taken
/// at all, so the stop checkpoint is of the last whole step and resuming from it is exact. D's parameters come from
/// the copy the caller offered the D phase; D's Adam state is captured here, into arrays reused every step. Capturing
/// reads the state only, so it can overlap the D phase's fan-out.
/// </summary>
public sealed class DiscriminatorUndo(FlatAdam discriminatorAdam)
{
    private readonly float[] expAvg = new float[discriminatorAdam.ExpAvg.Length];
    private readonly float[] expAvgSq = new float[discriminatorAdam.ExpAvgSq.Length];
    private long steps;

    /// <summary>Keeps D's Adam state as it is now, before its step.</summary>
    public void Capture()
    {
        discriminatorAdam.ExpAvg.CopyTo(expAvg);
        discriminatorAdam.ExpAvgSq.CopyTo(expAvgSq);
        steps = discriminatorAdam.Steps;
    }

    /// <summary>D's parameters from <paramref name="parametersBefore"/> and its Adam state as last captured.</summary>
    public void Restore(ReadOnlySpan<byte> parametersBefore)
    {
        discriminatorAdam.Parameters.WriteValues(parametersBefore);
        expAvg.CopyTo(discriminatorAdam.ExpAvg);
        expAvgSq.CopyTo(discriminatorAdam.ExpAvgSq);
        discriminatorAdam.Steps = steps;
    }
}
