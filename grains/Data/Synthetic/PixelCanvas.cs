using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace Orleans.Gan.Data.Synthetic;

/// <summary>
/// A small RGB raster with the few antialiased primitives the synthetic faces need (ImageSharp.Drawing is not
/// available). Coordinates are in pixels, pixel centres at +0.5.
/// </summary>
internal sealed class PixelCanvas
{
    private readonly byte[] _rgb;

    public PixelCanvas(int width, int height)
    {
        Width = width;
        Height = height;
        _rgb = new byte[width * height * 3];
    }

    public int Width { get; }

    public int Height { get; }

    public void FillVerticalGradient(Rgb24 top, Rgb24 bottom)
    {
        for (int y = 0; y < Height; y++)
        {
            Rgb24 colour = Lerp(top, bottom, y / (float)(Height - 1));
            for (int x = 0; x < Width; x++)
            {
                Blend(x, y, colour, 1f);
            }
        }
    }

    /// <summary>Fills an axis-aligned ellipse; <paramref name="shade"/> darkens towards the rim for a rounded look.</summary>
    public void FillEllipse(float cx, float cy, float rx, float ry, Rgb24 colour, float shade = 0f, float opacity = 1f)
    {
        ForEachPixel(cx - rx, cy - ry, cx + rx, cy + ry, (x, y, px, py) =>
        {
            float coverage = EllipseCoverage(px - cx, py - cy, rx, ry, out float radial);
            if (coverage > 0f)
            {
                Rgb24 shaded = shade > 0f ? Scale(colour, 1f - shade * radial * radial) : colour;
                Blend(x, y, shaded, coverage * opacity);
            }
        });
    }

    /// <summary>An ellipse outline of the given stroke width, centred on the ellipse's edge.</summary>
    public void StrokeEllipse(float cx, float cy, float rx, float ry, float width, Rgb24 colour)
    {
        float half = width / 2f;
        ForEachPixel(cx - rx - half, cy - ry - half, cx + rx + half, cy + ry + half, (x, y, px, py) =>
        {
            float outer = EllipseCoverage(px - cx, py - cy, rx + half, ry + half, out _);
            float inner = EllipseCoverage(px - cx, py - cy, rx - half, ry - half, out _);
            float coverage = outer - inner;
            if (coverage > 0f)
            {
                Blend(x, y, colour, coverage);
            }
        });
    }

    /// <summary>A line segment with round caps (a capsule) of the given thickness.</summary>
    public void DrawLine(float x0, float y0, float x1, float y1, float thickness, Rgb24 colour, float opacity = 1f)
    {
        float half = thickness / 2f;
        float dx = x1 - x0;
        float dy = y1 - y0;
        float lengthSquared = Math.Max(dx * dx + dy * dy, 1e-6f);
        ForEachPixel(Math.Min(x0, x1) - half, Math.Min(y0, y1) - half, Math.Max(x0, x1) + half, Math.Max(y0, y1) + half,
            (x, y, px, py) =>
            {
                float t = Math.Clamp(((px - x0) * dx + (py - y0) * dy) / lengthSquared, 0f, 1f);
                float ex = px - (x0 + t * dx);
                float ey = py - (y0 + t * dy);
                float coverage = Math.Clamp(half + 0.5f - MathF.Sqrt(ex * ex + ey * ey), 0f, 1f);
                if (coverage > 0f)
                {
                    Blend(x, y, colour, coverage * opacity);
                }
            });
    }

    public void FillRectangle(float left, float top, float right, float bottom, Rgb24 colour)
    {
        ForEachPixel(left, top, right, bottom, (x, y, px, py) =>
        {
            float coverage = Math.Clamp(Math.Min(px - left, right - px) + 0.5f, 0f, 1f)
                * Math.Clamp(Math.Min(py - top, bottom - py) + 0.5f, 0f, 1f);
            if (coverage > 0f)
            {
                Blend(x, y, colour, coverage);
            }
        });
    }

    /// <summary>Adds grain, which makes the JPEGs look photographic rather than flat vector art.</summary>
    public void AddNoise(Random random, int amplitude)
    {
        for (int i = 0; i < _rgb.Length; i++)
        {
            _rgb[i] = (byte)Math.Clamp(_rgb[i] + random.Next(-amplitude, amplitude + 1), 0, 255);
        }
    }

    public Image<Rgb24> ToImage() => Image.LoadPixelData<Rgb24>(_rgb, Width, Height);

    public static Rgb24 Lerp(Rgb24 a, Rgb24 b, float t) => new(
        (byte)Math.Clamp(a.R + (b.R - a.R) * t + 0.5f, 0f, 255f),
        (byte)Math.Clamp(a.G + (b.G - a.G) * t + 0.5f, 0f, 255f),
        (byte)Math.Clamp(a.B + (b.B - a.B) * t + 0.5f, 0f, 255f));

    public static Rgb24 Scale(Rgb24 colour, float factor) => new(
        (byte)Math.Clamp(colour.R * factor + 0.5f, 0f, 255f),
        (byte)Math.Clamp(colour.G * factor + 0.5f, 0f, 255f),
        (byte)Math.Clamp(colour.B * factor + 0.5f, 0f, 255f));

    /// <summary>
    /// Fraction of the pixel inside the ellipse, from a first-order distance to its edge; <paramref name="radial"/>
    /// is the normalised radius (0 at the centre, 1 on the edge).
    /// </summary>
    private static float EllipseCoverage(float dx, float dy, float rx, float ry, out float radial)
    {
        radial = 0f;
        if (rx <= 0f || ry <= 0f)
        {
            return 0f;
        }

        float u = dx / rx;
        float v = dy / ry;
        float f = u * u + v * v;
        radial = MathF.Sqrt(f);
        float gradient = 2f * MathF.Sqrt(u * u / (rx * rx) + v * v / (ry * ry));
        if (gradient < 1e-6f)
        {
            return 1f;
        }

        return Math.Clamp(0.5f - (f - 1f) / gradient, 0f, 1f);
    }

    private void ForEachPixel(float left, float top, float right, float bottom, Action<int, int, float, float> visit)
    {
        int x0 = Math.Max(0, (int)MathF.Floor(left) - 1);
        int y0 = Math.Max(0, (int)MathF.Floor(top) - 1);
        int x1 = Math.Min(Width - 1, (int)MathF.Ceiling(right) + 1);
        int y1 = Math.Min(Height - 1, (int)MathF.Ceiling(bottom) + 1);
        for (int y = y0; y <= y1; y++)
        {
            for (int x = x0; x <= x1; x++)
            {
                visit(x, y, x + 0.5f, y + 0.5f);
            }
        }
    }

    private void Blend(int x, int y, Rgb24 colour, float alpha)
    {
        int i = (y * Width + x) * 3;
        _rgb[i] = (byte)(_rgb[i] + (colour.R - _rgb[i]) * alpha + 0.5f);
        _rgb[i + 1] = (byte)(_rgb[i + 1] + (colour.G - _rgb[i + 1]) * alpha + 0.5f);
        _rgb[i + 2] = (byte)(_rgb[i + 2] + (colour.B - _rgb[i + 2]) * alpha + 0.5f);
    }
}
