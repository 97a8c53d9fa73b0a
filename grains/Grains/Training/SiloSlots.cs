using Orleans.Gan.Contracts;
using Orleans.Runtime.MembershipService.SiloMetadata;

namespace Orleans.Gan.Grains.Training;

/// <summary>
/// The worker slots a silo offers, published as Orleans silo metadata: every silo's coordinator reads every other's
/// from Orleans' own cache of it, with no call of ours, and the entry goes when membership drops the silo.
/// </summary>
public static class SiloSlots
{
    public const string MetadataKey = "orleans-gan.slots";

    /// <summary>The metadata that publishes <paramref name="devices"/>, one slot each, in order.</summary>
    public static Dictionary<string, string> Metadata(IReadOnlyList<string> devices) => new() { [MetadataKey] = string.Join(',', devices) };

    /// <summary>The slots <paramref name="silo"/> published; none where its metadata is not known (yet).</summary>
    public static IReadOnlyList<WorkerSlot> Of(string silo, SiloMetadata metadata) =>
        metadata.Metadata.TryGetValue(MetadataKey, out var devices) && devices.Length > 0
            ? devices.Split(',').Select((device, index) => new WorkerSlot(silo, index, device)).ToList()
            : [];
}
