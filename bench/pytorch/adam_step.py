#!/usr/bin/env python3
"""Times torch.optim.Adam's step over all of dcgan64's G and D, the PyTorch side of the benchmark's optimizer part.

Prints one JSON object: the seconds of every measured step of both optimizers together (warm-up excluded) and the
parameters stepped. Adam as the DCGAN example builds it: lr 2e-4, betas (0.5, 0.999), PyTorch's default implementation.
    /usr/bin/python3 bench/pytorch/adam_step.py --threads 2 [--device cuda]
On a GPU the parameters, gradients and moments live on it, as a user's single-GPU training loop has them: the
optimizer's time on the device, to set beside ours, which steps the master's slices in host memory.
"""
import argparse
import json
import time

import torch

from dcgan_models import build, optimizers


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, required=True)
    parser.add_argument("--ngf", type=int, required=True, help="G's width, as our side's model config has it")
    parser.add_argument("--ndf", type=int, required=True, help="D's width, as our side's model config has it")
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--steps", type=int, default=20)
    parser.add_argument("--device", default="cpu")
    args = parser.parse_args()

    torch.set_num_threads(args.threads)
    torch.manual_seed(1)
    device = torch.device(args.device)
    netG, netD, _, _ = build("dcgan64", device, args.ngf, args.ndf)
    optD, optG = optimizers(netG, netD)
    for p in list(netG.parameters()) + list(netD.parameters()):
        p.grad = torch.randn_like(p) * 1e-3

    seconds = []
    for step in range(args.warmup + args.steps):
        started = time.perf_counter()
        optD.step()
        optG.step()
        if device.type == "cuda":
            torch.cuda.synchronize()
        if step >= args.warmup:
            seconds.append(time.perf_counter() - started)

    print(json.dumps({
        "torch": torch.__version__,
        "threads": torch.get_num_threads(),
        "device": str(device),
        "parameters": sum(p.numel() for p in list(netG.parameters()) + list(netD.parameters())),
        "step_seconds": seconds,
    }))


if __name__ == "__main__":
    main()
