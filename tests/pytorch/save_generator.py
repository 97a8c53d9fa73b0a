"""Writes a generator as PyTorch users do, for the tests that load it: torch.save(netG.state_dict(), OUT/netG.pth),
with the noise and G's output for it in eval mode as raw little-endian float32 (noise.f32, faces.f32).

    python3 tests/pytorch/save_generator.py OUT [dcgan64|tutorial28] [ngf]
"""
import os
import sys

import torch

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "bench", "pytorch"))
from dcgan_models import NZ, Dcgan64Generator, Tutorial28Generator  # noqa: E402

out, model, ngf = sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else "dcgan64", int(sys.argv[3]) if len(sys.argv) > 3 else 8
torch.manual_seed(3)
net = (Dcgan64Generator if model == "dcgan64" else Tutorial28Generator)(ngf=ngf)
with torch.no_grad():
    for parameter in net.parameters():
        parameter.normal_(0.0, 0.05)
    # Running statistics away from 0 and 1, so that loading them is checked too.
    for module in net.modules():
        if isinstance(module, torch.nn.BatchNorm2d):
            module.running_mean.normal_(0.0, 0.1)
            module.running_var.uniform_(0.5, 2.0)
            module.num_batches_tracked.fill_(7)
net.eval()
noise = torch.randn(4, NZ)
with torch.no_grad():
    faces = net(noise)
os.makedirs(out, exist_ok=True)
torch.save(net.state_dict(), os.path.join(out, "netG.pth"))
noise.numpy().astype("<f4").tofile(os.path.join(out, "noise.f32"))
faces.numpy().astype("<f4").tofile(os.path.join(out, "faces.f32"))
print(torch.__version__)
