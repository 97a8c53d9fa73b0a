using Microsoft.Extensions.Logging;
using Orleans.Gan.Contracts;
using Orleans.Gan.Core.Training.Sharding;
using Orleans.Gan.Grains.Exchange;

namespace Orleans.Gan.Grains.Training;

/// <summary>
/// The coordinator's side of the sharded master: seeds the stages of the silos with workers with their slices
/// (<see cref="SeedAsync"/>), runs each step's <see cref="IReduceScatterAllGather"/>, and assembles the whole master
/// from the slices' holders (<see cref="GatherAsync"/>) for checkpoints, grids and scores, after a lost silo, and for a
/// coordinator that takes over from a lost one (<see cref="FindAsync"/>). It holds no tensor between those.
/// </summary>
public sealed class ShardedMaster(string run, RunSettings settings, WorkerRoster workers, IBulkTransfer bulk, TimeSpan deadline, ILogger logger)
    : IReduceScatterAllGather
{
    // How long a stage's snapshot is only asked for before it is also looked for by name.
    private static readonly TimeSpan CallFirst = TimeSpan.FromSeconds(2);
    // A ticket from each silo's transfer, to fetch what a stopping stage offers by name.
    private readonly Dictionary<string, BulkTicket> ticketsBySilo = [];
    private MasterLayout? layout;

    public MasterLayout Layout => layout ?? throw new InvalidOperationException($"The master of run {run} is not seeded.");

    /// <summary>Whether the master is seeded on exactly <paramref name="silos"/>.</summary>
    public bool IsSeededOn(IReadOnlyList<string> silos) => layout is not null && layout.Silos.SequenceEqual(silos);

    /// <summary>Makes the stages of <paramref name="silos"/> (in name order) the holders of <paramref name="state"/>, under a new layout.</summary>
    public async Task SeedAsync(MasterState state, IReadOnlyList<string> silos)
    {
        var seeded = new MasterLayout((layout?.Version ?? 0) + 1, [.. silos]);
        var ticket = bulk.Offer($"{run}/coordinator/seed", seeded.Version, state.ToBytes());
        try
        {
            await workers.CallSilosAsync($"seeding the master on {string.Join(", ", silos)}", silos, async stage =>
            {
                await stage.Seed(new ShardSeed(seeded, ticket, settings));
                return stage;
            });
        }
        finally
        {
            bulk.Withdraw($"{run}/coordinator/seed");
        }
        layout = seeded;
        logger.LogInformation("Run {Run}: master after {Step} steps seeded in {Slices} slices on {Silos} (layout {Version})",
            run, state.Step, silos.Count, string.Join(", ", silos), seeded.Version);
    }

    public async Task<SliceOffer[]> ReduceScatterAsync(MasterNetwork network, long step, IReadOnlyList<StageSum> sums, byte[] statistics, float? averageBeta)
    {
        var current = Layout;
        var request = new SliceStepRequest(network, step, current.Version, [.. sums], statistics, averageBeta, []);
        if (FlatSlices.MirrorsFetchTheOwnersMean(current.Silos.Length))
        {
            var means = await workers.CallSilosAsync($"step {step}, {network}'s slices' means", current.Silos, stage => stage.ReduceSlices(request));
            request = request with { Means = [.. means.SelectMany(m => m)] };
        }
        var answers = await workers.CallSilosAsync($"step {step}, {network}'s slices", current.Silos, stage => stage.StepSlices(request));
        foreach (var sum in sums)
            ticketsBySilo[sum.Silo] = sum.Slices[0];
        // Owner and mirror offer the same bits; the owner's is taken. A slice every silo holds is not offered.
        return [.. Enumerable.Range(0, current.Silos.Length).SelectMany(slice => answers[slice].Where(o => o.Slice == slice))];
    }

    /// <summary>
    /// The whole master after <paramref name="step"/> steps, from a holder of every slice: the owner where it answers,
    /// else the mirror, each taking back whatever it did of step <paramref name="step"/>. A stage that cannot be called
    /// (its silo stopping) is fetched from by name, where it offered its snapshot on the way out.
    /// </summary>
    /// <param name="sizes">The run model's buffers.</param>
    public async Task<MasterState> GatherAsync(MasterSizes sizes, long step)
    {
        var current = Layout;
        var snapshots = new List<byte[]>();
        var covered = new HashSet<int>();
        var failures = new List<string>();
        // Each silo owns the slice of its own number: taken in that order, every slice comes from its owner where it
        // answers. Silos that failed a call lately come last, so that a dead one, which may not fail fast, is asked
        // only for a slice no survivor holds.
        var active = workers.ActiveSilos();
        foreach (var silo in current.Silos.OrderBy(s => !active.Contains(s)))
        {
            int holder = current.HolderOf(silo);
            var held = FlatSlices.HeldBy(holder, current.Silos.Length);
            if (held.All(covered.Contains))
                continue;
            if (await SnapshotAsync(silo, current, step) is { } snapshot)
            {
                snapshots.Add(snapshot);
                covered.UnionWith(held);
            }
            else
            {
                failures.Add(silo);
            }
        }
        if (covered.Count < current.Silos.Length)
            throw new InvalidOperationException(
                $"The master of run {run} cannot be assembled: slices {string.Join(", ", Enumerable.Range(0, current.Silos.Length).Where(s => !covered.Contains(s)))} "
                + $"were held only by {string.Join(" and ", failures)}, which did not answer.");
        return MasterShard.Assemble(sizes, snapshots);
    }

    /// <summary>
    /// For a coordinator that takes over a run: the master the stages on <paramref name="silos"/> still hold, after
    /// the fewest steps any of them finished, if the newest layout among them has a holder for every slice; else null.
    /// </summary>
    public async Task<MasterState?> FindAsync(MasterSizes sizes, IReadOnlyList<string> silos)
    {
        var found = new List<(string Silo, ShardDescription Shard)>();
        foreach (var silo in silos)
        {
            try
            {
                if (await Stage(silo).Describe().WaitAsync(deadline) is { } description)
                    found.Add((silo, description));
            }
            catch (Exception e)
            {
                logger.LogInformation("Run {Run}: the stage on {Silo} could not say what it holds ({Reason})", run, silo, e.Message);
            }
        }
        if (found.Count == 0)
            return null;
        var newest = found.MaxBy(f => f.Shard.Layout.Version).Shard.Layout;
        var holders = found.Where(f => f.Shard.Layout.Version == newest.Version).ToList();
        var covered = holders.SelectMany(h => FlatSlices.HeldBy(newest.HolderOf(h.Silo), newest.Silos.Length)).ToHashSet();
        if (covered.Count < newest.Silos.Length)
        {
            logger.LogWarning("Run {Run}: the surviving stages hold slices {Slices} of the {Count} of layout {Version}; the run goes on from its checkpoint",
                run, string.Join(", ", covered.Order()), newest.Silos.Length, newest.Version);
            return null;
        }
        layout = newest;
        long step = holders.Min(h => h.Shard.Step);
        return await GatherAsync(sizes, step);
    }

    /// <summary>
    /// A stage's snapshot after <paramref name="step"/> steps: asked for with a call, and, where that has not answered
    /// within a moment, looked for by name, where a stage that goes away because its silo stops offers it (a stopping
    /// stage takes no more calls: the call waits behind the step that was in flight, then fails). Both name the same
    /// offer. Null when neither comes by the deadline.
    /// </summary>
    private async Task<byte[]?> SnapshotAsync(string silo, MasterLayout current, long step)
    {
        using var cancel = new CancellationTokenSource(deadline);
        var called = CallForSnapshotAsync(silo, current, step, cancel.Token);
        if (await Task.WhenAny(called, Task.Delay(CallFirst)) == called && await called is { } answered)
            return answered;
        var named = ticketsBySilo.TryGetValue(silo, out var known) ? FetchByNameAsync(silo, known, step, cancel.Token) : Task.FromResult<byte[]?>(null);
        var first = await Task.WhenAny(called, named);
        var snapshot = await first ?? await (first == called ? named : called);
        cancel.Cancel();
        return snapshot;
    }

    private async Task<byte[]?> CallForSnapshotAsync(string silo, MasterLayout current, long step, CancellationToken cancellation)
    {
        try
        {
            var ticket = await Stage(silo).OfferSnapshot(current.Version, step).WaitAsync(cancellation);
            ticketsBySilo[silo] = ticket;
            using var data = await bulk.FetchAsync(ticket, cancellation);
            return data.Memory.ToArray();
        }
        catch (Exception e) when (e is OrleansException or TimeoutException or OperationCanceledException or BulkTransferException or InvalidOperationException)
        {
            if (!cancellation.IsCancellationRequested)
                logger.LogInformation("Run {Run}: the stage on {Silo} gave no snapshot when asked ({Reason})", run, silo, e.Message);
            return null;
        }
    }

    /// <summary>
    /// What a stopping stage offers by name: after the steps it finished, which may include the step in flight's. A
    /// silo whose side path answers is asked again until the deadline; one that does not is dead, and given up.
    /// </summary>
    private async Task<byte[]?> FetchByNameAsync(string silo, BulkTicket known, long step, CancellationToken cancellation)
    {
        try
        {
            while (true)
            {
                foreach (long version in new[] { step, step + 1 })
                {
                    try
                    {
                        using var data = await bulk.FetchAsync(IBulkTransfer.ByName(known, SiloStageGrain.SnapshotKey(run, silo), version), cancellation);
                        logger.LogInformation("Run {Run}: fetched by name the snapshot the stage on {Silo} offered, after {Steps} steps", run, silo, version);
                        return data.Memory.ToArray();
                    }
                    catch (BulkTransferException e) when (e.IsNotOffered)
                    {
                    }
                }
                await Task.Delay(TimeSpan.FromMilliseconds(200), cancellation);
            }
        }
        catch (Exception)
        {
            // Its side path unreachable (the silo is dead), the bytes damaged, or the deadline passed.
            return null;
        }
    }

    private ISiloStageGrain Stage(string silo) => workers.StageOf(silo);
}
