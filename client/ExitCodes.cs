namespace Orleans.Gan.Client;

/// <summary>The process exit codes, documented in the README so that scripts can tell failures apart.</summary>
internal static class ExitCodes
{
    public const int Success = 0;

    /// <summary>The cluster answered but the work failed: a failed run, an unknown run, a refused start.</summary>
    public const int Failure = 1;

    public const int BadFlags = 2;

    public const int ClusterUnreachable = 3;
}
