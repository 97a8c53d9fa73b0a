using System.Security.Cryptography.X509Certificates;
using Orleans.Gan.Contracts;

namespace Orleans.Gan.Bench.Cluster;

/// <summary>A cluster certificate for the TLS case, made as the README makes one.</summary>
public static class BenchCertificate
{
    /// <summary>Writes it as a PKCS#12 file without a password and returns the path.</summary>
    public static string Write(string folder)
    {
        using var certificate = ClusterCertificate.CreateSelfSigned("orleans-gan-bench", TimeSpan.FromDays(7));
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, "cluster.pfx");
        File.WriteAllBytes(path, certificate.Export(X509ContentType.Pfx));
        return path;
    }
}
