namespace Orleans.Gan.Grains.Catalog;

/// <summary>The catalog's stored state: run names, and the subset that should be going.</summary>
[GenerateSerializer]
public sealed class RunCatalog
{
    [Id(0)]
    public SortedSet<string> Runs { get; set; } = new(StringComparer.Ordinal);

    [Id(1)]
    public SortedSet<string> Active { get; set; } = new(StringComparer.Ordinal);
}
