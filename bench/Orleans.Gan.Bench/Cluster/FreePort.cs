using System.Net;
using System.Net.Sockets;

namespace Orleans.Gan.Bench.Cluster;

/// <summary>A loopback port nothing listens on, so that the benchmark's silos never meet another cluster's.</summary>
public static class FreePort
{
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
