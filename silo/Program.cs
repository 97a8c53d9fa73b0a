using System.Text.Json.Serialization;
using Orleans.Dashboard;
using Orleans.Gan.Silo;
using Orleans.Gan.Silo.Telemetry;
using Orleans.Gan.Silo.Web;

if (SiloCommandLine.Parse(args) is int exitCode)
    return exitCode;

var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = [] });
builder.Configuration.AddEnvironmentVariables("ORLEANS_GAN_");
builder.Configuration.AddCommandLine(args, SiloSettings.CommandLineSwitches);
var (settings, pod, slotDevices, kernelNote) = BadSetting.ExitOn(() =>
{
    var settings = (builder.Configuration.GetSection(SiloSettings.Section).Get<SiloSettings>() ?? new SiloSettings()).Validate();
    var pod = KubernetesPod.Detect(settings.Kubernetes, settings.Clustering, KubernetesPod.ProcessEnvironment(), File.Exists);
    if (pod is not null)
        settings.InPod(pod);
    var (slotDevices, kernelNote) = TorchSetup.Apply(settings);
    return (settings, pod, slotDevices, kernelNote);
});
builder.WebHost.UseUrls(settings.HttpUrl);
builder.Logging.AddSimpleConsole(o => (o.SingleLine, o.TimestampFormat) = (true, "HH:mm:ss.fff "));
// Every poll of the dashboard and every scrape would otherwise log two lines.
builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
builder.UseOrleans(silo => SiloConfiguration.Configure(silo, settings, pod, slotDevices));
builder.Services.AddSiloMetrics(settings);
builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Converters.Add(new JsonStringEnumConverter()));

var app = builder.Build();
// Opens the side path for tensors now, so that a port that cannot be had stops the silo before it joins.
app.Services.GetRequiredService<Orleans.Gan.Grains.Exchange.IBulkTransfer>();
app.MapGet("/healthz", () => Results.Ok(new { silo = settings.Name, address = settings.AdvertisedAddress, slots = slotDevices }));
app.MapPrometheusScrapingEndpoint();
app.MapFacesPage(settings.RunsDirectory);
if (settings.Dashboard)
    app.MapOrleansDashboard(routePrefix: "/dashboard");
if (pod is not null)
    app.Logger.LogInformation("Kubernetes hosting: pod {Namespace}/{Pod} at {Address}", pod.Namespace, pod.Name, pod.Address);
if (kernelNote is not null)
    app.Logger.LogWarning("{Note}", kernelNote);
app.Logger.LogInformation("Silo {Name} offers worker slots on {Slots} with {Threads} torch threads; HTTP on {Url}", settings.Name,
    string.Join(", ", slotDevices), TorchSharp.torch.get_num_threads(), settings.HttpUrl);
await app.RunAsync();
return 0;
