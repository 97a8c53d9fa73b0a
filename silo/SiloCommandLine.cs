using System.CommandLine;
using System.ComponentModel;
using System.Globalization;
using System.Reflection;

namespace Orleans.Gan.Silo;

/// <summary>
/// The silo's flags, parsed with System.CommandLine as the client parses its own: <c>--help</c> lists every setting
/// with its default and environment variable, and an unknown flag or a value of the wrong type is refused with exit
/// code 2 before anything listens. The values themselves are then read through configuration
/// (<see cref="SiloSettings"/>), so appsettings.json, environment variables and flags still layer as before, and
/// <see cref="SiloSettings.Validate"/> checks their ranges.
/// </summary>
public static class SiloCommandLine
{
    /// <summary>Null when the silo should start with <paramref name="args"/>; else the exit code, after printing the help or the error.</summary>
    public static int? Parse(string[] args)
    {
        var root = new RootCommand("Orleans.Gan silo: hosts the training grains (workers, data shards, coordinators, samplers) "
            + "and serves /metrics, /healthz and the faces page. Each setting comes from appsettings.json (section Silo), "
            + "then its environment variable, then its flag, later ones winning.");
        var defaults = new SiloSettings();
        foreach (var (flag, key) in SiloSettings.CommandLineSwitches)
            root.Options.Add(OptionFor(flag, typeof(SiloSettings).GetProperty(key[(SiloSettings.Section.Length + 1)..])!, defaults));

        var result = root.Parse(args);
        if (result.Errors.Count > 0)
        {
            foreach (var error in result.Errors)
                Console.Error.WriteLine($"silo: {error.Message}");
            Console.Error.WriteLine("silo: see silo --help.");
            return BadSetting.ExitCode;
        }
        // --help or --version: their actions print, and return 0.
        return result.Action is null ? null : result.Invoke();
    }

    private static Option OptionFor(string flag, PropertyInfo property, SiloSettings defaults)
    {
        var value = property.GetValue(defaults);
        string help = property.GetCustomAttribute<DescriptionAttribute>()?.Description
            ?? throw new InvalidOperationException($"SiloSettings.{property.Name} has no [Description] for --help.");
        string description = $"{help} [default: {(value is null ? "none" : Convert.ToString(value, CultureInfo.InvariantCulture))}] "
            + $"[env: ORLEANS_GAN_{SiloSettings.Section}__{property.Name}]";
        Option option = property.PropertyType == typeof(int) ? new Option<int>(flag)
            : property.PropertyType == typeof(double) ? new Option<double>(flag)
            // A value always follows the flag, as configuration's command-line reader expects: --dashboard false.
            : property.PropertyType == typeof(bool) ? new Option<bool>(flag) { Arity = ArgumentArity.ExactlyOne }
            : new Option<string>(flag);
        option.Description = description;
        option.HelpName = property.PropertyType == typeof(string) ? "TEXT" : property.PropertyType == typeof(bool) ? "true|false" : "NUMBER";
        return option;
    }
}
