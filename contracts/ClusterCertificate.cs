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

    /// <summary>
    /// A certificate made for one cluster, as the README's openssl line makes it: self-signed, RSA 2048, its name also its
    /// DNS name, with its private key. Export it with <c>Export(X509ContentType.Pfx)</c> to give it to silos and clients.
    /// </summary>
    public static X509Certificate2 CreateSelfSigned(string name, TimeSpan validFor)
    {
        using var key = System.Security.Cryptography.RSA.Create(2048);
        var request = new CertificateRequest($"CN={name}", key, System.Security.Cryptography.HashAlgorithmName.SHA256,
            System.Security.Cryptography.RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName(name);
        request.CertificateExtensions.Add(names.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow + validFor);
        // Through PKCS#12, so that the key is one TLS can use on every platform.
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pfx), null);
    }

    /// <summary>The name a connecting side expects: the certificate's own, so that one certificate serves every host.</summary>
    public static string TargetHost(X509Certificate2 cluster) => cluster.GetNameInfo(X509NameType.DnsName, forIssuer: false);
}
