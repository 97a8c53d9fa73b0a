using Orleans.Gan.Core.Training;

namespace Orleans.Gan.Core.Checkpoints;

/// <summary>
/// The non-tensor part of a checkpoint. With the weights and Adam states it is all a run needs to continue exactly:
/// the data order is a function of (seed, epoch), and every random draw of step s a function of (seed, s, worker).
/// </summary>
/// <param name="Step">Steps completed.</param>
/// <param name="Epoch">The epoch the next step belongs to.</param>
/// <param name="BatchInEpoch">The position in that epoch's shuffled order: batches already consumed.</param>
/// <param name="Workers">How many workers shared each step; the global batch is Workers x BatchSize.</param>
/// <param name="Plan">The rest of the run's settings; null in checkpoints written before they were stored.</param>
/// <param name="ContentHash">The checksum of every other tensor in the file (<see cref="CheckpointFile"/>); null in
/// checkpoints written before it was stored, which are loaded unchecked.</param>
public sealed record CheckpointState(TrainingConfig Config, long Step, int Epoch, int BatchInEpoch, int Workers, RunPlan? Plan = null,
    string? ContentHash = null);
