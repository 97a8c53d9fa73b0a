using System.Buffers.Binary;
using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Orleans.Gan.EndToEnd.Tests.Observability;

/// <summary>What a user watching a run relies on: the shipped dashboard shows data, the scrape is clean, the page shows faces.</summary>
public sealed partial class ObservabilityTests(ObservedTrainingRun cluster) : IClassFixture<ObservedTrainingRun>
{
    [Fact]
    public async Task Every_panel_of_the_grafana_dashboard_gets_data_from_a_real_prometheus_scraping_both_silos()
    {
        var path = Path.Combine(Binaries.Root, "deploy", "grafana", "dashboards", "orleans-gan.json");
        using var dashboard = JsonDocument.Parse(File.ReadAllText(path));
        var panels = dashboard.RootElement.GetProperty("panels").EnumerateArray().ToList();
        var missing = new List<string>();
        foreach (var panel in panels)
        {
            var title = panel.GetProperty("title").GetString();
            int finite = 0;
            foreach (var target in panel.GetProperty("targets").EnumerateArray())
            {
                // Grafana fills $run from the run picker; "All" is this regular expression.
                var expression = target.GetProperty("expr").GetString()!.Replace("$run", ".*");
                var samples = await cluster.Prometheus.QueryAsync(expression);
                if (samples.Count == 0)
                    missing.Add($"{title}: {expression} returned nothing");
                finite += samples.Count(s => double.IsFinite(s.Value));
            }
            if (finite == 0)
                missing.Add($"{title}: no finite value in any query");
        }

        Assert.True(panels.Count >= 12, $"{path} has {panels.Count} panels.");
        Assert.True(missing.Count == 0, string.Join("\n", missing));
        // Both silos are scraped: the runtime's memory comes from each.
        Assert.Equal(2, (await cluster.Prometheus.QueryAsync("dotnet_process_memory_working_set_bytes")).Count);
    }

    [Fact]
    public async Task Promtool_check_metrics_reports_nothing_on_a_scrape_of_either_silo()
    {
        var promtool = InstalledTool.Require("/usr/bin/promtool", "prometheus");
        using var http = new HttpClient();
        var scrapes = new List<string>();
        foreach (var silo in cluster.SiloUrls)
        {
            var scrape = Path.Combine(cluster.Work, $"scrape-{new Uri(silo).Port}.txt");
            scrapes.Add(await http.GetStringAsync($"{silo}/metrics"));
            File.WriteAllText(scrape, scrapes[^1]);
            Assert.Contains("orleans_", scrapes[^1]);
            Assert.Contains("dotnet_", scrapes[^1]);
            var (exitCode, output) = await ChildProcess.Run("sh", ["-c", $"{promtool} check metrics < {scrape}"], cluster.Work, TimeSpan.FromMinutes(1));
            Assert.True(exitCode == 0 && output.Trim().Length == 0, $"promtool on {silo}/metrics (exit {exitCode}):\n{output}");
        }
        // The training metrics come from the silo that hosts the run's coordinator.
        Assert.Contains(scrapes, s => s.Contains("gan_steps_total{", StringComparison.Ordinal));
        // And where each worker runs: two workers on two one-slot CPU silos.
        var slots = scrapes.SelectMany(s => WorkerSlotSeries().Matches(s)).Select(m => m.Groups["silo"].Value + "/" + m.Groups["device"].Value).Order().ToList();
        Assert.Equal(["silo-a/cpu", "silo-b/cpu"], slots);
    }

    [Fact]
    public async Task The_orleans_dashboard_in_headless_chromium_lists_the_grains_of_the_training_run()
    {
        // The dashboard's own page lists the activations by grain type, cluster-wide, while the run trains.
        var dom = await HeadlessChromium.DumpDomAsync(cluster.SiloUrls[0] + "/dashboard/#/grains", cluster.Work, TimeSpan.FromSeconds(20));

        Assert.Contains("Activations by Type", dom);
        foreach (var grain in new[] { "CoordinatorGrain", "WorkerGrain", "SiloStageGrain", "DataShardGrain" })
            Assert.True(dom.Contains(grain, StringComparison.Ordinal), $"{grain} is not on the dashboard:\n{dom}");
    }

    [Fact]
    public async Task The_faces_page_in_headless_chromium_loads_the_runs_newest_grid_and_is_saved_as_a_screenshot()
    {
        var page = cluster.SiloUrls[0] + "/";
        var dom = await HeadlessChromium.DumpDomAsync(page, cluster.Work, TimeSpan.FromSeconds(20));

        var grid = GridImage().Match(dom);
        Assert.True(grid.Success, $"The faces grid never loaded:\n{dom}");
        Assert.Equal(ObservedTrainingRun.Run, grid.Groups["run"].Value);
        Assert.True(long.Parse(grid.Groups["step"].Value) >= 1);
        Assert.Contains($"<td>{ObservedTrainingRun.Run}</td><td class=\"phase\">training</td>", dom);
        Assert.Contains("<td>0 silo-a/cpu#0, 1 silo-b/cpu#0</td>", dom);
        Assert.Contains("<span id=\"silo\" class=\"muted\">on silo-a (cpu)</span>", dom);
        // G_ema's grid by default.
        Assert.Matches("<img id=\"grid\"[^>]*generator=ema", dom);
        // What the page shows, its script left out: no value that failed to arrive.
        var shown = Script().Replace(dom, "");
        foreach (var broken in new[] { "undefined", "NaN" })
            Assert.False(shown.Contains(broken, StringComparison.Ordinal), $"The faces page shows '{broken}':\n{shown}");

        var screenshot = Path.Combine(Binaries.Root, "artifacts", "screenshots", "faces-page.png");
        Directory.CreateDirectory(Path.GetDirectoryName(screenshot)!);
        File.Delete(screenshot);
        var clock = Stopwatch.StartNew();
        await HeadlessChromium.ScreenshotAsync(page, screenshot, cluster.Work, TimeSpan.FromSeconds(20));
        var png = File.ReadAllBytes(screenshot);
        Assert.Equal((1300, 900), (BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16)), BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20))));
        Assert.True(png.Length > 50_000, $"A {png.Length}-byte screenshot after {clock.Elapsed.TotalSeconds:0} s is too small to show a grid of faces.");
    }

    [GeneratedRegex("<script>.*?</script>", RegexOptions.Singleline)]
    private static partial Regex Script();

    [GeneratedRegex("""<img id="grid"[^>]*data-run="(?<run>[^"]+)"[^>]*data-loaded-step="(?<step>\d+)""")]
    private static partial Regex GridImage();

    // A series of gan_worker_slot, whatever order the exporter writes its labels in.
    [GeneratedRegex("""^gan_worker_slot\{(?=[^}]*\bsilo="(?<silo>[^"]+)")(?=[^}]*\bdevice="(?<device>[^"]+)")[^}]*\} 1""", RegexOptions.Multiline)]
    private static partial Regex WorkerSlotSeries();
}
