namespace Orleans.Gan.Grains.Placement;

/// <summary>
/// Places a grain on the silo whose name ends its key (<c>…@silo-name</c>). SiloRoleBasedPlacement cannot tell apart
/// two silos that run the same binary, and a worker must sit on a chosen silo beside its data shard.
/// </summary>
[Serializable]
public sealed class SiloNamePlacement : PlacementStrategy
{
    public static SiloNamePlacement Instance { get; } = new();
}
