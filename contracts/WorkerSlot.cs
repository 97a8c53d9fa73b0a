namespace Orleans.Gan.Contracts;

/// <summary>
/// Where a worker runs: a silo, one of its slots, and that slot's device (<c>cuda:i</c> for a silo's i-th GPU, <c>cpu</c>
/// for one of its <c>--cpu-slots</c>). Slots are numbered from 0 within their silo.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record WorkerSlot(
    [property: Id(0)] string Silo,
    [property: Id(1)] int Index,
    [property: Id(2)] string Device)
{
    public bool IsGpu => Device.StartsWith("cuda", StringComparison.Ordinal);

    public override string ToString() => $"{Silo}/{Device}" + (IsGpu ? "" : $"#{Index}");
}
