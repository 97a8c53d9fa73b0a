#!/usr/bin/env bash
# Runs the silo or the benchmark on the libtorch of an installed PyTorch (with CUDA, typically), for GPU machines that
# cannot restore TorchSharp-cuda-linux, or whose CUDA is newer than that package's. It:
#   1. asks PyTorch for its torch/lib, torch/include and TorchConfig.cmake;
#   2. builds TorchSharp's native library, libLibTorchSharp.so, from the TorchSharp source of the version we reference
#      (TorchSharp's own src/Native/build.sh, with CMake), against that libtorch; the build is kept and reused;
#   3. publishes the silo or benchmark with -p:TorchDevice=libtorch (the managed TorchSharp alone), puts the built
#      library in it, marks its GLIBCXX_3.4.32 need weak as every build does (Directory.Build.targets);
#   4. runs it with PyTorch's torch/lib on LD_LIBRARY_PATH, so TorchSharp loads that libtorch and its CUDA.
#
#   bash deploy/gpu/run-with-pytorch.sh --torchsharp-src ~/src/TorchSharp-0.107.0 silo --device cuda --name gpu-0
#   bash deploy/gpu/run-with-pytorch.sh --torchsharp-src ~/src/TorchSharp-0.107.0 bench --device cuda --only step
#
# GPU machines may have no network: bring the TorchSharp source (git tag v0.107.0, or the release's source archive)
# and, if needed, a published build along. What it needs there: the .NET 10 SDK (or --published), PyTorch with CUDA,
# CMake, make and a C++17 compiler, and for a CUDA PyTorch the CUDA toolkit of torch.version.cuda (TorchConfig.cmake
# looks for it; point CUDAToolkit_ROOT at it if it is not in /usr/local/cuda).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"

usage() {
  cat <<'EOF'
Usage: run-with-pytorch.sh [options] (silo|bench) [arguments for it...]

  --torchsharp-src DIR  TorchSharp's source at the version we reference (DIR/src/Native); LibTorchSharp is built from it
  --libtorchsharp FILE  a libLibTorchSharp.so built before against the same PyTorch, instead of building one
  --python PYTHON       the Python whose torch is used (default: $PYTHON, else python3)
  --torch-lib DIR       libtorch's lib folder, when no Python is to be asked (needs --libtorchsharp)
  --published DIR       a folder published before with -p:TorchDevice=libtorch, instead of publishing here
  --out DIR             where builds are kept (default: artifacts/gpu-route)
  -h, --help            this text
EOF
}

fail() { echo "run-with-pytorch.sh: $*" >&2; exit 2; }

torchsharp_src="" libtorchsharp="" python="${PYTHON:-python3}" torch_lib="" published="" out="$root/artifacts/gpu-route"
while [[ $# -gt 0 ]]; do
  case "$1" in
    --torchsharp-src) torchsharp_src="${2:?--torchsharp-src needs a folder}"; shift 2 ;;
    --libtorchsharp) libtorchsharp="${2:?--libtorchsharp needs a file}"; shift 2 ;;
    --python) python="${2:?--python needs a program}"; shift 2 ;;
    --torch-lib) torch_lib="${2:?--torch-lib needs a folder}"; shift 2 ;;
    --published) published="${2:?--published needs a folder}"; shift 2 ;;
    --out) out="${2:?--out needs a folder}"; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    silo|bench) break ;;
    *) usage >&2; fail "unknown option or program '$1': expected silo or bench after the options" ;;
  esac
