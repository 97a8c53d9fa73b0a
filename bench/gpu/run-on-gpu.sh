#!/usr/bin/env bash
# On a lent GPU machine: builds the benchmark against TorchSharp-cuda-linux (-p:TorchDevice=cuda, restored from
# nuget.org: our registry does not serve it) and runs it with the single-process steps on CUDA. Extra arguments go to
# the benchmark, e.g. --quick or --only step.
#
#   PYTHON=/path/to/python-with-cuda-torch bash bench/gpu/run-on-gpu.sh
#
# PyTorch's side needs a torch built with CUDA (Debian's python3-torch has none); without one the PyTorch columns are
# left out and say why. The silo detects CUDA but does not move its tensors there yet, so the cluster part is left
# out on CUDA; the exchange and the data pipeline run on the CPU as they do in a silo.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
python="${PYTHON:-python3}"

if ! command -v nvidia-smi >/dev/null || ! nvidia-smi -L; then
  echo "No NVIDIA GPU is visible (nvidia-smi -L failed); this script is for a GPU machine." >&2
  exit 1
fi

echo "== building with TorchSharp-cuda-linux"
dotnet build "$root/bench/Orleans.Gan.Bench/Orleans.Gan.Bench.csproj" -c Release -p:TorchDevice=cuda -nologo -v quiet

echo "== benchmark on cuda (PyTorch side: $python)"
dotnet run -c Release --no-build --project "$root/bench/Orleans.Gan.Bench" -p:TorchDevice=cuda -- \
  --device cuda --python "$python" --work "$root/artifacts/bench-gpu" "$@"
