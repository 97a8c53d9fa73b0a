using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace Orleans.Gan.Data;

/// <summary>
/// Turns one CelebA JPEG into the GAN's input: the centre 108x108 crop (the DCGAN CelebA convention, which keeps
/// eyes, nose, mouth and a little hair of the aligned 178x218 images), resized to a square of ImageSize, as uint8
/// RGB in CHW order. Files that cannot be used are rejected with a reason; no exception escapes.
/// </summary>
public sealed class FacePreprocessor
{
    public const int CelebaCropSize = 108;

    /// <summary>Images declaring more pixels than this are refused before decoding, so a hostile header cannot
    /// make the decoder allocate gigabytes.</summary>
    public const long MaxPixels = 4096L * 4096L;

    // Callers parallelise across images; ImageSharp's own parallelism inside one small image would only add
    // scheduling overhead on top.
    private static readonly Configuration SingleThreaded = CreateSingleThreadedConfiguration();

    public const int MinImageSize = 8;

    /// <summary>Keeps 3 * size * size within an int.</summary>
    public const int MaxImageSize = 4096;

    public FacePreprocessor(int imageSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(imageSize, MinImageSize);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(imageSize, MaxImageSize);
        ImageSize = imageSize;
    }

    public int ImageSize { get; }

    /// <summary>Bytes per preprocessed image: 3 channels of ImageSize x ImageSize.</summary>
    public int PixelBytes => 3 * ImageSize * ImageSize;

    public PreprocessResult Process(byte[] file)
    {
        ArgumentNullException.ThrowIfNull(file);
        if (file.Length == 0)
        {
            return PreprocessResult.Failure(SkipReason.EmptyFile, "file is empty");
        }

        if (file.Length < 3 || file[0] != 0xFF || file[1] != 0xD8 || file[2] != 0xFF)
        {
            return PreprocessResult.Failure(SkipReason.NotJpeg, $"file does not start with the JPEG marker FF D8 FF ({DescribeMagic(file)})");
        }

        try
        {
            using var stream = new MemoryStream(file, writable: false);
            IImageInfo? info = Image.Identify(SingleThreaded, stream);
            if (info is null)
            {
                return PreprocessResult.Failure(SkipReason.Undecodable, "JPEG header could not be read");
            }

            if ((long)info.Width * info.Height > MaxPixels)
            {
                return PreprocessResult.Failure(
                    SkipReason.TooLarge, $"header declares {info.Width}x{info.Height}, above the {MaxPixels} pixel limit");
            }

            // ImageSharp decodes a truncated JPEG without complaint and fills the missing part with grey, so
            // truncation is detected by the missing end-of-image marker instead.
            if (!EndsWithEndOfImage(file))
            {
                return PreprocessResult.Failure(SkipReason.Truncated, "no JPEG end-of-image marker FF D9 at the end");
            }

            using Image<Rgb24> image = Image.Load<Rgb24>(SingleThreaded, file);
            return PreprocessResult.Success(CropResizeToChw(image));
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            return PreprocessResult.Failure(SkipReason.Undecodable, exception.Message);
        }
    }

    private byte[] CropResizeToChw(Image<Rgb24> image)
    {
        int crop = Math.Min(CelebaCropSize, Math.Min(image.Width, image.Height));
        var cropArea = new Rectangle((image.Width - crop) / 2, (image.Height - crop) / 2, crop, crop);
        image.Mutate(context =>
        {
            context.Crop(cropArea);
            if (crop != ImageSize)
            {
                // Bicubic widens its kernel when shrinking, so 108 -> 64 or 28 is antialiased like PIL's resize
                // used by torchvision's CelebA pipelines; a fixed sampler keeps the cache reproducible.
                context.Resize(new ResizeOptions
                {
                    Size = new Size(ImageSize, ImageSize),
                    Sampler = KnownResamplers.Bicubic,
                    Mode = ResizeMode.Stretch,
                });
            }
        });

        int plane = ImageSize * ImageSize;
        var chw = new byte[3 * plane];
        image.ProcessPixelRows(accessor =>
        {
            for (int y = 0; y < accessor.Height; y++)
            {
                Span<Rgb24> row = accessor.GetRowSpan(y);
                int offset = y * ImageSize;
                for (int x = 0; x < row.Length; x++)
                {
                    chw[offset + x] = row[x].R;
                    chw[plane + offset + x] = row[x].G;
                    chw[2 * plane + offset + x] = row[x].B;
                }
            }
        });
        return chw;
    }

    private static bool EndsWithEndOfImage(byte[] file)
    {
        // Some encoders pad after the marker with zero bytes; anything else after it is not expected.
        int end = file.Length;
        while (end > 2 && file[end - 1] == 0)
        {
            end--;
        }

        return file[end - 2] == 0xFF && file[end - 1] == 0xD9;
    }

    private static string DescribeMagic(byte[] file)
    {
        ReadOnlySpan<byte> png = [0x89, (byte)'P', (byte)'N', (byte)'G'];
        if (file.AsSpan().StartsWith(png))
        {
            return "it is a PNG";
        }

        return "starts with " + Convert.ToHexString(file.AsSpan(0, Math.Min(4, file.Length)));
    }

    private static Configuration CreateSingleThreadedConfiguration()
    {
        Configuration configuration = Configuration.Default.Clone();
        configuration.MaxDegreeOfParallelism = 1;
        return configuration;
    }
}
