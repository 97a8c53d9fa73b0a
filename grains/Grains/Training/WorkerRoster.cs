using System.Runtime.ExceptionServices;
using Microsoft.Extensions.Logging;
using Orleans.Gan.Contracts;
using Orleans.Runtime.MembershipService.SiloMetadata;

namespace Orleans.Gan.Grains.Training;

/// <summary>
/// A run's workers: which silo and slot (device) each lives on, and calling all of them for one phase of a step through
/// the stage of each silo that hosts some. Worker i always trains on data shard i with the random streams of index i;
/// only its slot changes. So when a silo is lost, its workers (and their shards) move to the surviving silos and the
/// step is taken again, and its result is the one the full cluster would have computed: nothing is lost or counted
/// twice (added in another order, it may differ in the last bits). When silos join, workers move back at the next step
/// boundary so that they are spread over the slots again (see <see cref="WorkerPlacement"/>). Each silo publishes its
/// slots in its Orleans silo metadata (<see cref="SiloSlots"/>).
/// </summary>
public sealed class WorkerRoster(
    IGrainFactory grains,
    IClusterMembershipService membership,
    ISiloMetadataCache siloMetadata,
    RunSettings settings,
    ShardAssignment shardTemplate,
    TimeSpan deadline,
    ILogger logger)
{
    // How often a waiting phase looks at membership, to give up on a worker whose silo was declared dead before
    // the deadline comes.
    private static readonly TimeSpan MembershipPoll = TimeSpan.FromMilliseconds(500);
    private const int Attempts = 3;

    // A silo that failed a call is not given workers again until membership has had time to declare it dead; one
    // that was only slow comes back into the rotation after this.
    private static readonly TimeSpan Quarantine = TimeSpan.FromSeconds(30);

    // How long a new silo may take to publish its slots before workers are placed without it.
    private static readonly TimeSpan SlotsWait = TimeSpan.FromSeconds(5);

    private readonly WorkerSlot?[] slots = new WorkerSlot?[settings.Workers];
    private readonly Dictionary<SiloAddress, DateTime> lost = [];
    private readonly HashSet<string> stageSilos = [];
    // Silos waited for once without their slots appearing: not waited for again at every step.
    private readonly HashSet<SiloAddress> unpublished = [];

    public int Count => slots.Length;

    public IWorkerGrain this[int index] => grains.GetGrain<IWorkerGrain>(GrainKeys.Worker(settings.Run, index, SiloOf(index)));

    public string SiloOf(int index) => SlotOf(index).Silo;

    public WorkerSlot SlotOf(int index) => slots[index] ?? throw new InvalidOperationException($"Worker {index} of run '{settings.Run}' is not placed.");

    /// <summary>Each worker's slot, by index; null where it is not placed.</summary>
    public IReadOnlyList<WorkerSlot?> Placement => slots;

    /// <summary>The silos that are up and have not failed a call lately, by name.</summary>
    public IReadOnlyList<string> ActiveSilos() => ActiveMembers().Select(m => m.Name).ToList();

    /// <summary>
    /// The slots of the active silos, as each published them; a silo that joined moments ago may not have yet, and is
    /// waited for a few seconds before the workers are placed without it.
    /// </summary>
    public async Task<IReadOnlyList<WorkerSlot>> ActiveSlotsAsync()
    {
        var giveUp = DateTime.UtcNow + SlotsWait;
        while (true)
        {
            var members = ActiveMembers().ToList();
            var offers = members.Select(m => SiloSlots.Of(m.Name, siloMetadata.GetSiloMetadata(m.SiloAddress))).ToList();
            var waiting = members.Where((m, i) => offers[i].Count == 0 && !unpublished.Contains(m.SiloAddress)).ToList();
            if (waiting.Count == 0 || DateTime.UtcNow > giveUp)
            {
                foreach (var member in waiting)
                {
                    unpublished.Add(member.SiloAddress);
                    logger.LogWarning("Run {Run}: silo {Silo} has published no worker slots; no worker is placed on it", settings.Run, member.Name);
                }
                return offers.SelectMany(o => o).ToList();
            }
            await Task.Delay(MembershipPoll / 5);
        }
    }

    /// <summary>
    /// Moves and prepares the workers that <see cref="WorkerPlacement.Balance"/> says should run on another slot (all
    /// of them the first time); returns the shards of the workers it placed.
    /// </summary>
    public async Task<IReadOnlyList<ShardInfo>> RebalanceAsync()
    {
        var prepared = new List<ShardInfo>();
        for (int attempt = 1; ; attempt++)
        {
            var target = WorkerPlacement.Balance(slots, await ActiveSlotsAsync());
            var moves = Enumerable.Range(0, Count).Where(i => slots[i] != target[i]).ToList();
            var placing = moves.ToDictionary(i => i, i => PlaceAsync(i, target[i]));
            try
            {
                await Task.WhenAll(placing.Values);
            }
            catch (Exception) when (attempt < Attempts)
            {
                // The silos that could not take their workers are set aside, and those workers dealt again.
            }
            // A failure of the work itself, a data set that does not exist say, would follow the workers to every
            // silo and end as "no active silo"; the user must see it as it is.
            if (placing.Values.Select(t => t.Exception?.InnerException).FirstOrDefault(e => e is not null && !IsSiloFailure(e)) is { } workFailure)
                ExceptionDispatchInfo.Capture(workFailure).Throw();
            prepared.AddRange(placing.Values.Where(t => t.IsCompletedSuccessfully).Select(t => t.Result));
            var failed = placing.Where(p => !p.Value.IsCompletedSuccessfully).Select(p => p.Key).ToList();
            if (failed.Count == 0)
                return prepared;
            logger.LogWarning("Run {Run}: workers {Workers} could not be prepared on {Silos}; placing them elsewhere",
                settings.Run, string.Join(", ", failed), string.Join(", ", failed.Select(i => target[i].Silo).Distinct()));
            foreach (var index in failed)
                SetAside(target[index].Silo);
        }
    }

    /// <summary>
    /// Calls <paramref name="phase"/> on the stage of every silo that hosts workers, for that silo's workers, all at
    /// once; returns the answers with the silos in name order, so that a fixed placement always gives the same order.
    /// A call that throws, misses the deadline or whose silo leaves the cluster fails the phase
    /// (<see cref="StageCallException"/>), and its silo is set aside, so that its workers are placed elsewhere when
    /// the step is taken again.
    /// </summary>
    public Task<List<T>> CallStagesAsync<T>(string name, Func<ISiloStageGrain, int[], Task<T>> phase) =>
        CallEachAsync(name, BySilo(Enumerable.Range(0, Count)).ToList(), phase);

    /// <summary>Calls <paramref name="call"/> on the stage of each of <paramref name="silos"/>, as <see cref="CallStagesAsync"/> does; answers in their order.</summary>
    public Task<List<T>> CallSilosAsync<T>(string name, IEnumerable<string> silos, Func<ISiloStageGrain, Task<T>> call) =>
        CallEachAsync(name, silos.Select(silo => (silo, Array.Empty<int>())).ToList(), (stage, _) => call(stage));

    /// <summary>The silos that host workers now, in name order.</summary>
    public IReadOnlyList<string> WorkerSilos() => BySilo(Enumerable.Range(0, Count)).Select(g => g.Silo).ToList();

    /// <summary>Releases every worker that can still be reached; the ones on lost silos went with them.</summary>
    public async Task ReleaseAsync()
    {
        var placed = Enumerable.Range(0, Count).Where(i => slots[i] is not null).ToList();
        try
        {
            await Task.WhenAll(placed.Select(i => this[i].Release()).Concat(stageSilos.Intersect(ActiveSilos()).Select(silo => StageOf(silo).Release()))).WaitAsync(deadline);
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Run {Run}: not every worker could be released", settings.Run);
        }
    }

    /// <summary>The active members not set aside lately, the newest incarnation of each name, by name.</summary>
    private IEnumerable<ClusterMember> ActiveMembers()
    {
        var now = DateTime.UtcNow;
        return membership.CurrentSnapshot.Members.Values
            .Where(m => m.Status == SiloStatus.Active && !(lost.TryGetValue(m.SiloAddress, out var until) && until > now))
            .GroupBy(m => m.Name)
            .Select(g => g.MaxBy(m => m.SiloAddress.Generation)!)
            .OrderBy(m => m.Name, StringComparer.Ordinal);
    }

    private void SetAside(string silo)
    {
        foreach (var member in membership.CurrentSnapshot.Members.Values.Where(m => m.Name == silo && m.Status == SiloStatus.Active))
            lost[member.SiloAddress] = DateTime.UtcNow + Quarantine;
    }

    /// <summary>Prepares worker <paramref name="index"/> on <paramref name="slot"/>; a worker that only changes slot on its silo is the same grain, prepared again.</summary>
    private async Task<ShardInfo> PlaceAsync(int index, WorkerSlot slot)
    {
        var previous = slots[index];
        var shard = shardTemplate with { ShardIndex = index };
        var worker = grains.GetGrain<IWorkerGrain>(GrainKeys.Worker(settings.Run, index, slot.Silo));
        var assignment = new WorkerAssignment(settings, index, GrainKeys.Shard(settings.Run, index, Count, slot.Silo), shard, slot.Device);
        var ready = await worker.Prepare(assignment).WaitAsync(deadline);
        if (ready.Device != slot.Device)
            throw new InvalidOperationException($"Worker {index} was dealt {slot} but its replica is on {ready.Device}.");
        slots[index] = slot;
        if (previous is not null)
        {
            logger.LogInformation("Run {Run}: worker {Index} moved from {From} to {To}", settings.Run, index, previous, slot);
            if (previous.Silo != slot.Silo)
                Abandon(grains.GetGrain<IWorkerGrain>(GrainKeys.Worker(settings.Run, index, previous.Silo)).Release());
        }
        return ready.Shard;
    }

    /// <summary>One call per group, all at once; the answers in the groups' order, or the failures named in a <see cref="StageCallException"/>.</summary>
    private async Task<List<T>> CallEachAsync<T>(string name, IReadOnlyList<(string Silo, int[] Workers)> groups, Func<ISiloStageGrain, int[], Task<T>> call)
    {
        var calls = groups.Select(group => (group.Silo, group.Workers, Answer: call(StageOf(group.Silo), group.Workers))).ToList();
        var all = Task.WhenAll(calls.Select(c => c.Answer));
        var giveUp = DateTime.UtcNow + deadline;
        while (!all.IsCompleted && DateTime.UtcNow < giveUp)
        {
            await Task.WhenAny(all, Task.Delay(MembershipPoll));
            var active = ActiveSilos();
            if (calls.Any(c => !c.Answer.IsCompleted && !active.Contains(c.Silo)))
                break;
        }
        var failed = calls.Where(c => !c.Answer.IsCompletedSuccessfully).ToList();
        if (failed.Count == 0)
            return [.. calls.Select(c => c.Answer.Result)];
        var errors = failed.Select(c => c.Answer.IsFaulted
            ? $"{Who(c.Silo, c.Workers)}: {c.Answer.Exception!.InnerException!.GetType().Name}: {c.Answer.Exception.InnerException.Message}"
            : $"{Who(c.Silo, c.Workers)}: no answer within {deadline.TotalSeconds:0} s or the silo left the cluster").ToList();
        foreach (var (silo, _, answer) in failed)
        {
            SetAside(silo);
            Abandon(answer);
        }
        throw new StageCallException($"{name}: {string.Join(" | ", errors)}", [.. failed.Select(c => c.Silo)]);
    }

    private static string Who(string silo, int[] workers) => workers.Length == 0 ? silo : $"workers {string.Join(", ", workers)} on {silo}";

    /// <summary>The given workers grouped by the silo they live on, silos in name order and workers in index order.</summary>
    private IEnumerable<(string Silo, int[] Workers)> BySilo(IEnumerable<int> workers) =>
        workers.GroupBy(SiloOf).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => (g.Key, g.Order().ToArray()));

    /// <summary>The run's stage on <paramref name="silo"/>, remembered so that it is released with the workers.</summary>
    public ISiloStageGrain StageOf(string silo)
    {
        stageSilos.Add(silo);
        return grains.GetGrain<ISiloStageGrain>(GrainKeys.Stage(settings.Run, silo));
    }

    /// <summary>Whether a failed call says something about the silo it went to (gone, unreachable, too slow).</summary>
    private static bool IsSiloFailure(Exception e) => e is OrleansException or TimeoutException;

    /// <summary>A call whose outcome no longer matters, e.g. to a lost silo; its fault is observed so it is not reported.</summary>
    private static void Abandon(Task call) => call.ContinueWith(t => t.Exception, TaskContinuationOptions.OnlyOnFaulted);
}
