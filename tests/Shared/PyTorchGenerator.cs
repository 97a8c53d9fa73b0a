namespace Orleans.Gan.Tests.Shared;

/// <summary>
/// A generator written by PyTorch itself, with Debian's python3-torch: tests/pytorch/save_generator.py saves
/// netG.pth as torch.save(netG.state_dict(), …) does, with 4 noise vectors and G's faces for them in eval mode.
/// </summary>
internal sealed class PyTorchGenerator
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    private PyTorchGenerator(string folder) => Folder = folder;

    public string Folder { get; }

    public string StateDict => System.IO.Path.Combine(Folder, "netG.pth");

    /// <summary>Raw little-endian float32: [4, 100] noise, and [4, 3, S, S] faces.</summary>
    public float[] Noise => Floats("noise.f32");

    public float[] Faces => Floats("faces.f32");

    /// <summary>Writes the files into <paramref name="folder"/>; fails the test, saying what to install, without python3-torch.</summary>
    public static PyTorchGenerator Save(string folder, string model, int generatorFeatures)
    {
        DebianPython.Run(System.IO.Path.Combine(RepositoryRoot.Path, "tests", "pytorch", "save_generator.py"), [folder, model, $"{generatorFeatures}"],
            Timeout, ("torch", "python3-torch"));
        return new PyTorchGenerator(folder);
    }

    private float[] Floats(string file)
    {
        var bytes = File.ReadAllBytes(System.IO.Path.Combine(Folder, file));
        var floats = new float[bytes.Length / sizeof(float)];
        Buffer.BlockCopy(bytes, 0, floats, 0, bytes.Length);
        return floats;
    }
}
