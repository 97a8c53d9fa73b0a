using Orleans.Gan.Contracts;
using Orleans.Runtime.Placement;

namespace Orleans.Gan.Grains.Placement;

/// <summary>
/// Activates a worker or shard on the silo its key names. A key naming a silo that is not up is an error, not a silent
/// move elsewhere: the coordinator chose the silo from the membership it saw, and must hear that it is gone.
/// </summary>
public sealed class SiloNamePlacementDirector(IClusterMembershipService membership) : IPlacementDirector
{
    public Task<SiloAddress> OnAddActivation(PlacementStrategy strategy, PlacementTarget target, IPlacementContext context)
    {
        var key = target.GrainIdentity.Key.ToString() ?? "";
        var silo = GrainKeys.SiloOf(key)
            ?? throw new ArgumentException($"Grain key '{key}' does not name a silo (…@silo-name).");
        var compatible = context.GetCompatibleSilos(target);
        var members = membership.CurrentSnapshot.Members;
        foreach (var address in compatible)
        {
            if (members.TryGetValue(address, out var member) && member.Name == silo)
                return Task.FromResult(address);
        }
        throw new SiloUnavailableException($"Silo '{silo}' named by grain key '{key}' is not an active member of the cluster.");
    }
}
