namespace Orleans.Gan.Client;

/// <summary>No silo of the cluster could be reached; its message says where we looked and what to do.</summary>
internal sealed class ClusterUnreachableException(string message, Exception? innerException = null)
    : Exception(message, innerException);
