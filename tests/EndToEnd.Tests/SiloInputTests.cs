using System.Net;

namespace Orleans.Gan.EndToEnd.Tests;

/// <summary>
/// The silo binary given a bad setting, an unknown flag or a device that is not there: exit code 2 and one line naming
/// the flag, before it listens on anything, and no stack trace. This machine has no GPU, so every CUDA device is
/// missing. And --help, which lists every setting.
/// </summary>
public sealed class SiloInputTests
{
    [Theory]
    [InlineData("--device cuda:0", "--device cuda:0 was asked for, but torch sees no GPU")]
    [InlineData("--device cuda", "--device cuda was asked for, but torch sees no GPU")]
    [InlineData("--device gpu", "--device must be auto, cpu, cuda or cuda:N")]
    [InlineData("--cpu-slots 0", "--cpu-slots must be from 1 to 64, not 0")]
    [InlineData("--silo-port 70000", "--silo-port must be a port from 1 to 65535")]
    [InlineData("--nmae silo-x", "Unrecognized command or argument '--nmae'")]
    [InlineData("--threads many", "Cannot parse argument 'many' for option '--threads'")]
    [InlineData("--dashboard maybe", "Unrecognized command or argument 'maybe'")]
    public async Task A_bad_setting_or_a_missing_device_exits_2_naming_the_flag_without_a_stack_trace(string flags, string expected)
    {
        int port = ChildProcess.FreePort();
        var (exitCode, output) = await ChildProcess.Run("dotnet",
            [Binaries.Silo, "--http", $"http://127.0.0.1:{port}", .. flags.Split(' ')], Path.GetTempPath(), TimeSpan.FromMinutes(1));

        Assert.True(exitCode == 2, $"exit code {exitCode}:\n{output}");
        Assert.Contains(expected, output);
        Assert.DoesNotContain("   at ", output);
    }

    [Fact]
    public async Task Help_lists_every_setting_with_its_default_and_environment_variable_and_exits_0()
    {
        var (exitCode, output) = await ChildProcess.Run("dotnet", [Binaries.Silo, "--help"], Path.GetTempPath(), TimeSpan.FromMinutes(1));

        Assert.True(exitCode == 0, $"exit code {exitCode}:\n{output}");
        foreach (var flag in new[] { "--name", "--clustering", "--redis", "--kubernetes", "--silo-port", "--gateway-port", "--http", "--data", "--runs", "--device",
            "--cpu-slots", "--threads", "--step-timeout", "--tls-certificate", "--probe-timeout", "--missed-probes", "--bulk-transfer", "--bulk-port" })
            Assert.Contains(flag + " <", output);
        Assert.Contains("[default: 1] [env: ORLEANS_GAN_Silo__CpuSlots]", output);
        Assert.Contains("[default: http://127.0.0.1:8080] [env: ORLEANS_GAN_Silo__HttpUrl]", output);
        Assert.DoesNotContain("Application started", output);
    }

    [Fact]
    public async Task The_dashboard_is_served_by_default_and_dashboard_false_turns_it_off()
    {
        foreach (var (flags, expected) in new[] { (Array.Empty<string>(), HttpStatusCode.OK), (["--dashboard", "false"], HttpStatusCode.NotFound) })
        {
            int http = ChildProcess.FreePort(), silo = ChildProcess.FreePort(), gateway = ChildProcess.FreePort();
            string work = Path.Combine(Path.GetTempPath(), "orleans-gan-e2e", Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(work);
            using var process = ChildProcess.Start("dotnet", [Binaries.Silo, "--http", $"http://127.0.0.1:{http}", "--silo-port", $"{silo}",
                "--primary-silo-port", $"{silo}", "--gateway-port", $"{gateway}", "--data", work, "--runs", work, .. flags], work);
            await process.WaitForPort(http, TimeSpan.FromSeconds(60));
            using var client = new HttpClient();
            var answer = await client.GetAsync($"http://127.0.0.1:{http}/dashboard/");
            Assert.True(answer.StatusCode == expected, $"/dashboard/ with [{string.Join(' ', flags)}] answered {answer.StatusCode}:\n{process.Output}");
            process.Kill();
            Directory.Delete(work, recursive: true);
        }
    }
}
