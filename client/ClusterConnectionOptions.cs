using System.CommandLine;
using System.CommandLine.Parsing;

namespace Orleans.Gan.Client;

/// <summary>
/// The options that say where the cluster is, added to every command that talks to it. Flags win over the
/// environment variables, which win over the localhost defaults that match <c>dotnet run --project silo</c>.
/// </summary>
internal sealed class ClusterConnectionOptions
{
    public const string RedisVariable = "ORLEANS_GAN_REDIS";
    public const string GatewaysVariable = "ORLEANS_GAN_GATEWAYS";
    private const string DefaultClusterName = "orleans-gan";
    private static readonly string[] LocalGateways = ["127.0.0.1:30000", "127.0.0.1:30001"];

    private readonly Option<string[]> gateways = new("--gateway")
    {
        Description = $"A silo gateway as HOST:PORT; repeat for several. Defaults to ${GatewaysVariable} "
            + $"(comma-separated), else {string.Join(" and ", LocalGateways)}. Not used with --redis.",
        HelpName = "HOST:PORT",
        Arity = ArgumentArity.OneOrMore,
        DefaultValueFactory = _ => DefaultGateways(),
    };

    // No DefaultValueFactory: help would print the environment's connection string, password included.
    private readonly Option<string?> redis = new("--redis")
    {
        Description = $"Find the silos through the Redis membership table at this StackExchange.Redis connection "
            + $"string instead of fixed gateways. Defaults to ${RedisVariable} unless --gateway is given.",
        HelpName = "CONNECTION_STRING",
    };

    private readonly Option<string> clusterId = new("--cluster-id")
    {
        Description = "The Orleans cluster id the silos were started with.",
        HelpName = "ID",
        DefaultValueFactory = _ => DefaultClusterName,
    };

    private readonly Option<string?> tlsCertificate = new("--tls-certificate")
    {
        Description = "The cluster's PKCS#12 certificate, when the silos were started with --tls-certificate; its "
            + $"password, if any, comes from ${Contracts.ClusterCertificate.PasswordVariable}.",
        HelpName = "FILE",
    };

    private readonly Option<string> serviceId = new("--service-id")
    {
        Description = "The Orleans service id the silos were started with.",
        HelpName = "ID",
        DefaultValueFactory = _ => DefaultClusterName,
    };

    public ClusterConnectionOptions()
    {
        tlsCertificate.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<string?>() is { } path && !File.Exists(path))
            {
                result.AddError($"--tls-certificate '{path}' does not exist.");
            }
        });
        gateways.Validators.Add(result =>
        {
            foreach (string text in result.GetValueOrDefault<string[]>())
            {
                if (!GatewayAddress.TryParse(text, out _))
                {
                    result.AddError($"--gateway '{text}' is not HOST:PORT with a port from 1 to 65535.");
                }
            }
        });
    }

    public void AddTo(Command command)
    {
        command.Options.Add(gateways);
        command.Options.Add(redis);
        command.Options.Add(clusterId);
        command.Options.Add(serviceId);
        command.Options.Add(tlsCertificate);
        command.Validators.Add(result =>
        {
            if (IsExplicit(result.GetResult(gateways)) && IsExplicit(result.GetResult(redis)))
            {
                result.AddError("--gateway and --redis exclude each other: give one way to find the silos.");
            }
        });
    }

    public ClusterConnection Read(ParseResult parseResult)
    {
        string? redisConnection = parseResult.GetValue(redis);
        if (redisConnection is null && !IsExplicit(parseResult.GetResult(gateways)))
        {
            redisConnection = NullIfBlank(Environment.GetEnvironmentVariable(RedisVariable));
        }

        List<GatewayAddress> addresses = [];
        foreach (string text in parseResult.GetValue(gateways) ?? LocalGateways)
        {
            // Values from the command line were validated; a bad environment value must still fail clearly.
            if (!GatewayAddress.TryParse(text, out GatewayAddress? address))
            {
                throw new ArgumentException($"${GatewaysVariable} entry '{text}' is not HOST:PORT.");
            }

            addresses.Add(address);
        }

        return new ClusterConnection(
            addresses,
            redisConnection,
            parseResult.GetValue(clusterId) ?? DefaultClusterName,
            parseResult.GetValue(serviceId) ?? DefaultClusterName,
            parseResult.GetValue(tlsCertificate));
    }

    private static string[] DefaultGateways()
    {
        string? fromEnvironment = NullIfBlank(Environment.GetEnvironmentVariable(GatewaysVariable));
        return fromEnvironment is null
            ? LocalGateways
            : fromEnvironment.Split([',', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }

    private static bool IsExplicit(SymbolResult? result) => result is OptionResult { Implicit: false };

    private static string? NullIfBlank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
