using System.Diagnostics;

namespace Orleans.Gan.EndToEnd.Tests;

/// <summary>
/// The client binary given bad flags or an unreachable cluster: the exit code scripts rely on, and a message that
/// names what to fix. No cluster runs: bad flags must be refused before the client looks for one.
/// </summary>
public sealed class ClientInputTests
{
    // Generous against a loaded machine; the client itself gives up after about 5 s.
    private static readonly TimeSpan WithinSeconds = TimeSpan.FromSeconds(20);

    [Theory]
    [InlineData("--workers", "train --workers 0")]
    [InlineData("--simulate-compute-ms", "train --simulate-compute-ms -1")]
    [InlineData("--workers", "train --workers 65")]
    [InlineData("--batch-size", "train --batch-size 0")]
    [InlineData("--epochs", "train --epochs -1")]
    [InlineData("--epochs", "train --epochs 0")]
    [InlineData("--max-steps", "train --max-steps -1")]
    [InlineData("--synthetic-faces", "train --synthetic-faces 0")]
    [InlineData("--lr", "train --lr 0")]
    // There is no image-size flag: the model fixes the size, and an unknown model is refused by name.
    [InlineData("--model", "train --model dcgan37")]
    [InlineData("--run", "train --run ../elsewhere")]
    [InlineData("--seed", "train --resume faces --seed 2")]
    [InlineData("--batch-size", "train --resume faces --batch-size 8")]
    [InlineData("--model", "train --resume faces --model tutorial28")]
    [InlineData("--run", "train --resume faces --run faces")]
    [InlineData("--count", "sample --run faces --out faces.png --count 100000")]
    [InlineData("--count", "sample --run faces --out faces.png --count 0")]
    [InlineData("--gateway", "status faces --gateway nowhere")]
    [InlineData("--ngf", "train --ngf 2")]
    [InlineData("--ema-kimg", "train --ema-kimg -1")]
    [InlineData("--ema-kimg", "train --ema-kimg ten")]
    [InlineData("--epochs", "train --epochs ten")]
    [InlineData("--ema-rampup", "train --ema-rampup -1")]
    [InlineData("--ema-kimg", "train --resume faces --ema-kimg 5")]
    [InlineData("--generator", "sample --run faces --out faces.png --generator mean")]
    [InlineData("--init-from", "train --resume faces --init-from netG.pth")]
    [InlineData("--source", "dataset celeba --out celeba --source ftp://mirror/celeba")]
    [InlineData("--mirrors-only", "dataset celeba --out celeba --mirrors-only")]
    public async Task A_flag_out_of_range_exits_2_with_a_message_naming_the_flag(string flag, string commandLine)
    {
        var (exitCode, output) = await Client(commandLine.Split(' '));

        Assert.True(exitCode == 2, $"exit code {exitCode}:\n{output}");
        Assert.Contains(flag, output);
    }

    [Fact]
    public async Task A_client_pointed_at_gateways_that_are_down_exits_3_within_seconds_naming_them()
    {
        var port = ChildProcess.FreePort();
        var elapsed = Stopwatch.StartNew();

        var (exitCode, output) = await Client("train", "--run", "faces", "--gateway", $"127.0.0.1:{port}");

        Assert.True(exitCode == 3, $"exit code {exitCode}:\n{output}");
        Assert.Contains($"127.0.0.1:{port}", output);
        Assert.True(elapsed.Elapsed < WithinSeconds, $"gave up only after {elapsed.Elapsed.TotalSeconds:0.0} s");
    }

    [Fact]
    public async Task A_client_pointed_at_a_redis_that_is_down_names_it_without_its_password()
    {
        const string password = "Pa55-never-printed";
        var port = ChildProcess.FreePort();
        var elapsed = Stopwatch.StartNew();

        var (exitCode, output) = await Client("status", "faces", "--redis", $"127.0.0.1:{port},password={password}");

        Assert.True(exitCode == 3, $"exit code {exitCode}:\n{output}");
        Assert.Contains($"127.0.0.1:{port}", output);
        Assert.DoesNotContain(password, output);
        Assert.True(elapsed.Elapsed < WithinSeconds, $"gave up only after {elapsed.Elapsed.TotalSeconds:0.0} s");
    }

    private static Task<(int ExitCode, string Output)> Client(params string[] arguments) =>
        ChildProcess.Run("dotnet", [Binaries.Client, .. arguments], Path.GetTempPath(), TimeSpan.FromMinutes(1));
}
