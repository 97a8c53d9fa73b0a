using Microsoft.Extensions.Options;
using Orleans.Gan.Contracts;
using Orleans.Gan.Core.Training;
using Orleans.Gan.Grains.Exchange;
using Orleans.Gan.Grains.Hosting;
using Orleans.Gan.Grains.Placement;

namespace Orleans.Gan.Grains.Training;

/// <summary>
/// A run's end of the exchange on one silo. It fetches each phase's buffers once, hands them by reference to the listed
/// workers of its silo (calls between grains of one silo pass immutable messages without copying), and adds their
/// answers up in the order listed. D's parameters are kept from phase 2 to the next step's phase 1, where they are
/// the same, so they cross between silos once a step. The sums are offered from buffers kept for the next step, one
/// per phase and list of workers, so that a redone part of a phase never overwrites a sum the coordinator has not
/// fetched yet.
/// </summary>
[SiloNamePlacement]
public sealed class SiloStageGrain(IGrainFactory grains, IBulkTransfer bulk, IOptions<TrainingHostOptions> options) : Grain, ISiloStageGrain
{
    private readonly Dictionary<string, GradientSum> sums = [];
    private readonly GradientSum statistics = new();
    private BulkTicket? heldTicket;
    private BulkData? held;

    private string Run => GrainKeys.RunOf(this.GetPrimaryKeyString());

    private string Silo => GrainKeys.SiloOf(this.GetPrimaryKeyString())!;

    private string KeyPrefix => $"{this.GetPrimaryKeyString()}/";

    public async Task<StageSum> ComputeDiscriminatorGradients(StageDiscriminatorRequest request)
    {
        using var deadline = new CancellationTokenSource(options.Value.StepTimeout);
        using var generatorSet = await bulk.FetchAsync(request.GeneratorSet, deadline.Token);
        var (discriminator, fetched) = await DiscriminatorAsync(request.DiscriminatorParameters, deadline.Token);
        var phase = new DiscriminatorPhaseRequest(request.Step, request.Epoch, request.BatchInEpoch, generatorSet.Memory, discriminator);
        var answers = await Task.WhenAll(request.Workers.Select(i => Worker(i).ComputeDiscriminatorGradients(phase)));
        var (gradients, precision) = Offer("D", request.Step, request.Workers, answers.Select(a => a.Gradients).ToList(), request.Precision.ToCore());
        return new StageSum(request.Step, request.Workers, gradients, precision, [], [], [.. answers.Select(a => a.Timing)], Silo,
            fetched + (generatorSet.CrossedSilos ? generatorSet.Memory.Length : 0));
    }

    public async Task<StageSum> ComputeGeneratorGradients(StageGeneratorRequest request)
    {
        using var deadline = new CancellationTokenSource(options.Value.StepTimeout);
        var (discriminator, fetched) = await DiscriminatorAsync(request.DiscriminatorParameters, deadline.Token);
        var phase = new GeneratorPhaseRequest(request.Step, discriminator);
        var answers = await Task.WhenAll(request.Workers.Select(i => Worker(i).ComputeGeneratorGradients(phase)));
        var (gradients, precision) = Offer("G", request.Step, request.Workers, answers.Select(a => a.Gradients).ToList(), request.Precision.ToCore());
        var statisticsSum = statistics.SumOf([.. answers.Select(a => a.Statistics)], WirePrecision.Float32);
        return new StageSum(request.Step, request.Workers, gradients, precision, statisticsSum.ToArray(),
            [.. answers.Select(a => a.Metrics)], [.. answers.Select(a => a.Timing)], Silo, fetched);
    }

    public Task Release()
    {
        LetGo();
        DeactivateOnIdle();
        return Task.CompletedTask;
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        LetGo();
        return Task.CompletedTask;
    }

    /// <summary>D's parameters as the ticket names them: the copy held since they were last fetched, or a new fetch.</summary>
    /// <returns>The parameters, and the bytes fetched from another silo for them.</returns>
    private async Task<(ReadOnlyMemory<byte> Parameters, long Fetched)> DiscriminatorAsync(BulkTicket ticket, CancellationToken cancellation)
    {
        if (held is not null && heldTicket is { } known && (known.Owner, known.Key, known.Version) == (ticket.Owner, ticket.Key, ticket.Version))
            return (held.Memory, bulk.BytesCarriedIn(ticket));
        var fetched = await bulk.FetchAsync(ticket, cancellation);
        held?.Dispose();
        (held, heldTicket) = (fetched, ticket);
        return (fetched.Memory, fetched.CrossedSilos ? fetched.Memory.Length : 0);
    }

    private void LetGo()
    {
        bulk.Withdraw(KeyPrefix);
        sums.Clear();
        held?.Dispose();
        (held, heldTicket) = (null, null);
    }

    private IWorkerGrain Worker(int index) => grains.GetGrain<IWorkerGrain>(GrainKeys.Worker(Run, index, Silo));

    /// <summary>
    /// Offers one worker's buffer as it is (still in the wire precision, and lent from the worker, which keeps it until
    /// it is asked for its next phase), or the float32 sum of several.
    /// </summary>
    private (BulkTicket Ticket, GradientPrecision Precision) Offer(
        string phase, long step, int[] workers, IReadOnlyList<ReadOnlyMemory<byte>> buffers, WirePrecision precision)
    {
        string key = $"{KeyPrefix}{phase}/{string.Join(',', workers)}";
        if (buffers.Count == 1)
            return (bulk.Offer(key, step, buffers[0]), precision.ToContract());
        if (!sums.TryGetValue(key, out var sum))
            sums[key] = sum = new GradientSum();
        return (bulk.Offer(key, step, sum.SumOf(buffers, precision)), GradientPrecision.Float32);
    }
}
