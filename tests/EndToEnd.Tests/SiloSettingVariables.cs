using System.Reflection;

namespace Orleans.Gan.EndToEnd.Tests;

/// <summary>
/// The <c>ORLEANS_GAN_Silo__*</c> variables the silo reads: one per property of its settings type, taken from the
/// silo these tests built, so that a deployment file naming a setting that does not exist (or no longer does) fails.
/// </summary>
internal static class SiloSettingVariables
{
    public const string Prefix = "ORLEANS_GAN_Silo__";

    private static readonly Lazy<Type> Settings =
        new(() => Assembly.LoadFrom(Binaries.Silo).GetType("Orleans.Gan.Silo.SiloSettings", throwOnError: true)!);

    public static bool IsSetting(string variable) =>
        variable.StartsWith(Prefix, StringComparison.Ordinal) && Settings.Value.GetProperty(variable[Prefix.Length..]) is not null;
}
