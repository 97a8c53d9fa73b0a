using System.Reflection;
using Orleans.Gan.Contracts;

namespace Orleans.Gan.Silo.Web;

/// <summary><c>/</c>: the runs, their loss curves and the newest faces (of G_ema, or of G with <c>?generator=raw</c>), with the two JSON and PNG endpoints it polls.</summary>
public static class FacesPage
{
    private const int DefaultFaces = 64;

    private static readonly Lazy<string> Html = new(() =>
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("Orleans.Gan.Silo.index.html")
            ?? throw new InvalidOperationException("The faces page is missing from the silo assembly.");
        return new StreamReader(stream).ReadToEnd();
    });

    public static IEndpointRouteBuilder MapFacesPage(this IEndpointRouteBuilder endpoints, string runsDirectory)
    {
        endpoints.MapGet("/", () => Results.Content(Html.Value, "text/html; charset=utf-8"));
        endpoints.MapGet("/api/runs", (IGrainFactory grains) => RunSummary.ReadAllAsync(grains, runsDirectory));
        endpoints.MapGet("/api/runs/{run}/samples.png", SamplesAsync);
        return endpoints;
    }

    private static async Task<IResult> SamplesAsync(string run, int? count, long? seed, string? generator, IGrainFactory grains)
    {
        if (GrainKeys.ValidateRunName(run) is { } invalid)
            return Results.BadRequest(invalid);
        if (GeneratorChoices.Parse(generator ?? GeneratorChoices.Ema) is not { } choice)
            return Results.BadRequest($"generator must be {GeneratorChoices.Ema} or {GeneratorChoices.Raw}, not '{generator}'.");
        int faces = count ?? DefaultFaces;
        if (faces is < 1 or > ISamplerGrain.MaxFaces)
            return Results.BadRequest($"count must be from 1 to {ISamplerGrain.MaxFaces}, not {faces}.");
        try
        {
            var png = await grains.GetGrain<ISamplerGrain>(run).SampleGrid(faces, seed ?? 0, choice);
            return Results.File(png, "image/png");
        }
        catch (InvalidOperationException e)
        {
            // The run has neither a generator in memory nor a checkpoint yet.
            return Results.NotFound(e.Message);
        }
    }
}
