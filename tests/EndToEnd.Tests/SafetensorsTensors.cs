using System.Buffers.Binary;
using System.Text.Json;

namespace Orleans.Gan.EndToEnd.Tests;

/// <summary>
/// Every tensor of a safetensors file as its raw bytes, read straight from the format (8-byte header length, JSON
/// header, data) rather than through the code under test, so that two checkpoints can be compared byte for byte.
/// </summary>
internal static class SafetensorsTensors
{
    public static Dictionary<string, byte[]> Read(string path)
    {
        var file = File.ReadAllBytes(path);
        var headerLength = checked((int)BinaryPrimitives.ReadUInt64LittleEndian(file));
        var data = file.AsSpan(sizeof(ulong) + headerLength);
        using var header = JsonDocument.Parse(file.AsMemory(sizeof(ulong), headerLength));
        var tensors = new Dictionary<string, byte[]>();
        foreach (var entry in header.RootElement.EnumerateObject().Where(e => e.Name != "__metadata__"))
        {
            var offsets = entry.Value.GetProperty("data_offsets");
            int begin = offsets[0].GetInt32(), end = offsets[1].GetInt32();
            tensors[entry.Name] = data[begin..end].ToArray();
        }
        return tensors;
    }
}
