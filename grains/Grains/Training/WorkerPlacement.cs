namespace Orleans.Gan.Grains.Training;

/// <summary>
/// Which silo each worker should live on, moving as few as possible: workers on silos that are gone go to the least
/// loaded silos, then workers leave the most loaded silos for the least loaded until no two silos differ by more
/// than one. From nothing placed, this deals the workers round-robin over the silos in name order.
/// </summary>
public static class WorkerPlacement
{
    /// <param name="current">Each worker's silo, or null where it has none (yet, or any more).</param>
    /// <param name="silos">The silos that may host workers.</param>
    public static string[] Balance(IReadOnlyList<string?> current, IReadOnlyList<string> silos)
    {
        if (silos.Count == 0)
            throw new InvalidOperationException("No active silo to place workers on.");
        var order = silos.Order(StringComparer.Ordinal).ToList();
        var placed = current.Select(s => s is not null && order.Contains(s) ? s : null).ToArray();
        var load = order.ToDictionary(s => s, s => placed.Count(p => p == s));

        string LeastLoaded() => order.MinBy(s => load[s])!;
        for (int i = 0; i < placed.Length; i++)
        {
            if (placed[i] is null)
                load[placed[i] = LeastLoaded()]++;
        }
        while (true)
        {
            var most = order.MaxBy(s => load[s])!;
            var least = LeastLoaded();
            if (load[most] - load[least] <= 1)
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
