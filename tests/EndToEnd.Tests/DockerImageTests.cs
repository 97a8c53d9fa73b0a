using System.Net;
using System.Net.NetworkInformation;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Orleans.Gan.EndToEnd.Tests;

/// <summary>
/// The Dockerfiles cannot be built here (no base images can be pulled), so what they rely on is checked instead: the
/// files they copy, the publish command they run, the ports they expose and the settings they and compose set; and their
/// entrypoint script is run against the silo as their publish command publishes it, as a container and as a Slurm
/// task start it.
/// </summary>
public sealed partial class DockerImageTests
{
    private static readonly string DockerFolder = Path.Combine(Binaries.Root, "deploy", "docker");
    private static readonly string Entrypoint = Path.Combine(DockerFolder, "silo-entrypoint.sh");

    [Theory]
    [InlineData("Dockerfile", "cpu", "silo")]
    [InlineData("Dockerfile.gpu", "cuda", null)]
    public async Task A_dockerfile_copies_files_that_exist_and_starts_the_silo_through_the_entrypoint_on_the_ports_it_exposes(
        string file, string torchDevice, string? siloStage)
    {
        var instructions = Instructions(Path.Combine(DockerFolder, file));
        // The silo's stage: the one named so, or the last.
        int stageStart = instructions.FindLastIndex(i => i.Keyword == "FROM" && (siloStage is null || i.Arguments.EndsWith($" AS {siloStage}", StringComparison.Ordinal)));
        int stageEnd = instructions.FindIndex(stageStart + 1, i => i.Keyword == "FROM");
        var silo = instructions[stageStart..(stageEnd < 0 ? instructions.Count : stageEnd)];

        foreach (var copy in instructions.Where(i => i.Keyword == "COPY" && !i.Arguments.StartsWith("--from", StringComparison.Ordinal)))
        {
            var sources = copy.Arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries)[..^1];
            Assert.All(sources, source => Assert.True(
                File.Exists(Path.Combine(Binaries.Root, source)) || Directory.Exists(Path.Combine(Binaries.Root, source)),
                $"{file}: COPY {source}: no such file in the build context (the repository root)."));
        }
        Assert.Contains(instructions, i => i.Keyword == "RUN" && i.Arguments.Contains(PublishSilo(torchDevice)));
        Assert.Contains(silo, i => i.Keyword == "COPY" && i.Arguments == "deploy/docker/silo-entrypoint.sh /usr/local/bin/");
        Assert.Equal("[\"/usr/local/bin/silo-entrypoint.sh\"]", silo.Last(i => i.Keyword == "ENTRYPOINT").Arguments);
        Assert.True(OperatingSystem.IsWindows() || (File.GetUnixFileMode(Entrypoint) & UnixFileMode.UserExecute) != 0, $"{Entrypoint} is not executable.");

