namespace Orleans.Gan.EndToEnd.Tests;

/// <summary>
/// A Redis that requires a password: silos and client work with it, and neither ever prints it, not when it is right
/// and not when Redis refuses it. Logs end up in CI output and bug reports.
/// </summary>
public sealed class RedisPasswordTests : IAsyncLifetime
{
    private const string Password = "Redis-Pa55-in-no-log";
    private const string WrongPassword = "Wrong-Pa55-in-no-log";
    private RedisCluster cluster = null!;

    public async Task InitializeAsync() => cluster = await RedisCluster.StartAsync(["silo-a"], Password);

    [Fact]
    public async Task Neither_silo_nor_client_prints_the_redis_password()
    {
        var status = await cluster.Client("status", "no-such-run");
        Assert.True(status.ExitCode == 1, $"the client reached the silo through the password-protected Redis:\n{status.Output}");
        Assert.Contains("No run named 'no-such-run'", status.Output);

        var refused = await cluster.RunSilo("silo-refused", cluster.Connection.Replace(Password, WrongPassword), TimeSpan.FromMinutes(2));
        Assert.True(refused.ExitCode != 0, refused.Output);
        Assert.Contains("authentication failure", refused.Output);

        Assert.All(await cluster.TerminateSilosAsync(), exitCode => Assert.Equal(0, exitCode));
        Assert.DoesNotContain(Password, status.Output);
        Assert.DoesNotContain(Password, cluster.SiloLogs());
        Assert.DoesNotContain(WrongPassword, refused.Output);
    }

    public Task DisposeAsync()
    {
        cluster.Dispose();
        return Task.CompletedTask;
    }
}
