namespace Orleans.Gan.Contracts;

/// <summary>Which network of the master a slice step is for.</summary>
[GenerateSerializer]
public enum MasterNetwork
{
    Generator,
    Discriminator,
}
