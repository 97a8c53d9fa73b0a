using System.Collections;
using System.Globalization;
using Orleans.Gan.Core.Models;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace Orleans.Gan.Core.Checkpoints;

/// <summary>
/// Weights from a file a user has, for drawing faces or starting a run: a PyTorch state dict saved with
/// <c>torch.save(netG.state_dict(), …)</c> (pytorch/examples' DCGAN writes <c>netG_epoch_N.pth</c>), a safetensors
/// file of the same names, or one of our checkpoints (G and D). The architecture and its widths (nz, ngf) are read from
/// the tensors' shapes unless given; a file of another architecture is refused naming the first tensor that differs.
/// </summary>
public sealed class PretrainedWeights
{
    private const string OurCheckpointKey = "training_state";

    // Prefixes a generator's names may carry: ours (G and D in one checkpoint), and DataParallel's.
    private static readonly string[] GeneratorPrefixes = [CheckpointFile.GeneratorPrefix, "module."];

    private readonly IReadOnlyDictionary<string, Tensor> generator;
    private readonly IReadOnlyDictionary<string, Tensor>? discriminator;

    private PretrainedWeights(string path, GanModelConfig model, IReadOnlyDictionary<string, Tensor> generator,
        IReadOnlyDictionary<string, Tensor>? discriminator)
    {
        (Path, Model, this.generator, this.discriminator) = (path, model, generator, discriminator);
    }

    public string Path { get; }

    /// <summary>The model the generator's shapes describe; D's width is the architecture's default unless the file has D.</summary>
    public GanModelConfig Model { get; }

    public bool HasDiscriminator => discriminator is not null;

    /// <summary>Reads and checks <paramref name="path"/>; <paramref name="architecture"/> null infers it from the shapes.</summary>
    /// <param name="averaged">From one of our checkpoints, G_ema rather than G where it has one: what to draw faces with.</param>
    public static PretrainedWeights Read(string path, GanArchitecture? architecture = null, bool averaged = false)
    {
        if (!File.Exists(path))
            throw new CheckpointException($"No weights file at {path}.");
        var head = new byte[9];
        using (var peek = File.OpenRead(path))
            peek.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        if (IsSafetensors(head) && HoldsTrainingState(path))
        {
            var (loaded, state) = CheckpointFile.LoadNetworks(path, averaged);
            using var networks = loaded;
            if (architecture is { } asked && asked != state.Config.Model.Architecture)
                throw new CheckpointException($"{path} is a checkpoint of a {state.Config.Model.Describe()} model, not {Name(asked)}.",
                    CheckpointProblem.OtherNetworks);
            return new PretrainedWeights(path, state.Config.Model, StateOf(networks.Generator), StateOf(networks.Discriminator));
        }

        var generatorTensors = WithoutPrefix(ReadTensors(path, head));
        var model = Infer(path, generatorTensors, architecture);
        using var expected = GanNetworks.Create(model, seed: 0);
        Check(path, model, generatorTensors, expected.Generator.state_dict());
        return new PretrainedWeights(path, model, generatorTensors, null);
    }

    /// <summary>Copies G, and D where the file has it, into networks built for <see cref="Model"/> (D's width may differ where the file has no D).</summary>
    public void LoadInto(GanNetworks networks)
    {
        if (networks.Config.Architecture != Model.Architecture || networks.Config.NoiseSize != Model.NoiseSize
            || networks.Config.GeneratorFeatures != Model.GeneratorFeatures)
            throw new CheckpointException($"{Path} holds a {Model.Describe()} generator; these networks are {networks.Config.Describe()}.",
                CheckpointProblem.OtherNetworks);
        Copy(generator, networks.Generator);
        if (discriminator is not null)
        {
            Check(Path, networks.Config, discriminator, networks.Discriminator.state_dict(), "discriminator");
            Copy(discriminator, networks.Discriminator);
        }
    }

    /// <summary>A safetensors file starts with its header's length (8 bytes) and the header's JSON.</summary>
    private static bool IsSafetensors(byte[] head) => head[8] == (byte)'{';

    /// <summary>Whether a safetensors file is one of our checkpoints; reads that one tensor, not the weights.</summary>
    private static bool HoldsTrainingState(string path)
    {
        try
        {
            using var stream = File.OpenRead(path);
            return Safetensors.LoadStateDict(stream, keysToKeep: [OurCheckpointKey]).ContainsKey(OurCheckpointKey);
        }
        catch (Exception e)
        {
            throw new CheckpointException($"{path} could not be read as weights: {e.Message}", inner: e);
        }
    }

    /// <param name="head">The file's first 9 bytes, which tell its format.</param>
    private static Dictionary<string, Tensor> ReadTensors(string path, byte[] head)
    {
        try
        {
            if (head is [0x50, 0x4B, 0x03, 0x04, ..])
            {
                // torch.save's zip format; TorchSharp.PyBridge unpickles the state dict without Python.
                using var stream = File.OpenRead(path);
                var table = PyTorchUnpickler.UnpickleStateDict(stream);
                return table.Cast<DictionaryEntry>().ToDictionary(e => (string)e.Key, e => (Tensor)e.Value!);
            }
            if (IsSafetensors(head))
            {
                using var stream = File.OpenRead(path);
                return Safetensors.LoadStateDict(stream);
            }
        }
        catch (Exception e) when (e is not CheckpointException)
        {
            throw new CheckpointException($"{path} could not be read as weights: {e.Message}", inner: e);
        }
        throw new CheckpointException(head[0] == 0x80
            ? $"{path} was saved with PyTorch's legacy pickle format; load it in PyTorch and save it again with torch.save(state_dict, path)."
            : $"{path} is neither a PyTorch state dict (torch.save), a safetensors file nor an Orleans.Gan checkpoint.");
    }

