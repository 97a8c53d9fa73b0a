using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using Orleans.Gan.Core.Quality;
using static TorchSharp.torch;

namespace Orleans.Gan.Core.Tests.Quality;

/// <summary>
/// Writes the inputs of one score for bench/quality/swd_reference.py: swd-input.json naming raw little-endian arrays
/// (images float32, patch corners int32, directions float64), the layout the script's docstring describes.
/// </summary>
internal static class SwdReferenceInputs
{
    public const string HeaderFileName = "swd-input.json";

    public static void Write(string folder, Tensor real, Tensor fake, SwdDraws draws)
    {
        if (!BitConverter.IsLittleEndian)
            throw new PlatformNotSupportedException("The reference inputs are written as little-endian arrays.");
        Directory.CreateDirectory(folder);
        var levels = new JsonArray();
        foreach (var level in draws.Levels)
        {
            string prefix = $"level-{level.Size}-";
            levels.Add(new JsonObject
            {
                ["size"] = level.Size,
                ["real_tops"] = Array(folder, prefix + "real-tops", "<i4", [level.Real.Count], MemoryMarshal.AsBytes<int>(level.Real.Tops)),
                ["real_lefts"] = Array(folder, prefix + "real-lefts", "<i4", [level.Real.Count], MemoryMarshal.AsBytes<int>(level.Real.Lefts)),
                ["fake_tops"] = Array(folder, prefix + "fake-tops", "<i4", [level.Fake.Count], MemoryMarshal.AsBytes<int>(level.Fake.Tops)),
                ["fake_lefts"] = Array(folder, prefix + "fake-lefts", "<i4", [level.Fake.Count], MemoryMarshal.AsBytes<int>(level.Fake.Lefts)),
                ["directions"] = Array(folder, prefix + "directions", "<f8",
                    [level.Directions.Repeats, level.Directions.Dimension, level.Directions.PerRepeat],
                    MemoryMarshal.AsBytes<double>(level.Directions.Values)),
            });
        }
        var header = new JsonObject
        {
            ["patch_size"] = SlicedWassersteinDistance.PatchSize,
            ["real"] = Images(folder, "real", real),
            ["fake"] = Images(folder, "fake", fake),
            ["levels"] = levels,
        };
        File.WriteAllText(Path.Combine(folder, HeaderFileName), header.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
    }

    private static JsonObject Images(string folder, string name, Tensor images)
    {
        using var values = images.detach().cpu().to(ScalarType.Float32).contiguous();
        return Array(folder, name, "<f4", values.shape, values.bytes);
    }

    private static JsonObject Array(string folder, string name, string dtype, long[] shape, ReadOnlySpan<byte> bytes)
    {
        string file = name + ".bin";
        File.WriteAllBytes(Path.Combine(folder, file), bytes.ToArray());
        return new JsonObject
        {
            ["file"] = file,
            ["dtype"] = dtype,
            ["shape"] = new JsonArray([.. shape.Select(length => (JsonNode)length)]),
        };
    }
}
