using Orleans.Gan.Contracts;

namespace Orleans.Gan.Grains.Training;

/// <summary>
/// A run's loss curves with bounded memory: when full, every other point is dropped and only every second step is
/// kept from then on, so a curve of a million steps still has the shape of the whole run.
/// </summary>
public sealed class LossHistory(int capacity = 2048)
{
    private readonly List<LossPoint> points = [];
    private long stride = 1, seen;

    public void Add(LossPoint point)
    {
        if (seen++ % stride != 0)
            return;
        points.Add(point);
        if (points.Count < capacity)
            return;
        for (int i = 0; i < points.Count / 2; i++)
            points[i] = points[2 * i];
        points.RemoveRange(points.Count / 2, points.Count - points.Count / 2);
        stride *= 2;
    }

    public IReadOnlyList<LossPoint> Points => [.. points];
}
