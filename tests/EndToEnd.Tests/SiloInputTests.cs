namespace Orleans.Gan.EndToEnd.Tests;

/// <summary>
/// The silo binary given a bad setting or a device that is not there: exit code 2 and one line naming the flag,
/// before it listens on anything, and no stack trace. This machine has no GPU, so every CUDA device is missing.
/// </summary>
public sealed class SiloInputTests
{
    [Theory]
    [InlineData("--device cuda:0", "--device cuda:0 was asked for, but torch sees no GPU")]
    [InlineData("--device cuda", "--device cuda was asked for, but torch sees no GPU")]
    [InlineData("--device gpu", "--device must be auto, cpu, cuda or cuda:N")]
    [InlineData("--cpu-slots 0", "--cpu-slots must be from 1 to 64, not 0")]
    [InlineData("--silo-port 70000", "--silo-port must be a port from 1 to 65535")]
    public async Task A_bad_setting_or_a_missing_device_exits_2_naming_the_flag_without_a_stack_trace(string flags, string expected)
    {
        int port = ChildProcess.FreePort();
        var (exitCode, output) = await ChildProcess.Run("dotnet",
            [Binaries.Silo, "--http", $"http://127.0.0.1:{port}", .. flags.Split(' ')], Path.GetTempPath(), TimeSpan.FromMinutes(1));

        Assert.True(exitCode == 2, $"exit code {exitCode}:\n{output}");
        Assert.Contains(expected, output);
        Assert.DoesNotContain("   at ", output);
    }
}