        // The silo's default ports; the entrypoint keeps --http's port and binds it on every interface.
        var help = await SiloHelp();
        int[] defaults = [int.Parse(Default(help, "--silo-port")), int.Parse(Default(help, "--gateway-port")), new Uri(Default(help, "--http")).Port];
        var exposed = silo.Last(i => i.Keyword == "EXPOSE").Arguments.Split(' ').Select(int.Parse);
        Assert.Equal(defaults.Order(), exposed.Order());
    }

    [Fact]
    public async Task The_images_and_compose_set_only_settings_the_silo_has()
    {
        var files = new[] { Entrypoint, Path.Combine(DockerFolder, "Dockerfile"), Path.Combine(DockerFolder, "Dockerfile.gpu"),
            Path.Combine(Binaries.Root, "deploy", "docker-compose.yml") };
        foreach (var file in files)
        {
            var used = SiloVariable().Matches(await File.ReadAllTextAsync(file)).Select(m => m.Value).Distinct().ToList();
            Assert.All(used, name => Assert.True(SiloSettingVariables.IsSetting(name), $"{file} sets {name}, which is no silo setting."));
        }
    }

    [Fact]
    public async Task The_entrypoint_starts_the_published_silo_as_a_container_and_as_a_Slurm_task_would()
    {
        var work = Directory.CreateTempSubdirectory("orleans-gan-image-").FullName;
        try
        {
            var silo = await PublishAsDockerfileDoes(Path.Combine(work, "out", "silo"));
            var common = new Dictionary<string, string>
            {
                ["ORLEANS_GAN_SILO_DLL"] = silo,
                ["ORLEANS_GAN_Silo__DataDirectory"] = Path.Combine(work, "data"),
                ["ORLEANS_GAN_Silo__RunsDirectory"] = Path.Combine(work, "runs"),
                ["ORLEANS_GAN_Silo__Dashboard"] = "false",
            };

            // A container: nothing set but what the image sets, so the silo is on the ports the Dockerfile exposes.
            foreach (var port in new[] { 11111, 30000, 8080 })
                Assert.True(ChildProcess.IsFree(port), $"Port {port}, one of the image's, is taken on this machine; the container case needs it.");
            var container = await StartAndAskHealth(common, httpPort: 8080, work);
            Assert.Equal("silo-0", container.GetProperty("silo").GetString());
            Assert.Contains(container.GetProperty("address").GetString()!, HostAddresses());

            // The second task of a Slurm step on node7: named after both, on ports offset by one from the bases.
            int siloBase = ChildProcess.FreePortPair(), httpBase = ChildProcess.FreePortPair();
            var task = new Dictionary<string, string>(common)
            {
                ["SLURM_LOCALID"] = "1",
                ["SLURMD_NODENAME"] = "node7",
                ["ORLEANS_GAN_SILO_PORT_BASE"] = $"{siloBase}",
                ["ORLEANS_GAN_GATEWAY_PORT_BASE"] = $"{ChildProcess.FreePortPair()}",
                ["ORLEANS_GAN_HTTP_PORT_BASE"] = $"{httpBase}",
                // Localhost clustering for this one silo: it is its own seed.
                ["ORLEANS_GAN_Silo__PrimarySiloPort"] = $"{siloBase + 1}",
            };
            var slurmTask = await StartAndAskHealth(task, httpPort: httpBase + 1, work);
            Assert.Equal("node7-1", slurmTask.GetProperty("silo").GetString());
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    /// <summary>
    /// Starts the entrypoint, reads /healthz from the port it should serve on (every interface), then stops it with
    /// SIGTERM as docker stop and Slurm do: the script execs the silo, so the silo gets the signal and exits cleanly.
    /// </summary>
    private static async Task<JsonElement> StartAndAskHealth(Dictionary<string, string> environment, int httpPort, string work)
    {
        using var entrypoint = ChildProcess.Start(Entrypoint, [], work, environment);
        await entrypoint.WaitForPort(httpPort, RedisCluster.StartTimeout);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var address = HostAddresses().FirstOrDefault(a => !IPAddress.IsLoopback(IPAddress.Parse(a))) ?? "127.0.0.1";
        var health = JsonDocument.Parse(await http.GetStringAsync($"http://{(address.Contains(':') ? $"[{address}]" : address)}:{httpPort}/healthz")).RootElement.Clone();
        int exitCode = await entrypoint.Terminate(TimeSpan.FromSeconds(60));
        Assert.True(exitCode == 0, $"The silo exited with {exitCode} on SIGTERM:\n{entrypoint.Output}");
        return health;
    }

    /// <summary>Runs the Dockerfile's own publish command, with its output folder moved under <paramref name="output"/>.</summary>
    private static async Task<string> PublishAsDockerfileDoes(string output)
    {
        var run = Instructions(Path.Combine(DockerFolder, "Dockerfile")).First(i => i.Keyword == "RUN" && i.Arguments.Contains(PublishSilo("cpu")));
        var command = run.Arguments.Split("&&")[0].Trim().Replace("/out/silo", output, StringComparison.Ordinal);
        var (exitCode, printed) = await ChildProcess.Run("bash", ["-c", command], Binaries.Root, TimeSpan.FromMinutes(5));
        Assert.True(exitCode == 0, $"{command} failed with {exitCode}:\n{printed}");
        return Path.Combine(output, "silo.dll");
    }

    private static string PublishSilo(string torchDevice) => $"dotnet publish silo/Orleans.Gan.Silo.csproj -c Release -p:TorchDevice={torchDevice} -o /out/silo";

    private static async Task<string> SiloHelp()
    {
        var (exitCode, help) = await ChildProcess.Run("dotnet", [Binaries.Silo, "--help"], Binaries.Root, TimeSpan.FromMinutes(1));
        Assert.True(exitCode == 0, help);
        return help;
    }

    private static string Default(string help, string flag) =>
        Regex.Match(help, $@"{Regex.Escape(flag)} <\w+>.*?\[default: (\S+)\]").Groups[1].Value;

    /// <summary>This machine's addresses, as the entrypoint may advertise one of them.</summary>
    private static HashSet<string> HostAddresses() =>
        NetworkInterface.GetAllNetworkInterfaces()
            .Where(n => n.OperationalStatus == OperationalStatus.Up)
            .SelectMany(n => n.GetIPProperties().UnicastAddresses)
            .Select(a => a.Address.ToString())
            .ToHashSet();

    /// <summary>A Dockerfile's instructions, continuation lines joined and comments left out.</summary>
    private static List<(string Keyword, string Arguments)> Instructions(string path) =>
        Regex.Replace(File.ReadAllText(path), @"\\\r?\n", " ")
            .Split('\n')
            .Select(line => line.Trim())
            .Where(line => line.Length > 0 && !line.StartsWith('#'))
            .Select(line => line.Split(' ', 2))
            .Select(parts => (parts[0].ToUpperInvariant(), Regex.Replace(parts.ElementAtOrDefault(1) ?? "", @"\s+", " ").Trim()))
            .ToList();

    [GeneratedRegex(@"ORLEANS_GAN_Silo__\w+")]
    private static partial Regex SiloVariable();
}
