using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Orleans.Gan.Client;

/// <summary>A started cluster client and the services behind it; disposing stops the client and frees them.</summary>
internal sealed class ConnectedClusterClient(ServiceProvider services, IReadOnlyList<IHostedService> hostedServices)
    : IAsyncDisposable
{
    // A command has finished or was cancelled when it disposes the client: nobody waits for a graceful goodbye.
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(2);

    public IClusterClient Client { get; } = services.GetRequiredService<IClusterClient>();

    public async ValueTask DisposeAsync()
    {
        using var stopping = new CancellationTokenSource(StopTimeout);
        foreach (IHostedService hostedService in hostedServices.Reverse())
        {
            try
            {
                await hostedService.StopAsync(stopping.Token);
            }
            catch (Exception)
            {
                // The silos may be gone or slow; the command's outcome is already decided and the process is exiting.
            }
        }

        await services.DisposeAsync();
    }
}
