using System.Security.Cryptography.X509Certificates;

namespace Orleans.Gan.Contracts;

/// <summary>
/// Mutual TLS for a cluster: every silo and every client holds the same certificate (a PKCS#12 file), and a
/// connection is accepted only from a peer that presents that certificate. No certificate authority is involved, so a
/// self-signed certificate made for the cluster is enough, and a valid certificate from anywhere else is refused.
/// </summary>
public static class ClusterCertificate
{
    /// <summary>The certificate file's password, if it has one; an environment variable, so it never shows in a process list.</summary>
    public const string PasswordVariable = "ORLEANS_GAN_TLS_PASSWORD";

    /// <summary>Loads the certificate with its private key; throws naming the file and the flag when it cannot.</summary>
    public static X509Certificate2 Load(string path, string flag)
    {
        if (!File.Exists(path))
            throw new ArgumentException($"{flag} '{path}' does not exist.");
        try
        {
            var certificate = X509CertificateLoader.LoadPkcs12FromFile(path, Environment.GetEnvironmentVariable(PasswordVariable));
            return certificate.HasPrivateKey
                ? certificate
                : throw new ArgumentException($"{flag} '{path}' holds no private key; TLS needs the PKCS#12 file with the key.");
        }
        catch (System.Security.Cryptography.CryptographicException e)
        {
            throw new ArgumentException($"{flag} '{path}' is not a PKCS#12 certificate this password (${PasswordVariable}) opens: {e.Message}");
        }
    }

    /// <summary>True only for the cluster's own certificate.</summary>
    public static bool IsClusterPeer(X509Certificate2 cluster, X509Certificate2? remote) =>
        remote is not null && remote.RawData.AsSpan().SequenceEqual(cluster.RawData);

    /// <summary>The name a connecting side expects: the certificate's own, so that one certificate serves every host.</summary>
    public static string TargetHost(X509Certificate2 cluster) => cluster.GetNameInfo(X509NameType.DnsName, forIssuer: false);
}
