using System.Text.RegularExpressions;

namespace Orleans.Gan.Client;

/// <summary>Connection strings end up in error messages and CI logs, so their secrets are masked first.</summary>
internal static partial class RedisConnectionString
{
    public static string Mask(string connectionString) =>
        UserInfo().Replace(Password().Replace(connectionString, "$1***"), "$1***@");

    [GeneratedRegex(@"((?:password|pwd)\s*=\s*)[^,]*", RegexOptions.IgnoreCase)]
    private static partial Regex Password();

    [GeneratedRegex(@"(rediss?://)[^@/]*@", RegexOptions.IgnoreCase)]
    private static partial Regex UserInfo();
}
