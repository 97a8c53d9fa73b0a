using Orleans.Gan.Contracts;

namespace Orleans.Gan.Grains.Training;

/// <summary>
/// Which slot each worker should run on, moving as few as possible: workers on slots that are gone go to the least
/// loaded slots, then workers leave the most loaded slots for the least loaded until no two slots differ by more than
/// one, and no CPU slot carries more workers than a GPU slot. Slots are taken in a fixed order, GPU slots first, then by silo name and slot number: so from nothing placed
/// the workers fill the GPUs, silo by silo, before any runs on a CPU, and only wrap round to share a slot when every
/// slot has one. With one CPU slot per silo that is round-robin over the silos in name order.
/// </summary>
public static class WorkerPlacement
{
    /// <param name="current">Each worker's slot, or null where it has none (yet, or any more).</param>
    /// <param name="slots">The slots of the silos that may host workers.</param>
    public static WorkerSlot[] Balance(IReadOnlyList<WorkerSlot?> current, IReadOnlyList<WorkerSlot> slots)
    {
        if (slots.Count == 0)
            throw new InvalidOperationException("No active silo to place workers on.");
        var order = slots.Distinct()
            .OrderBy(s => s.IsGpu ? 0 : 1)
            .ThenBy(s => s.Silo, StringComparer.Ordinal)
            .ThenBy(s => s.Index)
            .ToList();
        var placed = current.Select(s => s is not null && order.Contains(s) ? s : null).ToArray();
        var load = order.ToDictionary(s => s, s => placed.Count(p => p == s));

        WorkerSlot LeastLoaded() => order.MinBy(s => load[s])!;
        for (int i = 0; i < placed.Length; i++)
        {
            if (placed[i] is null)
                load[placed[i] = LeastLoaded()]++;
        }
        while (true)
        {
            // Of the most loaded, a CPU slot gives before a GPU: the worker moves to where it may run faster.
            int highest = load.Values.Max();
            var most = order.Where(s => load[s] == highest).MinBy(s => s.IsGpu ? 1 : 0)!;
            var least = LeastLoaded();
            // Even within one, except that no worker waits on a CPU while a GPU has fewer workers (a GPU that joined).
            bool toFasterSlot = !most.IsGpu && least.IsGpu && load[most] > load[least];
            if (load[most] - load[least] <= 1 && !toFasterSlot)
                break;
            // The highest-numbered worker moves, so that a rejoining silo gets back the tail of the list.
            int moving = Array.FindLastIndex(placed, s => s == most);
            placed[moving] = least;
            load[most]--;
            load[least]++;
        }
        return placed!;
    }
}
