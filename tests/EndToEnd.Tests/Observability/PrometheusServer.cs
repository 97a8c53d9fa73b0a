using System.Text.Json;

namespace Orleans.Gan.EndToEnd.Tests.Observability;

/// <summary>
/// Debian's Prometheus on a free loopback port, run with the repository's deploy/prometheus/prometheus.yml (scraping
/// every second instead of five) and a targets file naming the test's silos, so the shipped discovery is what is tested.
/// </summary>
internal sealed class PrometheusServer : IDisposable
{
    private readonly ChildProcess process;
    private readonly HttpClient http;

    private PrometheusServer(ChildProcess process, int port)
    {
        this.process = process;
        http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = TimeSpan.FromSeconds(30) };
    }

    public string Output => process.Output;

    public static async Task<PrometheusServer> StartAsync(string folder, IEnumerable<string> targets, TimeSpan timeout)
    {
        var binary = InstalledTool.Require("/usr/bin/prometheus", "prometheus");
        Directory.CreateDirectory(Path.Combine(folder, "targets"));
        var shipped = File.ReadAllText(Path.Combine(Binaries.Root, "deploy", "prometheus", "prometheus.yml"));
        var config = Path.Combine(folder, "prometheus.yml");
        File.WriteAllText(config, shipped.Replace("scrape_interval: 5s", "scrape_interval: 1s"));
        File.WriteAllText(Path.Combine(folder, "targets", "silos.json"), JsonSerializer.Serialize(new[] { new { targets } }));

        int port = ChildProcess.FreePort();
        var process = ChildProcess.Start(binary, [$"--config.file={config}", $"--web.listen-address=127.0.0.1:{port}",
            $"--storage.tsdb.path={Path.Combine(folder, "tsdb")}"], folder);
        await process.WaitForPort(port, timeout);
        return new PrometheusServer(process, port);
    }

    /// <summary>An instant query's samples as (labels, value); a failed query throws with Prometheus's own error.</summary>
    public async Task<IReadOnlyList<(string Labels, double Value)>> QueryAsync(string promql)
    {
        using var response = await http.GetAsync($"api/v1/query?query={Uri.EscapeDataString(promql)}");
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var root = json.RootElement;
        if (root.GetProperty("status").GetString() != "success")
            throw new InvalidOperationException($"Prometheus refused '{promql}': {root.GetProperty("error").GetString()}");
        return root.GetProperty("data").GetProperty("result").EnumerateArray()
            .Select(sample => (sample.GetProperty("metric").ToString(),
                double.Parse(sample.GetProperty("value")[1].GetString()!, System.Globalization.CultureInfo.InvariantCulture)))
            .ToList();
    }

    public async Task<double> SumAsync(string promql) => (await QueryAsync($"sum({promql})")).Select(s => s.Value).DefaultIfEmpty(0).Single();

    public void Dispose()
    {
        http.Dispose();
        process.Dispose();
    }
}
