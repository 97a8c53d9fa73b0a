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
        var members = membership.CurrentSnapshot.Members;
        // A silo restarted under the same name is a new incarnation; until the old one is declared dead both are
        // listed, and only the newest can answer.
        var newest = context.GetCompatibleSilos(target)
            .Where(address => members.TryGetValue(address, out var member) && member.Name == silo)
            .MaxBy(address => address.Generation);
        return newest is not null
            ? Task.FromResult(newest)
            : throw new SiloUnavailableException($"Silo '{silo}' named by grain key '{key}' is not an active member of the cluster.");
    }
}
