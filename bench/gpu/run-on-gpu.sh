#!/usr/bin/env bash
# The GPU check, on a machine with one NVIDIA GPU, ending within 8 minutes (the build included). It prints:
#   - the step table on the GPU, ours against that machine's PyTorch, for dcgan64 and tutorial28 at batches 64 and 256;
#   - Adam's step over dcgan64's G and D: ours, on the master's slices in host memory, against torch.optim.Adam with
#     everything on the GPU (what a single-GPU PyTorch loop pays), and the host's memory floor;
#   - a run of one silo with two workers sharing the GPU's one slot (and one worker, beside it): images/s and the
#     exchange's share of the step.
# Tables also go to artifacts/bench-gpu/results.md and results.json. Extra arguments go to the benchmark.
#
#   PYTHON=/path/to/python-with-cuda-torch bash bench/gpu/run-on-gpu.sh
#       route 1: builds against TorchSharp-cuda-linux (-p:TorchDevice=cuda), which needs nuget.org or a local copy.
#   GPU_ROUTE=pytorch TORCHSHARP_SRC=~/src/TorchSharp PYTHON=… bash bench/gpu/run-on-gpu.sh
#       route 2: deploy/gpu/run-with-pytorch.sh builds LibTorchSharp against that PyTorch (PUBLISHED=DIR and
#       LIBTORCHSHARP=FILE reuse a publish and a library brought along, for a machine without network).
# Without a CUDA PyTorch the PyTorch columns are left out and say why.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
python="${PYTHON:-python3}"
route="${GPU_ROUTE:-package}"
deadline=$((SECONDS + 8 * 60))

if ! command -v nvidia-smi >/dev/null || ! nvidia-smi -L; then
  echo "No NVIDIA GPU is visible (nvidia-smi -L failed); this script is for a GPU machine." >&2
  exit 1
fi

bench=(--device cuda --python "$python" --only step --only optimizer --only cluster --batch 64 --batch 256 --work "$root/artifacts/bench-gpu" "$@")
case "$route" in
  package)
    echo "== building with TorchSharp-cuda-linux"
    dotnet build "$root/Orleans.Gan.sln" -c Release -p:TorchDevice=cuda -nologo -v quiet
    echo "== benchmark on cuda (PyTorch side: $python), $((deadline - SECONDS)) s left"
    timeout $((deadline - SECONDS)) dotnet "$root/bench/Orleans.Gan.Bench/bin/Release/net10.0/linux-x64/Orleans.Gan.Bench.dll" "${bench[@]}"
    ;;
  pytorch)
    route_args=(--python "$python")
    [[ -z "${TORCHSHARP_SRC:-}" ]] || route_args+=(--torchsharp-src "$TORCHSHARP_SRC")
    [[ -z "${LIBTORCHSHARP:-}" ]] || route_args+=(--libtorchsharp "$LIBTORCHSHARP")
    [[ -z "${PUBLISHED:-}" ]] || route_args+=(--published "$PUBLISHED")
    timeout $((deadline - SECONDS)) bash "$root/deploy/gpu/run-with-pytorch.sh" "${route_args[@]}" bench "${bench[@]}"
    ;;
  *)
    echo "GPU_ROUTE must be package or pytorch, not '$route'." >&2
    exit 2
    ;;
esac
