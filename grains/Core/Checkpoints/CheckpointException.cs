namespace Orleans.Gan.Core.Checkpoints;

/// <summary>A checkpoint file that cannot be used: truncated, not a checkpoint, or made for other networks.</summary>
public sealed class CheckpointException(string message, CheckpointProblem problem = CheckpointProblem.Damaged, Exception? inner = null)
    : Exception(message, inner)
{
    public CheckpointProblem Problem { get; } = problem;
}
