namespace Orleans.Gan.Bench.PyTorch;

/// <summary>
/// Which PyTorch a figure is from: PyTorch as users run it (oneDNN at the best ISA it finds), or PyTorch under the
/// kernel cap this benchmark set for ours where the CPU hides its caches (the like-for-like figure).
/// </summary>
public enum PyTorchKernels
{
    AsUsersRunIt,
    UnderOurCap,
}
