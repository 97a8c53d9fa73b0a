using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Gan.Contracts;
using Orleans.Gan.Core.Training;
using Orleans.Gan.Core.Training.Sharding;
using Orleans.Gan.Grains.Exchange;
using Orleans.Gan.Grains.Hosting;
using Orleans.Gan.Grains.Placement;

namespace Orleans.Gan.Grains.Training;

/// <summary>
/// A run's part of the sharded master on one silo (<see cref="MasterShard"/>), and the silo's end of the exchange.
/// Each phase it gathers the new slices it does not hold, hands the whole networks by reference to the listed workers
/// of its silo (calls between grains of one silo pass immutable messages without copying), adds their answers up in
/// the order listed and offers the sum slice by slice. Then it fetches its own slices of every silo's sum, steps them
/// and offers their new values; from three silos on, the owner of each slice takes that slice's mean first and its
/// mirror fetches the mean instead of the slice of every sum. The sums are offered from buffers kept for the next
/// step, one per phase and list of workers. A silo that stops while it holds slices offers a snapshot of them under a fixed name until it is fetched,
/// so that the coordinator can still write the stop checkpoint when every silo stops at once.
/// </summary>
[SiloNamePlacement]
public sealed class SiloStageGrain(IGrainFactory grains, IBulkTransfer bulk, IOptions<TrainingHostOptions> options, ILogger<SiloStageGrain> logger)
    : Grain, ISiloStageGrain
{
    /// <summary>How long a stopping silo keeps its snapshot offered for the coordinator to fetch.</summary>
    private static readonly TimeSpan SnapshotWait = TimeSpan.FromSeconds(5);
    private readonly Dictionary<string, GradientSum> sums = [];
    private readonly GradientSum statistics = new(), sliceSum = new();
    // The mean of the owned slice, per network, offered to its mirror (ReduceSlices) until the network's next phase.
    private readonly Dictionary<MasterNetwork, GradientSum> ownedMeans = new() { [MasterNetwork.Generator] = new(), [MasterNetwork.Discriminator] = new() };
    private MasterShard? shard;
    private MasterLayout? layout;

    private string Run => GrainKeys.RunOf(this.GetPrimaryKeyString());

    private string Silo => GrainKeys.SiloOf(this.GetPrimaryKeyString())!;

    private string KeyPrefix => $"{this.GetPrimaryKeyString()}/";

    /// <summary>The key under which a stopping stage offers its snapshot: <see cref="OnDeactivateAsync"/>.</summary>
    public static string SnapshotKey(string run, string silo) => $"{GrainKeys.Stage(run, silo)}/snapshot";

    public async Task Seed(ShardSeed seed)
    {
        int holder = seed.Layout.HolderOf(Silo);
        if (holder < 0)
            throw new InvalidOperationException($"Silo {Silo} is not among the holders of layout {seed.Layout.Version} ({string.Join(", ", seed.Layout.Silos)}).");
        using var deadline = new CancellationTokenSource(options.Value.StepTimeout);
        using var state = await bulk.FetchAsync(seed.State, deadline.Token);
        var master = MasterState.FromBytes(state.Memory.Span);
        LetGo();
        shard = new MasterShard(master, seed.Layout.Silos.Length, holder, seed.Settings.ToTrainingConfig().Adam);
        layout = seed.Layout;
    }

    public async Task<StageSum> ComputeDiscriminatorGradients(StageDiscriminatorRequest request)
    {
        var current = Shard(request.LayoutVersion);
        using var deadline = new CancellationTokenSource(options.Value.StepTimeout);
        await GatherAsync(request.GeneratorSlices, current.WriteGeneratorSlice, deadline.Token);
        // Read only, so it overlaps the workers' pass.
        var captured = Task.Run(current.CaptureDiscriminator);
        var phase = new DiscriminatorPhaseRequest(request.Step, request.Epoch, request.BatchInEpoch, current.GeneratorSet, current.Discriminator);
        var answers = await Task.WhenAll(request.Workers.Select(i => Worker(i).ComputeDiscriminatorGradients(phase)));
        await captured;
        var (slices, precision) = Offer("D", request.Step, request.Workers, current.DiscriminatorElements,
            answers.Select(a => a.Gradients).ToList(), request.Precision.ToCore());
        return new StageSum(request.Step, request.Workers, slices, precision, [], [], [.. answers.Select(a => a.Timing)], Silo);
    }

    public async Task<StageSum> ComputeGeneratorGradients(StageGeneratorRequest request)
    {
        var current = Shard(request.LayoutVersion);
        using var deadline = new CancellationTokenSource(options.Value.StepTimeout);
        await GatherAsync(request.DiscriminatorSlices, current.WriteDiscriminatorSlice, deadline.Token);
        var captured = Task.Run(current.CaptureGenerator);
        var phase = new GeneratorPhaseRequest(request.Step, current.Discriminator);
        var answers = await Task.WhenAll(request.Workers.Select(i => Worker(i).ComputeGeneratorGradients(phase)));
        await captured;
        var (slices, precision) = Offer("G", request.Step, request.Workers, current.GeneratorElements,
            answers.Select(a => a.Gradients).ToList(), request.Precision.ToCore());
        var statisticsSum = statistics.SumOf([.. answers.Select(a => a.Statistics)], WirePrecision.Float32);
        return new StageSum(request.Step, request.Workers, slices, precision, statisticsSum.ToArray(),
            [.. answers.Select(a => a.Metrics)], [.. answers.Select(a => a.Timing)], Silo);
    }

    public async Task<SliceOffer[]> ReduceSlices(SliceStepRequest request)
    {
        var current = Shard(request.LayoutVersion);
        int slice = current.Holder;
        using var deadline = new CancellationTokenSource(options.Value.StepTimeout);
        var parts = await FetchSlicesAsync(request.Sums, slice, deadline.Token);
        try
        {
            // Summed even for one worker's buffer, which is let go here: the mean is kept for the slice's holders to fetch.
            var mean = MeanInto(ownedMeans[request.Network], request.Sums, [.. parts.Select(p => p.Memory)], SliceElements(current, request.Network, slice));
            return [new SliceOffer(slice, bulk.Offer($"{KeyPrefix}mean/{request.Network}/{slice}", request.Step, mean))];
        }
        finally
        {
            foreach (var part in parts)
                part.Dispose();
        }
    }

    public async Task<SliceOffer[]> StepSlices(SliceStepRequest request)
    {
        var current = Shard(request.LayoutVersion);
        bool generator = request.Network == MasterNetwork.Generator;
        using var deadline = new CancellationTokenSource(options.Value.StepTimeout);
        // Every held slice at once, of every sum or its owner's mean; then each slice's sums added in their order.
        var fetches = current.Held.ToDictionary(slice => slice, slice => request.Means.Length > 0
            ? Task.WhenAll(bulk.FetchAsync(request.Means.Single(m => m.Slice == slice).Values, deadline.Token).AsTask())
            : FetchSlicesAsync(request.Sums, slice, deadline.Token));
        try
        {
            await Task.WhenAll(fetches.Values);
            foreach (var (slice, parts) in fetches)
            {
                var mean = request.Means.Length > 0 ? parts.Result[0].Memory
                    : Mean(request.Sums, [.. parts.Result.Select(p => p.Memory)], SliceElements(current, request.Network, slice));
                if (generator)
                    current.StepGenerator(slice, request.Step, mean, request.AverageBeta);
                else
                    current.StepDiscriminator(slice, request.Step, mean);
            }
        }
        finally
        {
            foreach (var part in fetches.Values.Where(f => f.IsCompletedSuccessfully).SelectMany(f => f.Result))
                part.Dispose();
        }
        if (generator)
            current.FinishStep(request.Step, request.Statistics);
        // Only slices that some silo does not hold are gathered: none at one or two silos, where every silo holds all.
        return [.. current.Held.Where(slice => FlatSlices.HoldersOf(slice, current.Slices).Length < current.Slices)
            .Select(slice => new SliceOffer(slice, bulk.Offer($"{KeyPrefix}new/{request.Network}/{slice}", request.Step,
                generator ? current.GeneratorValues(slice) : current.DiscriminatorValues(slice))))];
    }

    /// <summary>Slice <paramref name="slice"/> of every sum, fetched at once, in the sums' order.</summary>
    private async Task<BulkData[]> FetchSlicesAsync(StageSum[] sums, int slice, CancellationToken cancellation)
    {
        var fetches = sums.Select(sum => bulk.FetchAsync(sum.Slices[slice], cancellation).AsTask()).ToList();
        try
        {
            return await Task.WhenAll(fetches);
        }
        catch
        {
            foreach (var fetch in fetches.Where(f => f.IsCompletedSuccessfully))
                fetch.Result.Dispose();
            throw;
        }
    }

    private static int SliceElements(MasterShard shard, MasterNetwork network, int slice)
    {
        var (elements, range) = network == MasterNetwork.Generator
            ? (shard.GeneratorElements, shard.GeneratorSlice(slice)) : (shard.DiscriminatorElements, shard.DiscriminatorSlice(slice));
        return range.GetOffsetAndLength(elements).Length;
    }

    /// <summary>
    /// The mean over every worker of one slice of the sums, added in their order; one worker's float32 gradients are
    /// their own mean, used as they are (GradientSum would give the same bits, after a copy).
    /// </summary>
    private ReadOnlyMemory<byte> Mean(IReadOnlyList<StageSum> sums, IReadOnlyList<ReadOnlyMemory<byte>> parts, int elements) =>
        sums is [{ Workers.Length: 1, Precision: GradientPrecision.Float32 }] ? parts[0] : MeanInto(sliceSum, sums, parts, elements);

    /// <summary>The mean of the parts in <paramref name="target"/>: added in the sums' order, divided once by their workers.</summary>
    private static ReadOnlyMemory<byte> MeanInto(GradientSum target, IReadOnlyList<StageSum> sums, IReadOnlyList<ReadOnlyMemory<byte>> parts, int elements)
    {
        target.Reset(elements);
        foreach (var (sum, part) in sums.Zip(parts))
            target.Add(part.Span, sum.Precision.ToCore(), sum.Workers.Length);
        return target.Mean();
    }

    public Task<BulkTicket> OfferSnapshot(long layoutVersion, long step)
    {
        var current = Shard(layoutVersion);
        current.Rollback(step);
        // Under the name a stopping stage uses too: a coordinator that looks for it by name finds this one.
        return Task.FromResult(bulk.Offer(SnapshotKey(Run, Silo), step, current.Snapshot()));
    }

    public Task<ShardDescription?> Describe() =>
        Task.FromResult(shard is null || layout is null ? null : new ShardDescription(layout, shard.Step));

    public Task Release()
    {
        LetGo();
        DeactivateOnIdle();
        return Task.CompletedTask;
    }

    /// <summary>
    /// A stage that goes away still holding slices (its silo stops, or the run's coordinator was lost) offers their
    /// snapshot, with any step in flight taken back, under <see cref="SnapshotKey"/> and waits a while for it to be
    /// fetched: the offer outlives this activation, on the silo's side path.
    /// </summary>
    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (shard is not null)
        {
            try
            {
                shard.Rollback(shard.Step);
                var key = SnapshotKey(Run, Silo);
                bulk.Offer(key, shard.Step, shard.Snapshot());
                logger.LogInformation("Run {Run}: stage on {Silo} goes away holding slices {Slices}; their snapshot after {Step} steps is offered as {Key}",
                    Run, Silo, string.Join(", ", shard.Held), shard.Step, key);
                await bulk.WhenFetchedAsync(key, shard.Step).WaitAsync(SnapshotWait, cancellationToken);
            }
            catch (Exception e) when (e is TimeoutException or OperationCanceledException or InvalidOperationException)
            {
                logger.LogInformation("Run {Run}: the snapshot of the stage on {Silo} was not fetched ({Reason})", Run, Silo, e.Message);
            }
        }
        LetGo();
    }

    /// <summary>Writes the new values of the slices offered that this stage does not hold (the step's traffic is reckoned by <see cref="SiloTraffic"/>).</summary>
    private async Task GatherAsync(SliceOffer[] offers, SliceWriter write, CancellationToken cancellation)
    {
        var wanted = offers.Where(o => !shard!.Held.Contains(o.Slice)).ToList();
        var fetched = await Task.WhenAll(wanted.Select(o => bulk.FetchAsync(o.Values, cancellation).AsTask()));
        foreach (var (offer, data) in wanted.Zip(fetched))
        {
            using (data)
                write(offer.Slice, data.Memory.Span);
        }
    }

    private delegate void SliceWriter(int slice, ReadOnlySpan<byte> values);

    private MasterShard Shard(long layoutVersion) =>
        shard is not null && layout?.Version == layoutVersion ? shard
            : throw new InvalidOperationException(
                $"The stage of run {Run} on {Silo} holds {(layout is null ? "no slices" : $"layout {layout.Version}")}, not layout {layoutVersion}; it must be seeded again.");

    private void LetGo()
    {
        bulk.Withdraw(KeyPrefix);
        sums.Clear();
        (shard, layout) = (null, null);
    }

    private IWorkerGrain Worker(int index) => grains.GetGrain<IWorkerGrain>(GrainKeys.Worker(Run, index, Silo));

    /// <summary>
    /// Offers the sum slice by slice: one worker's buffer as it is (still in the wire precision, and lent from the
    /// worker, which keeps it until it is asked for its next phase), or the float32 sum of several.
    /// </summary>
    private (BulkTicket[] Slices, GradientPrecision Precision) Offer(
        string phase, long step, int[] workers, int elements, IReadOnlyList<ReadOnlyMemory<byte>> buffers, WirePrecision precision)
    {
        string key = $"{KeyPrefix}{phase}/{string.Join(',', workers)}";
        ReadOnlyMemory<byte> sum;
        if (buffers.Count == 1)
        {
            sum = buffers[0];
        }
        else
        {
            if (!sums.TryGetValue(key, out var summed))
                sums[key] = summed = new GradientSum();
            (sum, precision) = (summed.SumOf(buffers, precision), WirePrecision.Float32);
        }
        int bytesPerElement = precision.BytesPerElement();
        var slices = Enumerable.Range(0, shard!.Slices).Select(slice =>
        {
            var (start, length) = FlatSlices.Of(elements, shard.Slices, slice).GetOffsetAndLength(elements);
            var part = sum.Slice(start * bytesPerElement, length * bytesPerElement);
            // With one silo the sum never leaves it, and is not checksummed.
            return shard.Slices == 1 ? bulk.OfferOnThisSilo($"{key}/{slice}", step, part) : bulk.Offer($"{key}/{slice}", step, part);
        }).ToArray();
        return (slices, precision.ToContract());
    }
}
