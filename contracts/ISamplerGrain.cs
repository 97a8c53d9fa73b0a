namespace Orleans.Gan.Contracts;

/// <summary>Answers requests for faces from a run's newest G_ema or G, keyed by the run's name.</summary>
public interface ISamplerGrain : IGrainWithStringKey
{
    /// <summary>The most faces one request may ask for.</summary>
    public const int MaxFaces = 1024;

    /// <summary>A grid of <paramref name="count"/> faces for noise from <paramref name="seed"/>, as PNG bytes.</summary>
    Task<byte[]> SampleGrid(int count, long seed, GeneratorChoice generator);

    /// <summary><paramref name="count"/> faces for noise from <paramref name="seed"/>, each as PNG bytes.</summary>
    Task<IReadOnlyList<byte[]>> SampleFaces(int count, long seed, GeneratorChoice generator);
}
