"""Which instruction set oneDNN uses in this torch, as the process's environment leaves it: one convolution runs
under oneDNN's verbose mode, whose lines (the ISA, and the kernel each primitive ran) go to standard output for the
benchmark to read. ONEDNN_MAX_CPU_ISA in the environment caps it, as it caps ours."""
import torch

images = torch.randn(8, 64, 32, 32)
weights = torch.randn(64, 64, 3, 3)
with torch.backends.mkldnn.verbose(torch.backends.mkldnn.VERBOSE_ON):
    torch.nn.functional.conv2d(images, weights)
