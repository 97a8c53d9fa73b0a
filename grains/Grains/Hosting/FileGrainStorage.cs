using Orleans.Gan.Data;
using Orleans.Serialization;
using Orleans.Storage;

namespace Orleans.Gan.Grains.Hosting;

/// <summary>
/// Grain state as one file per grain under a folder, written atomically: the single-machine stand-in for Redis, so
/// that a run's record survives its silo without any server. The folder must be shared by the silos that should be
/// able to take over (it is, on one machine).
/// </summary>
public sealed class FileGrainStorage(string folder, Serializer serializer) : IGrainStorage
{
    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var path = PathOf(stateName, grainId);
        if (!File.Exists(path))
            return Task.CompletedTask;
        grainState.State = serializer.Deserialize<T>(File.ReadAllBytes(path));
        grainState.ETag = File.GetLastWriteTimeUtc(path).Ticks.ToString(System.Globalization.CultureInfo.InvariantCulture);
        grainState.RecordExists = true;
        return Task.CompletedTask;
    }

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var path = PathOf(stateName, grainId);
        Directory.CreateDirectory(folder);
        AtomicFile.Write(path, serializer.SerializeToArray(grainState.State));
        grainState.ETag = File.GetLastWriteTimeUtc(path).Ticks.ToString(System.Globalization.CultureInfo.InvariantCulture);
        grainState.RecordExists = true;
        return Task.CompletedTask;
    }

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        File.Delete(PathOf(stateName, grainId));
        grainState.RecordExists = false;
        grainState.ETag = null;
        return Task.CompletedTask;
    }

    // Grain ids hold '/' and '@'; the escaped form is a safe, reversible file name.
    private string PathOf(string stateName, GrainId grainId) =>
        Path.Combine(folder, $"{Uri.EscapeDataString(grainId.ToString())}.{stateName}.bin");
}
