namespace Orleans.Gan.Core.Quality;

/// <summary>The distance at one pyramid level, x10^3 as ProGAN reports it.</summary>
/// <param name="Size">The level's width and height in pixels.</param>
public readonly record struct SwdLevelScore(int Size, double Value);
