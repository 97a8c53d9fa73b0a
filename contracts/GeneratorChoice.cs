namespace Orleans.Gan.Contracts;

/// <summary>Which generator faces are drawn with: G_ema, the averaged generator (the default), or G itself.</summary>
[GenerateSerializer]
public enum GeneratorChoice
{
    Ema,
    Raw,
}
