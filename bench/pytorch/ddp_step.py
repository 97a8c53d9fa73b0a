#!/usr/bin/env python3
"""Times PyTorch DistributedDataParallel on this machine: N processes with the gloo backend on 127.0.0.1, each
training on its own batch, G and D wrapped in DDP so that every backward pass all-reduces the gradients.

The cluster comparison of Orleans.Gan.Bench runs it as 2 processes x 1 thread with --batch per process, and prints
one JSON object with rank 0's step times (the ranks move in lockstep) and every rank's peak resident memory.
    /usr/bin/python3 bench/pytorch/ddp_step.py --world-size 2 --threads 1 --model dcgan64 --batch 64
"""
import argparse
import json
import os
import socket
import time

import torch
import torch.distributed as dist
import torch.multiprocessing as mp
from torch.nn.parallel import DistributedDataParallel

from dcgan_models import build, optimizers, peak_resident_bytes, train_step


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def worker(rank, args, port, results):
    os.environ["MASTER_ADDR"] = "127.0.0.1"
    os.environ["MASTER_PORT"] = str(port)
    torch.set_num_threads(args.threads)
    dist.init_process_group("gloo", rank=rank, world_size=args.world_size)
    torch.manual_seed(1)  # the same initial weights on every rank, as DDP expects
    netG, netD, size, real_label = build(args.model, torch.device("cpu"), args.ngf, args.ndf)
    netG, netD = DistributedDataParallel(netG), DistributedDataParallel(netD)
    optD, optG = optimizers(netG, netD)
    torch.manual_seed(100 + rank)  # but different data and noise
    real = torch.rand(args.batch, 3, size, size) * 2 - 1

    seconds = []
    for step in range(args.warmup + args.steps):
        started = time.perf_counter()
        train_step(netG, netD, optD, optG, real, real_label)
        if step >= args.warmup:
            seconds.append(time.perf_counter() - started)
    dist.barrier()
    results.put((rank, seconds, peak_resident_bytes()))
    dist.destroy_process_group()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", choices=["dcgan64", "tutorial28"], default="dcgan64")
    parser.add_argument("--batch", type=int, default=64, help="images per process per step")
    parser.add_argument("--world-size", type=int, default=2)
    parser.add_argument("--threads", type=int, default=1, help="torch threads per process")
    parser.add_argument("--ngf", type=int, required=True, help="G's width, as our side's model config has it")
    parser.add_argument("--ndf", type=int, required=True, help="D's width, as our side's model config has it")
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--steps", type=int, default=10)
    args = parser.parse_args()

    context = mp.get_context("spawn")
    results = context.SimpleQueue()
    mp.start_processes(worker, args=(args, free_port(), results), nprocs=args.world_size, join=True,
                       start_method="spawn")
    by_rank = dict((rank, (seconds, peak)) for rank, seconds, peak in (results.get() for _ in range(args.world_size)))
    print(json.dumps({
        "torch": torch.__version__,
        "model": args.model,
        "batch_per_process": args.batch,
        "world_size": args.world_size,
        "threads_per_process": args.threads,
        "step_seconds": by_rank[0][0],
        "peak_rss_bytes": [by_rank[rank][1] for rank in sorted(by_rank)],
    }))


if __name__ == "__main__":
    main()
