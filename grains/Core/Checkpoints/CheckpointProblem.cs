namespace Orleans.Gan.Core.Checkpoints;

/// <summary>Why a checkpoint cannot be used, which decides whether an older one of the same run may be tried instead.</summary>
public enum CheckpointProblem
{
    /// <summary>Missing, truncated, not safetensors, not an Orleans.Gan checkpoint, or tensors that contradict its own config.</summary>
    Damaged,

    /// <summary>A sound checkpoint of networks other than the ones it is loaded into.</summary>
    OtherNetworks,
}
