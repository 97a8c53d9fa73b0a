using Orleans.Runtime;
using Orleans.Runtime.Messaging;

namespace Orleans.Gan.Client;

/// <summary>Tells failures of the connection to the cluster apart from errors that a grain threw.</summary>
internal static class ConnectionLoss
{
    public static bool Is(Exception exception) => exception is
        SiloUnavailableException or
        OrleansMessageRejectionException or
        ConnectionFailedException or
        GatewayTooBusyException or
        ClusterUnreachableException or
        TimeoutException;
}
