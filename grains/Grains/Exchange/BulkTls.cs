using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Orleans.Gan.Contracts;

namespace Orleans.Gan.Grains.Exchange;

/// <summary>
/// The side path's connections as streams: plain TCP, or mutual TLS with the cluster's certificate where the silos
/// have one, accepting only a peer that presents that same certificate, as Orleans' own connections do
/// (<see cref="ClusterCertificate"/>). A peer without it fails the handshake and never sees a byte of a buffer.
/// </summary>
public static class BulkTls
{
    /// <summary>How long a peer may take over its TLS handshake before the connection is dropped.</summary>
    public static readonly TimeSpan HandshakeTimeout = TimeSpan.FromSeconds(10);

    /// <summary>The accepted connection as a stream, after the server's side of the handshake where there is a certificate; blocking.</summary>
    public static Stream Accept(Socket connection, X509Certificate2? certificate)
    {
        var network = new NetworkStream(connection, ownsSocket: true);
        if (certificate is null)
            return network;
        var tls = new SslStream(network, leaveInnerStreamOpen: false);
        try
        {
            network.ReadTimeout = (int)HandshakeTimeout.TotalMilliseconds;
            tls.AuthenticateAsServer(new SslServerAuthenticationOptions
            {
                ServerCertificate = certificate,
                ClientCertificateRequired = true,
                RemoteCertificateValidationCallback = (_, remote, _, _) => IsClusterPeer(certificate, remote),
            });
            network.ReadTimeout = Timeout.Infinite;
            return tls;
        }
        catch
        {
            tls.Dispose();
            throw;
        }
    }

    /// <summary>A new connection to another silo's side path as a stream, after the client's side of the handshake where there is a certificate.</summary>
    public static async Task<Stream> ConnectAsync(string host, int port, X509Certificate2? certificate, CancellationToken cancellation)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(host, port, cancellation);
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException)
        {
            socket.Dispose();
            throw new BulkTransferException($"Cannot reach the bulk transfer of {host}:{port}: {e.Message}", e);
        }
        var network = new NetworkStream(socket, ownsSocket: true);
        if (certificate is null)
            return network;
        var tls = new SslStream(network, leaveInnerStreamOpen: false);
        try
        {
            using var handshake = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
            handshake.CancelAfter(HandshakeTimeout);
            await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
            {
                TargetHost = ClusterCertificate.TargetHost(certificate),
                ClientCertificates = [certificate],
                RemoteCertificateValidationCallback = (_, remote, _, _) => IsClusterPeer(certificate, remote),
            }, handshake.Token);
            return tls;
        }
        catch (Exception e) when (e is AuthenticationException or IOException or OperationCanceledException)
        {
            tls.Dispose();
            throw new BulkTransferException($"The bulk transfer of {host}:{port} did not complete a TLS handshake with the cluster's certificate: {e.Message}", e);
        }
    }

    private static bool IsClusterPeer(X509Certificate2 cluster, X509Certificate? remote) =>
        ClusterCertificate.IsClusterPeer(cluster, remote as X509Certificate2 ?? (remote is null ? null : new X509Certificate2(remote)));
}
