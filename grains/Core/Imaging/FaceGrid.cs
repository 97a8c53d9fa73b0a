using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using static TorchSharp.torch;

namespace Orleans.Gan.Core.Imaging;

/// <summary>Turns generated images into PNG files: one grid, or one file per face.</summary>
public static class FaceGrid
{
    private const int Padding = 2;

    /// <summary>A grid of <paramref name="images"/> ([N, 3, S, S] in [-1, 1]), <paramref name="columns"/> wide, as PNG bytes.</summary>
    public static byte[] ToPng(Tensor images, int columns = 8)
    {
        var pixels = ToBytes(images, out int count, out int size);
        columns = Math.Clamp(columns, 1, Math.Max(1, count));
        int rows = (count + columns - 1) / columns;
        using var grid = new Image<Rgb24>(
            columns * size + (columns + 1) * Padding, rows * size + (rows + 1) * Padding, new Rgb24(0, 0, 0));
        for (int i = 0; i < count; i++)
            Draw(grid, pixels, i, size, Padding + (i % columns) * (size + Padding), Padding + (i / columns) * (size + Padding));
        return Encode(grid);
    }

    /// <summary>Each of <paramref name="images"/> as a PNG of its own.</summary>
    public static IReadOnlyList<byte[]> ToPngs(Tensor images)
    {
        var pixels = ToBytes(images, out int count, out int size);
        var pngs = new List<byte[]>(count);
        for (int i = 0; i < count; i++)
        {
            using var face = new Image<Rgb24>(size, size);
            Draw(face, pixels, i, size, 0, 0);
            pngs.Add(Encode(face));
        }
        return pngs;
    }

    /// <summary>[-1, 1] floats to 0..255 bytes, CHW per image, in one bulk copy.</summary>
    private static byte[] ToBytes(Tensor images, out int count, out int size)
    {
        if (images.dim() != 4 || images.shape[1] != 3 || images.shape[2] != images.shape[3])
            throw new ArgumentException($"Expected images of shape [N, 3, S, S], got [{string.Join(", ", images.shape)}].", nameof(images));
        count = (int)images.shape[0];
        size = (int)images.shape[2];
        using var scope = NewDisposeScope();
        var scaled = images.detach().cpu().add(1).mul(127.5).round().clamp(0, 255).to(ScalarType.Byte).contiguous();
        return scaled.bytes.ToArray();
    }

    private static void Draw(Image<Rgb24> target, byte[] pixels, int index, int size, int left, int top)
    {
        int plane = size * size, offset = index * 3 * plane;
        for (int y = 0; y < size; y++)
        {
            for (int x = 0; x < size; x++)
            {
                int at = offset + y * size + x;
                target[left + x, top + y] = new Rgb24(pixels[at], pixels[at + plane], pixels[at + 2 * plane]);
            }
        }
    }

    private static byte[] Encode(Image<Rgb24> image)
    {
        using var stream = new MemoryStream();
        image.SaveAsPng(stream);
        return stream.ToArray();
    }
}
