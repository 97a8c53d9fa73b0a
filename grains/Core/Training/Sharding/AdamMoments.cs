namespace Orleans.Gan.Core.Training.Sharding;

/// <summary>One Adam's state over a flat run of parameters: both moments and the steps taken (PyTorch's <c>step</c>).</summary>
public sealed record AdamMoments(float[] ExpAvg, float[] ExpAvgSq, long Steps)
{
    /// <summary>A copy of <paramref name="adam"/>'s state.</summary>
    public static AdamMoments Of(FlatAdam adam) => new(adam.ExpAvg.ToArray(), adam.ExpAvgSq.ToArray(), adam.Steps);

    /// <summary>Makes <paramref name="adam"/> hold this state.</summary>
    public void WriteTo(FlatAdam adam)
    {
        ExpAvg.CopyTo(adam.ExpAvg);
        ExpAvgSq.CopyTo(adam.ExpAvgSq);
        adam.Steps = Steps;
    }
}
