using Orleans.Gan.Data;
using System.IO.Hashing;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Orleans.Gan.Core.Models;
using Orleans.Gan.Core.Training;
using System.Runtime.InteropServices;
using TorchSharp.Modules;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace Orleans.Gan.Core.Checkpoints;

/// <summary>
/// One safetensors file per checkpoint. G and D are stored under <c>generator.</c> and <c>discriminator.</c> followed by
/// their state-dict names, so that PyTorch loads dcgan64 weights into its reference model after stripping the prefix.
/// Each Adam state is stored under <c>optimizer.generator.</c> or <c>optimizer.discriminator.</c> followed by the names
/// of PyTorch's optimizer state dict (<c>state.{i}.exp_avg</c>, <c>state.{i}.exp_avg_sq</c>, <c>state.{i}.step</c>,
/// i the parameter's index), so that <c>torch.optim.Adam</c> continues from it; G_ema, where the run keeps one, under
/// <c>generator_ema.</c> followed by G's names, so that PyTorch loads it into the same generator class; checkpoints written before kept it as
/// one uint8 tensor in TorchSharp's own format, and still load. The <see cref="CheckpointState"/> (JSON) is a uint8
/// tensor beside them. Files are written with <see cref="AtomicFile"/>: a crash never leaves half a checkpoint. The
/// state carries a checksum of all the other tensors, verified on every load: a flipped bit in a weight would
/// otherwise load silently and train on, so it makes the file damaged, and the checkpoint before it is used.
/// </summary>
public static class CheckpointFile
{
    public const string GeneratorPrefix = "generator.";
    public const string DiscriminatorPrefix = "discriminator.";
    public const string AveragePrefix = "generator_ema.";
    private const string GeneratorAdamKey = "optimizer.generator";
    private const string DiscriminatorAdamKey = "optimizer.discriminator";
    private const string StateKey = "training_state";

    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = false,
        Converters = { new JsonStringEnumConverter() },
    };

    public static void Save(string path, GanNetworks networks, GanOptimizers optimizers, CheckpointState state, GeneratorAverage? average = null)
    {
        using var scope = NewDisposeScope();
        var tensors = new Dictionary<string, Tensor>();
        foreach (var (name, tensor) in networks.Generator.state_dict())
            tensors[GeneratorPrefix + name] = tensor;
        if (average is not null)
        {
            foreach (var (name, tensor) in average.Networks.Generator.state_dict())
                tensors[AveragePrefix + name] = tensor;
        }
        foreach (var (name, tensor) in networks.Discriminator.state_dict())
            tensors[DiscriminatorPrefix + name] = tensor;
        AddAdam(tensors, GeneratorAdamKey, optimizers.Generator);
        AddAdam(tensors, DiscriminatorAdamKey, optimizers.Discriminator);
        var checkedState = state with { ContentHash = ContentHash(tensors) };
        // Last in the file: a file cut short anywhere loses the state, so ReadState alone already refuses it.
        tensors[StateKey] = tensor(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(checkedState, Json)));

        AtomicFile.Write(path, stream => Safetensors.SaveStateDict(stream, tensors, leaveOpen: true));
    }

    /// <summary>Reads only the training state, to decide how to resume, without touching any network.</summary>
    public static CheckpointState ReadState(string path)
    {
        using var scope = NewDisposeScope();
        return ParseState(path, Open(path, [StateKey]));
    }

    /// <summary>
    /// Restores networks, optimizers and G_ema built for the same config, and returns the training state. G_ema starts
    /// as G where the checkpoint has none (written before G_ema, or by a run that kept none).
    /// </summary>
    public static CheckpointState Load(string path, GanNetworks networks, GanOptimizers optimizers, GeneratorAverage? average = null)
    {
        using var scope = NewDisposeScope();
        var tensors = Open(path, keysToKeep: null);
        var state = Verified(path, tensors);
        if (state.Config.Model != networks.Config)
            throw new CheckpointException(
                $"{path} holds a {state.Config.Model.Describe()} model; this run builds a {networks.Config.Describe()} model.",
                CheckpointProblem.OtherNetworks);
        try
        {
            LoadWeights(tensors, networks);
            LoadAdam(tensors, GeneratorAdamKey, optimizers.Generator);
            LoadAdam(tensors, DiscriminatorAdamKey, optimizers.Discriminator);
            if (average is not null)
                LoadAverage(tensors, average);
        }
        catch (Exception e) when (e is not CheckpointException)
        {
            throw new CheckpointException($"{path} does not fit the networks of its own config: {e.Message}", inner: e);
        }
        return state;
    }

    /// <summary>Both networks of a checkpoint, built from its own config: what the sampler needs, without optimizers.</summary>
    /// <param name="averaged">G from G_ema where the checkpoint has one.</param>
    public static (GanNetworks Networks, CheckpointState State) LoadNetworks(string path, bool averaged = false)
    {
        using var scope = NewDisposeScope();
        var tensors = Open(path, keysToKeep: null);
        var state = Verified(path, tensors);
        var networks = GanNetworks.Create(state.Config.Model, state.Config.Seed);
        try
        {
            LoadWeights(tensors, networks);
            if (averaged && HasAverage(tensors))
            {
                using var noGrad = no_grad();
                networks.Generator.load_state_dict(WithPrefix(tensors, AveragePrefix));
            }
            return (networks, state);
        }
        catch (Exception e)
        {
            networks.Dispose();
            throw new CheckpointException($"{path} does not fit the networks of its own config: {e.Message}", inner: e);
        }
    }

    private static Dictionary<string, Tensor> Open(string path, List<string>? keysToKeep)
    {
        if (!File.Exists(path))
            throw new CheckpointException($"No checkpoint at {path}.");
        try
        {
            using var stream = File.OpenRead(path);
            return Safetensors.LoadStateDict(stream, leaveOpen: false, keysToKeep);
        }
        catch (Exception e)
        {
            throw new CheckpointException($"{path} is not a readable checkpoint (truncated or not safetensors): {e.Message}", inner: e);
        }
    }

    private static CheckpointState ParseState(string path, Dictionary<string, Tensor> tensors)
    {
        if (!tensors.TryGetValue(StateKey, out var stateBytes))
            throw new CheckpointException($"{path} is a safetensors file but not an Orleans.Gan checkpoint: it has no {StateKey}.");
        try
        {
            return JsonSerializer.Deserialize<CheckpointState>(stateBytes.bytes, Json)
                ?? throw new CheckpointException($"{path} has an empty {StateKey}.");
        }
        catch (JsonException e)
        {
            throw new CheckpointException($"{path} has an unreadable {StateKey}: {e.Message}", inner: e);
        }
    }

    /// <summary>The state, once the tensors beside it are checked against the checksum it carries.</summary>
    private static CheckpointState Verified(string path, Dictionary<string, Tensor> tensors)
    {
        var state = ParseState(path, tensors);
        if (state.ContentHash is { } expected && ContentHash(tensors) is var actual && actual != expected)
            throw new CheckpointException($"{path} is damaged: its tensors' checksum is {actual}, not the {expected} written with them.");
        return state;
    }

    /// <summary>XxHash128 of every tensor but the state: names in ordinal order, each with its type, shape and bytes.</summary>
    private static string ContentHash(Dictionary<string, Tensor> tensors)
    {
        using var scope = NewDisposeScope();
        var hash = new XxHash128();
        foreach (var name in tensors.Keys.Where(k => k != StateKey).Order(StringComparer.Ordinal))
        {
            var tensor = tensors[name].cpu().contiguous();
            hash.Append(Encoding.UTF8.GetBytes(name));
            hash.Append([(byte)tensor.dtype]);
            foreach (long dimension in tensor.shape)
                hash.Append(BitConverter.GetBytes(dimension));
            hash.Append(tensor.bytes);
        }
        return Convert.ToHexStringLower(hash.GetCurrentHash());
    }

    private static void LoadWeights(Dictionary<string, Tensor> tensors, GanNetworks networks)
    {
        using var noGrad = no_grad();
        networks.Generator.load_state_dict(WithPrefix(tensors, GeneratorPrefix));
        networks.Discriminator.load_state_dict(WithPrefix(tensors, DiscriminatorPrefix));
    }

    private static bool HasAverage(Dictionary<string, Tensor> tensors) =>
        tensors.Keys.Any(k => k.StartsWith(AveragePrefix, StringComparison.Ordinal));

    private static void LoadAverage(Dictionary<string, Tensor> tensors, GeneratorAverage average)
    {
        if (!HasAverage(tensors))
        {
            average.CopyFromGenerator();
            return;
        }
        using var noGrad = no_grad();
        average.Networks.Generator.load_state_dict(WithPrefix(tensors, AveragePrefix));
    }

    private static Dictionary<string, Tensor> WithPrefix(Dictionary<string, Tensor> tensors, string prefix) =>
        tensors.Where(kv => kv.Key.StartsWith(prefix, StringComparison.Ordinal))
            .ToDictionary(kv => kv.Key[prefix.Length..], kv => kv.Value);

    /// <summary>The moments and step of every parameter, shaped as the parameter, under PyTorch's state-dict names.</summary>
    private static void AddAdam(Dictionary<string, Tensor> tensors, string key, FlatAdam adam)
    {
        foreach (var (segment, index) in adam.Parameters.Segments.Select((s, i) => (s, i)))
        {
            tensors[$"{key}.state.{index}.exp_avg"] = tensor(adam.ExpAvg[segment.Range].ToArray(), segment.Tensor.shape);
            tensors[$"{key}.state.{index}.exp_avg_sq"] = tensor(adam.ExpAvgSq[segment.Range].ToArray(), segment.Tensor.shape);
            // PyTorch keeps each parameter's step as a float32 scalar tensor.
            tensors[$"{key}.state.{index}.step"] = tensor((float)adam.Steps);
        }
    }

    private static void LoadAdam(Dictionary<string, Tensor> tensors, string key, FlatAdam adam)
    {
        if (tensors.TryGetValue(key, out var torchSharpFormat))
        {
            LoadTorchSharpAdam(torchSharpFormat, adam);
            return;
        }
        foreach (var (segment, index) in adam.Parameters.Segments.Select((s, i) => (s, i)))
        {
            CopyMoment(tensors, $"{key}.state.{index}.exp_avg", adam.ExpAvg[segment.Range]);
            CopyMoment(tensors, $"{key}.state.{index}.exp_avg_sq", adam.ExpAvgSq[segment.Range]);
            adam.Steps = (long)Required(tensors, $"{key}.state.{index}.step").item<float>();
        }
    }

    private static void CopyMoment(Dictionary<string, Tensor> tensors, string name, Span<float> destination)
    {
        var moment = Required(tensors, name);
        if (moment.dtype != ScalarType.Float32 || moment.numel() != destination.Length)
            throw new InvalidDataException($"{name} holds {moment.numel()} {moment.dtype} values; its parameter has {destination.Length} float32.");
        MemoryMarshal.Cast<byte, float>(moment.contiguous().bytes).CopyTo(destination);
    }

    private static Tensor Required(Dictionary<string, Tensor> tensors, string name) =>
        tensors.TryGetValue(name, out var found) ? found : throw new InvalidDataException($"it has no {name}.");

    /// <summary>An Adam state in TorchSharp's own format, as checkpoints before the flat optimizer kept it, read through TorchSharp's Adam.</summary>
    private static void LoadTorchSharpAdam(Tensor bytes, FlatAdam adam)
    {
        using var reader = new BinaryReader(new MemoryStream(bytes.bytes.ToArray()));
        using var torchSharpAdam = optim.Adam(adam.Parameters.Segments.Select(s => (Parameter)s.Tensor));
        torchSharpAdam.load_state_dict(reader);
        foreach (var (state, segment) in torchSharpAdam.state_dict().State.Cast<Adam.State>().Zip(adam.Parameters.Segments))
        {
            MemoryMarshal.Cast<byte, float>(state.exp_avg.contiguous().bytes).CopyTo(adam.ExpAvg[segment.Range]);
            MemoryMarshal.Cast<byte, float>(state.exp_avg_sq.contiguous().bytes).CopyTo(adam.ExpAvgSq[segment.Range]);
            adam.Steps = state.step;
        }
    }
}
