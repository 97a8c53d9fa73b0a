namespace Orleans.Gan.Core.Quality;

/// <summary>The random inputs of one pyramid level: where patches are cut from each set, and the directions.</summary>
/// <param name="Size">The level's width and height in pixels.</param>
public sealed record SwdLevelDraws(int Size, PatchCorners Real, PatchCorners Fake, ProjectionDirections Directions);
