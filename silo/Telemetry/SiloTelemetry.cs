using System.Diagnostics.Metrics;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using Orleans.Gan.Grains.Telemetry;

namespace Orleans.Gan.Silo.Telemetry;

/// <summary>
/// What a silo exports on /metrics: the training meter, Orleans' own meter and the .NET runtime's, shaped so that
/// <c>promtool check metrics</c> finds nothing to report on a scrape.
/// </summary>
public static class SiloTelemetry
{
    public const string OrleansMeter = "Microsoft.Orleans";

    // Runtime gauges whose conventional names end in _count, which Prometheus reserves for histograms and summaries.
    private static readonly Dictionary<string, string> RuntimeRenames = new()
    {
        ["dotnet.assembly.count"] = "dotnet.assemblies.loaded",
        ["dotnet.process.cpu.count"] = "dotnet.process.cpus",
        ["dotnet.timer.count"] = "dotnet.timers.active",
    };

    // Prometheus wants base units; a view cannot rescale values, so Orleans' millisecond latencies and megabyte
    // memory gauges are left out (process memory comes from the runtime meter in bytes).
    private static readonly HashSet<string> NonBaseUnits = ["ms", "MB"];

    public static IServiceCollection AddSiloMetrics(this IServiceCollection services, SiloSettings settings)
    {
        services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("orleans-gan-silo", serviceInstanceId: settings.Name))
            .WithMetrics(metrics => metrics
                .AddMeter(GanMetrics.MeterName, OrleansMeter)
                .AddRuntimeInstrumentation()
                .AddView(Shape)
                .AddPrometheusExporter());
        return services;
    }

    private static MetricStreamConfiguration? Shape(Instrument instrument)
    {
        if (RuntimeRenames.TryGetValue(instrument.Name, out var name))
            return new MetricStreamConfiguration { Name = name };
        if (instrument.Meter.Name != OrleansMeter)
            return null;
        if (instrument.Unit is { } unit && NonBaseUnits.Contains(unit))
            return MetricStreamConfiguration.Drop;
        // Orleans' instruments carry no description (Prometheus wants help text) and a few carry camelCase labels
        // (ConnectionDirection, MessageDirection) that Prometheus naming forbids; they are summed over those labels.
        return new MetricStreamConfiguration
        {
            Description = string.IsNullOrEmpty(instrument.Description) ? $"Orleans' {instrument.Name}." : instrument.Description,
            TagKeys = [],
        };
    }
}
