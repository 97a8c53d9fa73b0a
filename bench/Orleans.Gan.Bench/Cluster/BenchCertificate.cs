using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Orleans.Gan.Bench.Cluster;

/// <summary>A cluster certificate as the README makes one (self-signed, its name a DNS name), for the TLS case.</summary>
public static class BenchCertificate
{
    public const string Name = "orleans-gan-bench";

    /// <summary>Writes it as a PKCS#12 file without a password and returns the path.</summary>
    public static string Write(string folder)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest($"CN={Name}", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName(Name);
        request.CertificateExtensions.Add(names.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(7));
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, "cluster.pfx");
        File.WriteAllBytes(path, certificate.Export(X509ContentType.Pfx));
        return path;
    }
}
