using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Gan.Contracts;
using Orleans.Gan.Core.Checkpoints;
using Orleans.Gan.Core.Imaging;
using Orleans.Gan.Core.Models;
using Orleans.Gan.Core.Training;
using Orleans.Gan.Grains.Hosting;
using Orleans.Gan.Grains.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Orleans.Gan.Grains.Sampling;

/// <summary>
/// Faces on request from a run's newest G_ema (the default) or G: pulled from the run's coordinator while it is in
/// memory, else loaded from the run's newest checkpoint that can be read (G_ema where it has one). Each generator is
/// rebuilt only when a newer step is available. The sampler only reads the run's folder: setting damaged checkpoints
/// aside is left to the coordinator, which owns it. G runs on the device of the silo's first slot, a GPU where the
/// silo has one.
/// </summary>
public sealed class SamplerGrain(IGrainFactory grains, IOptions<TrainingHostOptions> options, ILogger<SamplerGrain> logger)
    : Grain, ISamplerGrain
{
    private readonly Dictionary<GeneratorChoice, (GanNetworks Networks, long Step)> generators = [];

    private string Run => this.GetPrimaryKeyString();

    private Device Device => device(options.Value.SlotDevices[0]);

    public async Task<byte[]> SampleGrid(int count, long seed, GeneratorChoice generator)
    {
        CheckCount(count);
        return FaceSamples.Grid(await NewestGenerator(generator), count, seed);
    }

    public async Task<IReadOnlyList<byte[]>> SampleFaces(int count, long seed, GeneratorChoice generator)
    {
        CheckCount(count);
        return FaceSamples.Separate(await NewestGenerator(generator), count, seed);
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        foreach (var (networks, _) in generators.Values)
            networks.Dispose();
        generators.Clear();
        return Task.CompletedTask;
    }

    private static void CheckCount(int count)
    {
        if (count is < 1 or > ISamplerGrain.MaxFaces)
            throw new ArgumentOutOfRangeException(nameof(count), count, $"Ask for 1 to {ISamplerGrain.MaxFaces} faces, not {count}.");
    }

    private async Task<GanNetworks> NewestGenerator(GeneratorChoice choice)
    {
        var snapshot = await grains.GetGrain<ICoordinatorGrain>(Run).GetGenerator(choice);
        if (snapshot is not null)
        {
            if (Cached(choice, snapshot.Step) is { } current)
                return current;
            var config = snapshot.Settings.ToTrainingConfig();
            var networks = Replace(choice, GanNetworks.Create(config.Model, config.Seed, Device), snapshot.Step);
            var blocks = new NetworkBlocks(networks);
            blocks.GeneratorParameters.WriteValues(snapshot.Parameters);
            blocks.GeneratorStatistics.WriteValues(snapshot.Statistics);
            return networks;
        }

        var folder = new RunFolder(options.Value.RunsDirectory, Run);
        var noGenerator = new InvalidOperationException(
            $"Run '{Run}' has no generator yet: its coordinator is not running and {folder.CheckpointsPath} holds no checkpoint.");
        if (folder.LatestCheckpoint() is not { } latest)
            throw noGenerator;
        if (Cached(choice, latest.Step) is { } saved)
            return saved;
        (GanNetworks Networks, CheckpointState State)? loaded;
        try
        {
            loaded = NewestCheckpoint.Load(folder, path => CheckpointFile.LoadNetworks(path, averaged: choice == GeneratorChoice.Ema), (_, damage) =>
                logger.LogWarning("Run {Run}: {Damage} Sampling from the checkpoint before it.", Run, damage.Message))?.Loaded;
        }
        catch (CheckpointException e)
        {
            // The client does not know the core's exception types; this one it can show.
            throw new InvalidOperationException(e.Message);
        }
        var (loadedNetworks, state) = loaded ?? throw noGenerator;
        loadedNetworks.Generator.to(Device);
        return Replace(choice, loadedNetworks, state.Step);
    }

    private GanNetworks? Cached(GeneratorChoice choice, long step) =>
        generators.TryGetValue(choice, out var cached) && cached.Step == step ? cached.Networks : null;

    private GanNetworks Replace(GeneratorChoice choice, GanNetworks networks, long step)
    {
        if (generators.TryGetValue(choice, out var old))
            old.Networks.Dispose();
        generators[choice] = (networks, step);
        return networks;
    }
}
