#!/usr/bin/env bash
# The README's first command: builds everything, starts a local cluster of two silos, trains dcgan64 with two
# workers on synthetic faces until faces show (about 4 minutes on 2 cores), prints the run's sample score (SWD),
# writes the faces grid, and stops the silos again; in a terminal it first waits for Enter, so that the faces page
# can be looked at. Extra arguments go to 'client train'.
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

# One malloc arena per silo (README, "Memory").
export MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-1}"
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
# The demo's defaults, each left out where the caller gives the same flag (README, "Two commands", says why these):
# dcgan64 at half width for G and a quarter for D (--ngf 32 --ndf 16), which trains about 6x faster than the full
# model and keeps D from overpowering G; Adam at 5e-4; 8,192 faces, so that epochs (each ends with a score, a grid
# and a checkpoint) come every ~125 steps; 500 steps of 2 x 32 images.
# tutorial28 keeps its own defaults, which already are its fast widths and learning rate (README, "Models").
defaults=("--workers 2" "--run $run" "--batch-size 32" "--synthetic-faces 8192" "--epochs 50" "--max-steps 500" "--sample-every 50")
[[ " $* " == *" --model tutorial28 "* ]] || defaults+=("--ngf 32" "--ndf 16" "--lr 0.0005")
args=()
for default in "${defaults[@]}"; do
  flag="${default%% *}"
  [[ " $* " == *" $flag "* ]] || args+=($default)
done
started=$SECONDS
dotnet "$client" train "${args[@]}" "$@"
echo "== trained in $((SECONDS - started)) s"
dotnet "$client" sample --run "$run" --count 64 --out "$work/faces.png"
# The score of the run's last step, as the coordinator computed it against held-out faces (lower is better).
swd=$(dotnet "$client" status "$run" | sed -n 's/.*Sample SWD[^│|]*[│|] *\([0-9.]*\) at step \([0-9]*\).*/\1 at step \2/p' | head -1)
echo "== sample quality of G_ema, the averaged generator: SWD x10^3 ${swd:-unknown} (below about 150, faces are plain to see)"
echo "== faces grid: $work/faces.png (and $work/runs/$run/faces.png, checkpoints in $work/runs/$run/checkpoints)"
if [[ -t 0 && -t 1 ]]; then
  read -r -p "== the faces page is http://127.0.0.1:8081/ ; press Enter to stop the silos " _
fi