    private static Dictionary<string, Tensor> WithoutPrefix(Dictionary<string, Tensor> tensors)
    {
        var prefix = GeneratorPrefixes.FirstOrDefault(p => tensors.Keys.Any(k => k.StartsWith(p, StringComparison.Ordinal)));
        return prefix is null
            ? tensors
            : tensors.Where(kv => kv.Key.StartsWith(prefix, StringComparison.Ordinal)).ToDictionary(kv => kv.Key[prefix.Length..], kv => kv.Value);
    }

    /// <summary>
    /// dcgan64's first layer is a transposed convolution of weight [nz, 8·ngf, 4, 4]; tutorial28's a dense layer of
    /// weight [7·7·4·ngf, nz].
    /// </summary>
    private static GanModelConfig Infer(string path, Dictionary<string, Tensor> tensors, GanArchitecture? architecture)
    {
        if (architecture is null or GanArchitecture.Dcgan64 && tensors.TryGetValue("main.0.weight", out var first) && first.shape is [_, _, 4, 4])
            return GanModelConfig.Dcgan64 with { NoiseSize = (int)first.shape[0], GeneratorFeatures = (int)first.shape[1] / 8 };
        if (architecture is null or GanArchitecture.Tutorial28 && tensors.TryGetValue("project.weight", out var dense) && dense.shape is [_, _])
            return GanModelConfig.Tutorial28 with { NoiseSize = (int)dense.shape[1], GeneratorFeatures = (int)dense.shape[0] / (7 * 7 * 4) };
        var expected = architecture switch
        {
            GanArchitecture.Dcgan64 => "a dcgan64 generator, whose first tensor main.0.weight is [nz, 8·ngf, 4, 4]",
            GanArchitecture.Tutorial28 => "a tutorial28 generator, whose first tensor project.weight is [7·7·4·ngf, nz]",
            _ => "a dcgan64 generator (main.0.weight [nz, 8·ngf, 4, 4]) nor a tutorial28 one (project.weight [7·7·4·ngf, nz])",
        };
        string first3 = string.Join(", ", tensors.Take(3).Select(kv => $"{kv.Key} {Shape(kv.Value.shape)}"));
        throw new CheckpointException($"{path} does not hold {expected}; its first tensors are {first3}.", CheckpointProblem.OtherNetworks);
    }

    /// <summary>Throws naming the first tensor that is missing, shaped otherwise, or not part of the network.</summary>
    private static void Check(string path, GanModelConfig model, IReadOnlyDictionary<string, Tensor> file,
        IReadOnlyDictionary<string, Tensor> expected, string network = "generator")
    {
        var names = new HashSet<string>();
        foreach (var (name, tensor) in expected)
        {
            names.Add(name);
            string what = $"{path} does not hold a {Name(model.Architecture)} {network} of nz {model.NoiseSize}, ngf {model.GeneratorFeatures}";
            if (!file.TryGetValue(name, out var found))
                throw new CheckpointException($"{what}: it has no tensor {name}, which should be {Shape(tensor.shape)}.", CheckpointProblem.OtherNetworks);
            if (!SameShape(found.shape, tensor.shape))
                throw new CheckpointException($"{what}: its tensor {name} is {Shape(found.shape)}, not {Shape(tensor.shape)}.", CheckpointProblem.OtherNetworks);
        }
        if (file.Keys.FirstOrDefault(k => !names.Contains(k)) is { } extra)
            throw new CheckpointException($"{path} has a tensor {extra} that a {Name(model.Architecture)} {network} does not.", CheckpointProblem.OtherNetworks);
    }

    /// <summary>Scalars compare equal whether stored with shape [] or [1]: PyBridge reads PyTorch's num_batches_tracked as [1].</summary>
    private static bool SameShape(long[] found, long[] expected) =>
        found.SequenceEqual(expected) || (found.Length <= 1 && expected.Length <= 1 && found.Aggregate(1L, (a, b) => a * b) == 1
            && expected.Aggregate(1L, (a, b) => a * b) == 1);

    private static void Copy(IReadOnlyDictionary<string, Tensor> source, TorchSharp.torch.nn.Module target)
    {
        using var noGrad = no_grad();
        foreach (var (name, tensor) in target.state_dict())
            tensor.copy_(source[name].reshape(tensor.shape));
    }

    /// <summary>Copies, which outlive the module they came from.</summary>
    private static Dictionary<string, Tensor> StateOf(TorchSharp.torch.nn.Module module) =>
        module.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.detach().clone());

    private static string Name(GanArchitecture architecture) => architecture.ToString().ToLowerInvariant();

    private static string Shape(long[] shape) => "[" + string.Join(", ", shape.Select(d => d.ToString(CultureInfo.InvariantCulture))) + "]";
}
