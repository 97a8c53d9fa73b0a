using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Orleans.Gan.Grains.Catalog;
using Orleans.Gan.Grains.Exchange;
using Orleans.Serialization;
using Orleans.Storage;
using Orleans.Gan.Grains.Placement;
using Orleans.Gan.Grains.Telemetry;
using Orleans.Gan.Grains.Training;
using Orleans.Runtime.MembershipService.SiloMetadata;
using Orleans.Hosting;

namespace Orleans.Gan.Grains.Hosting;

public static class SiloBuilderExtensions
{
    /// <summary>Everything a silo needs to host Orleans.Gan's grains: the placement director, the training metrics, the bulk transfer, the host options and the slots it offers.</summary>
    public static ISiloBuilder AddGanTraining(this ISiloBuilder silo, Action<TrainingHostOptions>? configure = null)
    {
        silo.AddPlacementDirector<SiloNamePlacement, SiloNamePlacementDirector>();
        // With Orleans' default directory, every grain whose directory entry lived on a silo that dies is deactivated,
        // the coordinator of a run included, wherever it runs; the distributed directory recovers the entries instead.
#pragma warning disable ORLEANSEXP003 // Experimental in Orleans 10, and the only directory that survives a silo's death.
        silo.AddDistributedGrainDirectory();
#pragma warning restore ORLEANSEXP003
        silo.Services.AddMetrics();
        silo.Services.AddSingleton<GanMetrics>();
        silo.Services.AddHostedService<RunKeeper>();
        silo.Services.AddSingleton<BulkTransfer>();
        silo.Services.AddSingleton<IBulkTransfer>(services => services.GetRequiredService<BulkTransfer>());
        // Files under the runs folder unless the host registered another store (Redis) under the same name first.
        silo.Services.TryAddKeyedSingleton<IGrainStorage>(TrainingStorage.Name, (services, _) => new FileGrainStorage(
            Path.Combine(services.GetRequiredService<IOptions<TrainingHostOptions>>().Value.RunsDirectory, ".state"),
            services.GetRequiredService<Serializer>()));
        var options = silo.Services.AddOptions<TrainingHostOptions>();
        if (configure is not null)
            options.Configure(configure);
        // Silo metadata is fixed when the silo is built, so the slots are read from the options here, once.
        var host = new TrainingHostOptions();
        configure?.Invoke(host);
        silo.UseSiloMetadata(SiloSlots.Metadata(host.SlotDevices));
        return silo;
    }
}
