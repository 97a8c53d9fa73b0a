#!/usr/bin/env bash
# The README's first command: builds everything, starts a local cluster of two silos, trains dcgan64 with two
# workers on synthetic faces, writes the faces grid, and stops the silos again. Extra arguments go to 'client train'.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
work="${ORLEANS_GAN_HOME:-$root/artifacts/demo}"
mkdir -p "$work/logs"

echo "== building (Release)"
dotnet build "$root/Orleans.Gan.sln" -c Release -nologo -v quiet
silo="$root/silo/bin/Release/net10.0/linux-x64/silo.dll"
client="$root/client/bin/Release/net10.0/linux-x64/client.dll"

pids=()
stop_silos() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap stop_silos EXIT

# Two malloc arenas per silo (README, "Memory").
export MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-2}"
# One torch thread per silo: two silos on a small machine must not fight over the same cores.
threads=$(( $(nproc) / 2 > 0 ? $(nproc) / 2 : 1 ))
start_silo() { # name silo-port gateway-port http-port
  dotnet "$silo" --name "$1" --silo-port "$2" --gateway-port "$3" --http "http://127.0.0.1:$4" \
    --data "$work/data" --runs "$work/runs" --threads "$threads" > "$work/logs/$1.log" 2>&1 &
  pids+=("$!")
}
wait_for_port() {
  for _ in $(seq 1 120); do
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
    sleep 0.5
  done
  echo "silo gateway on port $1 did not open; see $work/logs" >&2; return 1
}

echo "== starting silos silo-a and silo-b (logs in $work/logs)"
start_silo silo-a 11111 30000 8081
wait_for_port 30000
start_silo silo-b 11112 30001 8082
wait_for_port 30001

run="demo-$(date +%Y%m%d-%H%M%S)"
for ((i = 1; i <= $#; i++)); do [[ "${!i}" == --run ]] && { next=$((i + 1)); run="${!next}"; }; done
echo "== training run $run; watch it on http://127.0.0.1:8081/ (faces page) and http://127.0.0.1:8081/metrics"
# The demo's defaults, each left out where the caller gives the same flag.
args=()
for default in "--workers 2" "--run $run" "--epochs 1" "--batch-size 32" "--synthetic-faces 2048" "--sample-every 10"; do
  flag="${default%% *}"
  [[ " $* " == *" $flag "* ]] || args+=($default)
done
dotnet "$client" train "${args[@]}" "$@"
dotnet "$client" sample --run "$run" --count 64 --out "$work/faces.png"
echo "== faces grid: $work/faces.png (and $work/runs/$run/faces.png, checkpoints in $work/runs/$run/checkpoints)"
