#!/usr/bin/env python3
"""Times one DCGAN training step in PyTorch, the other side of Orleans.Gan.Bench's step comparison.

Prints one JSON object: the seconds of every measured step (warm-up excluded), the threads used and the process's
peak resident memory. Run with Debian's python3-torch and libopenblas0-openmp, e.g.
    /usr/bin/python3 bench/pytorch/dcgan_step.py --model dcgan64 --batch 64 --threads 2
"""
import argparse
import json
import time

import torch

from dcgan_models import build, optimizers, peak_resident_bytes, train_step


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", choices=["dcgan64", "tutorial28"], default="dcgan64")
    parser.add_argument("--batch", type=int, default=64)
    parser.add_argument("--threads", type=int, required=True)
    parser.add_argument("--ngf", type=int, required=True, help="G's width, as our side's model config has it")
    parser.add_argument("--ndf", type=int, required=True, help="D's width, as our side's model config has it")
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--steps", type=int, default=10)
    parser.add_argument("--device", default="cpu")
    args = parser.parse_args()

    torch.set_num_threads(args.threads)
    torch.manual_seed(1)
    device = torch.device(args.device)
    netG, netD, size, real_label = build(args.model, device, args.ngf, args.ndf)
    optD, optG = optimizers(netG, netD)
    real = torch.rand(args.batch, 3, size, size, device=device) * 2 - 1

    seconds = []
    for step in range(args.warmup + args.steps):
        started = time.perf_counter()
        train_step(netG, netD, optD, optG, real, real_label)
        if device.type == "cuda":
            torch.cuda.synchronize()
        if step >= args.warmup:
            seconds.append(time.perf_counter() - started)

    print(json.dumps({
        "torch": torch.__version__,
        "model": args.model,
        "batch": args.batch,
        "threads": torch.get_num_threads(),
        "device": str(device),
        "step_seconds": seconds,
        "peak_rss_bytes": peak_resident_bytes(),
    }))


if __name__ == "__main__":
    main()
