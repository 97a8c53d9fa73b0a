using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Net.Sockets;

namespace Orleans.Gan.Client;

/// <summary>A silo gateway as the user wrote it, HOST:PORT; host names are resolved only when connecting.</summary>
internal sealed record GatewayAddress(string Host, int Port)
{
    public static bool TryParse(string text, [NotNullWhen(true)] out GatewayAddress? address)
    {
        address = null;
        if (IPEndPoint.TryParse(text, out IPEndPoint? endPoint))
        {
            // IPEndPoint accepts a bare address with port 0; a gateway needs an explicit port.
            if (endPoint.Port == 0)
            {
                return false;
            }

            address = new GatewayAddress(endPoint.Address.ToString(), endPoint.Port);
            return true;
        }

        int colon = text.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(text[(colon + 1)..], out int port) || port is < 1 or > 65535)
        {
            return false;
        }

        address = new GatewayAddress(text[..colon], port);
        return true;
    }

    public async Task<IPEndPoint> ResolveAsync(CancellationToken cancellationToken)
    {
        if (IPAddress.TryParse(Host, out IPAddress? literal))
        {
            return new IPEndPoint(literal, Port);
        }

        IPAddress[] addresses = await Dns.GetHostAddressesAsync(Host, cancellationToken);
        IPAddress address = addresses.FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork)
            ?? addresses.FirstOrDefault()
            ?? throw new SocketException((int)SocketError.HostNotFound);
        return new IPEndPoint(address, Port);
    }

    public override string ToString() => Host.Contains(':') ? $"[{Host}]:{Port}" : $"{Host}:{Port}";
}
