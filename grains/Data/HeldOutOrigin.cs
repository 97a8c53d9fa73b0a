namespace Orleans.Gan.Data;

/// <summary>Where the held-out images of a quality score came from.</summary>
public enum HeldOutOrigin
{
    /// <summary>CelebA's validation partition (code 1 in list_eval_partition.txt), which training never reads.</summary>
    ValidationPartition,

    /// <summary>
    /// The last images of the train partition, taken when the data set has no validation partition (no partition
    /// file, or one without code 1). Training reads these too, so the score also rewards reproducing them.
    /// </summary>
    TailOfTrain,
}