done
[[ $# -gt 0 ]] || { usage >&2; fail "name the program to run: silo or bench"; }
program="$1"; shift

torchsharp_version="$(sed -n 's:.*<TorchSharpVersion>\(.*\)</TorchSharpVersion>.*:\1:p' "$root/Directory.Packages.props")"

# 1. PyTorch's libtorch.
torch_cmake="" torch_version="unknown" torch_cuda=""
if [[ -z "$torch_lib" ]]; then
  command -v "$python" >/dev/null || fail "--python $python is not a program here; give the Python of the PyTorch to use, or --torch-lib"
  read -r torch_version torch_cuda torch_dir torch_cmake < <("$python" -c '
import os, torch
print(torch.__version__, torch.version.cuda or "none", os.path.dirname(torch.__file__), torch.utils.cmake_prefix_path)' 2>/dev/null) \
    || fail "$python cannot import torch; install PyTorch for it, or give --python"
  torch_lib="$torch_dir/lib"
  echo "== PyTorch $torch_version (CUDA $torch_cuda) at $torch_dir"
  [[ "$torch_cuda" != none ]] || echo "warning: this PyTorch has no CUDA; the silo will find no GPU" >&2
fi
[[ -f "$torch_lib/libtorch.so" ]] || fail "$torch_lib has no libtorch.so: not a libtorch lib folder"

# 2. LibTorchSharp, built once per TorchSharp version and PyTorch version.
if [[ -z "$libtorchsharp" ]]; then
  [[ -n "$torchsharp_src" ]] || fail "give --torchsharp-src (TorchSharp $torchsharp_version's source) to build LibTorchSharp, or --libtorchsharp"
  [[ -f "$torchsharp_src/src/Native/build.sh" ]] || fail "--torchsharp-src $torchsharp_src has no src/Native/build.sh: not TorchSharp's source"
  [[ -n "$torch_cmake" ]] || fail "building LibTorchSharp needs PyTorch's TorchConfig.cmake: give --python rather than --torch-lib"
  source_version="$(sed -n 's:.*<\(Major\|Minor\|Patch\)Version>\([0-9]*\)<.*:\2:p' "$torchsharp_src/build/BranchInfo.props" | paste -sd.)"
  [[ "$source_version" == "$torchsharp_version" ]] \
    || fail "--torchsharp-src $torchsharp_src is TorchSharp $source_version, but we reference $torchsharp_version: their native calls differ"
  expected_libtorch="$(sed -n 's:.*<LibTorchVersion>\([0-9.]*\)</LibTorchVersion>.*:\1:p' "$torchsharp_src/build/Dependencies.props" | head -1)"
  [[ "${torch_version%%+*}" == "${expected_libtorch%.*}".* ]] \
    || echo "warning: TorchSharp $torchsharp_version is written for libtorch $expected_libtorch and PyTorch is $torch_version; the build may fail or differ" >&2
  for tool in cmake make c++; do
    command -v "$tool" >/dev/null || fail "building LibTorchSharp needs $tool (apt-get install cmake make g++)"
  done
  build="$out/libtorchsharp-$torchsharp_version-torch-$torch_version"
  libtorchsharp="$build/bin/x64.Release/Native/libLibTorchSharp.so"
  if [[ ! -f "$libtorchsharp" ]]; then
    echo "== building LibTorchSharp $torchsharp_version against PyTorch $torch_version in $build"
    # A copy, since build.sh writes beside the source, which may be read-only.
    rm -rf "$build" && mkdir -p "$build/src" "$build/build"
    cp -r "$torchsharp_src/src/Native" "$build/src/"
    cp -r "$torchsharp_src/build/." "$build/build/"
    # build.sh runs a plain make; every core makes the build minutes, not a quarter of an hour.
    MAKEFLAGS="-j$(nproc)" bash "$build/src/Native/build.sh" --arch x64 --configuration Release --libtorchpath "$torch_cmake/Torch" \
      || fail "building LibTorchSharp against PyTorch $torch_version failed (above)$([[ "$torch_cuda" == none ]] || echo "; it needs the CUDA toolkit $torch_cuda, found through CUDAToolkit_ROOT")"
  fi
fi
[[ -f "$libtorchsharp" ]] || fail "$libtorchsharp does not exist"

# 3. The published program, with that LibTorchSharp in it.
case "$program" in
  silo) project="$root/silo/Orleans.Gan.Silo.csproj" entry="silo.dll" ;;
  bench) project="$root/bench/Orleans.Gan.Bench/Orleans.Gan.Bench.csproj" entry="Orleans.Gan.Bench.dll" ;;
esac
if [[ -z "$published" ]]; then
  published="$out/$program"
  echo "== publishing $program with -p:TorchDevice=libtorch to $published"
  dotnet publish "$project" -c Release -p:TorchDevice=libtorch -o "$published" -nologo -v quiet
  # The benchmark starts silos from the silo beside it, so they load the same libtorch.
  [[ "$program" != bench ]] || dotnet publish "$root/silo/Orleans.Gan.Silo.csproj" -c Release -p:TorchDevice=libtorch -o "$published" -nologo -v quiet
fi
[[ -f "$published/$entry" ]] || fail "--published $published has no $entry"
cp "$libtorchsharp" "$published/libLibTorchSharp.so"
dotnet msbuild "$root/silo/Orleans.Gan.Silo.csproj" -t:WeakenGlibcxxOf -p:Library="$published/libLibTorchSharp.so" -nologo -v quiet

# 4. Run it on PyTorch's libtorch. The benchmark finds the repository's files (bench/pytorch) from its working folder.
echo "== $program on $torch_lib"
cd "$root"
export LD_LIBRARY_PATH="$torch_lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
exec dotnet "$published/$entry" "$@"
