"""Loads a generator out of one of our checkpoints into PyTorch's own dcgan64 generator class, strictly, and draws faces
with it, for the test that PyTorch reads our checkpoints: the tensors under PREFIX (generator. or generator_ema.)
become the state dict, read straight from the safetensors format. Writes 4 noise vectors and G's faces for them in
eval mode as raw little-endian float32 (noise.f32, faces.f32).

    python3 tests/pytorch/draw_from_checkpoint.py CHECKPOINT PREFIX NGF OUT
"""
import json
import os
import struct
import sys

import numpy
import torch

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "bench", "pytorch"))
from dcgan_models import NZ, Dcgan64Generator  # noqa: E402

DTYPES = {"F32": numpy.float32, "I64": numpy.int64, "U8": numpy.uint8}


def read_safetensors(path):
    """safetensors: an 8-byte little-endian header length, the header's JSON, then the tensors' bytes."""
    with open(path, "rb") as f:
        (length,) = struct.unpack("<Q", f.read(8))
        header = json.loads(f.read(length))
        data = f.read()
    tensors = {}
    for name, entry in header.items():
        if name == "__metadata__":
            continue
        start, end = entry["data_offsets"]
        array = numpy.frombuffer(data[start:end], dtype=DTYPES[entry["dtype"]]).reshape(entry["shape"])
        tensors[name] = torch.from_numpy(array.copy())
    return tensors


checkpoint, prefix, ngf, out = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
state = {name[len(prefix):]: tensor for name, tensor in read_safetensors(checkpoint).items() if name.startswith(prefix)}
net = Dcgan64Generator(ngf=ngf)
net.load_state_dict(state, strict=True)
net.eval()
torch.manual_seed(3)
noise = torch.randn(4, NZ)
with torch.no_grad():
    faces = net(noise)
os.makedirs(out, exist_ok=True)
noise.numpy().astype("<f4").tofile(os.path.join(out, "noise.f32"))
faces.numpy().astype("<f4").tofile(os.path.join(out, "faces.f32"))
print(torch.__version__)
