namespace Orleans.Gan.EndToEnd.Tests;

/// <summary>
/// A Redis that requires a password: silos and client work with it, and neither ever prints it, not when it is right
/// and not when Redis refuses it. Logs end up in CI output and bug reports.
/// </summary>
public sealed class RedisPasswordTests : IDisposable
{
    private const string Password = "Redis-Pa55-in-no-log";
    private const string WrongPassword = "Wrong-Pa55-in-no-log";
    private readonly string work = Path.Combine(Path.GetTempPath(), "orleans-gan-e2e", Guid.NewGuid().ToString("N"));
    private RedisCluster? cluster;

    [Fact]
    public async Task Neither_silo_nor_client_prints_the_redis_password()
    {
        cluster = await RedisCluster.StartAsync(work, Password, ["silo-a"]);

        var status = await cluster.Client("status", "no-such-run");
        Assert.True(status.ExitCode == 1, $"the client reached the silo through the password-protected Redis:\n{status.Output}");
        Assert.Contains("No run named 'no-such-run'", status.Output);

        var refused = await cluster.RunSilo("silo-refused", cluster.Connection.Replace(Password, WrongPassword), TimeSpan.FromMinutes(2));
        Assert.True(refused.ExitCode != 0, refused.Output);
        Assert.Contains("authentication failure", refused.Output);

        foreach (var silo in cluster.Silos.Values)
            Assert.Equal(0, await silo.Process.Terminate(TimeSpan.FromSeconds(60)));
        Assert.DoesNotContain(Password, status.Output);
        Assert.DoesNotContain(Password, cluster.Logs);
        Assert.DoesNotContain(WrongPassword, refused.Output);
    }

    public void Dispose() => cluster?.Dispose();
}
