namespace Orleans.Gan.Client;

/// <summary>Where the cluster is: a Redis membership table when <see cref="Redis"/> is set, else fixed gateways.</summary>
internal sealed record ClusterConnection(
    IReadOnlyList<GatewayAddress> Gateways,
    string? Redis,
    string ClusterId,
    string ServiceId,
    string? TlsCertificate)
{
    /// <summary>Where we looked, for error messages; never shows a Redis password.</summary>
    public string Describe() => Redis is null
        ? $"gateway(s) {string.Join(", ", Gateways)} (cluster id '{ClusterId}')"
        : $"the Redis membership table '{RedisConnectionString.Mask(Redis)}' (cluster id '{ClusterId}')";
}
