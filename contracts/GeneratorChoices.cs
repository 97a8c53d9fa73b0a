namespace Orleans.Gan.Contracts;

/// <summary>The names of <see cref="GeneratorChoice"/> on command lines and in URLs: <c>ema</c> and <c>raw</c>.</summary>
public static class GeneratorChoices
{
    public const string Ema = "ema";
    public const string Raw = "raw";

    /// <summary>The choice a name stands for, or null for any other name.</summary>
    public static GeneratorChoice? Parse(string name) => name switch
    {
        Ema => GeneratorChoice.Ema,
        Raw => GeneratorChoice.Raw,
        _ => null,
    };
}
