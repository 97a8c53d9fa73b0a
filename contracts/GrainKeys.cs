using System.Text.RegularExpressions;

namespace Orleans.Gan.Contracts;

/// <summary>
/// Keys of workers, silo stages and data shards end in <c>@silo-name</c>: the placement director activates them on that silo.
/// Run names are restricted so that they cannot contain the separators, and so that they are safe folder names.
/// </summary>
public static partial class GrainKeys
{
    public static string Worker(string run, int index, string silo) => $"{run}/worker-{index}@{silo}";

    public static string Stage(string run, string silo) => $"{run}/stage@{silo}";

    public static string Shard(string run, int index, int count, string silo) => $"{run}/shard-{index}-of-{count}@{silo}";

    /// <summary>The run a worker, stage or shard key belongs to.</summary>
    public static string RunOf(string key) => key[..key.IndexOf('/')];

    /// <summary>The silo a worker or shard key names, or null for keys without one.</summary>
    public static string? SiloOf(string key)
    {
        int at = key.LastIndexOf('@');
        return at < 0 ? null : key[(at + 1)..];
    }

    /// <summary>Null when <paramref name="run"/> is a valid run name, else why not.</summary>
    public static string? ValidateRunName(string run) =>
        RunName().IsMatch(run) ? null : $"Run name '{run}' must be 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit.";

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")]
    private static partial Regex RunName();
}
