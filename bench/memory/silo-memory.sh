#!/usr/bin/env bash
# Starts SILOS local silos of one torch thread each (as deploy/local/demo.sh does, from this checkout's Release build),
# runs 'client train' with the arguments given, and prints each silo's peak resident memory (VmHWM) and the images/s
# of the run's last five steps. Each silo's resident memory is also sampled every half second into
# $WORK/rss-<silo>.log ("time kB"), to see when it grows. The environment is passed on, so allocator settings
# (MALLOC_ARENA_MAX, MALLOC_MMAP_THRESHOLD_, GLIBC_TUNABLES, LD_PRELOAD) can be compared run by run.
#
#   bench/memory/silo-memory.sh --workers 1 --batch-size 64 --max-steps 8 --synthetic-faces 2048
#   SILOS=2 bench/memory/silo-memory.sh --dataset /data/celeba --workers 4 --batch-size 16 --max-steps 6 --epochs 1
#
# SILOS (default 1), WORK (default artifacts/silo-memory; its data folder keeps the shard caches between runs) and
# BIN (a folder holding silo/ and client/ builds, default this checkout's bin/Release) can be set.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
silos="${SILOS:-1}"
work="${WORK:-$root/artifacts/silo-memory}"
silo_dll="${BIN:+$BIN/silo/silo.dll}"; silo_dll="${silo_dll:-$root/silo/bin/Release/net10.0/linux-x64/silo.dll}"
client_dll="${BIN:+$BIN/client/client.dll}"; client_dll="${client_dll:-$root/client/bin/Release/net10.0/linux-x64/client.dll}"
[[ -f "$silo_dll" && -f "$client_dll" ]] || { echo "no build at $silo_dll; run: dotnet build Orleans.Gan.sln -c Release" >&2; exit 2; }
(( silos >= 1 && silos <= 8 )) || { echo "SILOS must be from 1 to 8, not $silos" >&2; exit 2; }
mkdir -p "$work/logs"
export MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-1}"

pids=(); samplers=()
stop() { kill "${samplers[@]}" "${pids[@]}" 2>/dev/null || true; wait 2>/dev/null || true; }
trap stop EXIT
for ((i = 0; i < silos; i++)); do
  name="silo-$i"
  dotnet "$silo_dll" --name "$name" --silo-port $((11111 + i)) --gateway-port $((30000 + i)) --http "http://127.0.0.1:$((8081 + i))" \
    --data "$work/data" --runs "$work/runs" --threads 1 > "$work/logs/$name.log" 2>&1 &
  pids+=("$!")
  for _ in $(seq 1 120); do (exec 3<>"/dev/tcp/127.0.0.1/$((30000 + i))") 2>/dev/null && break; sleep 0.5; done
done
for ((i = 0; i < silos; i++)); do
  ( while kill -0 "${pids[$i]}" 2>/dev/null; do
      echo "$(date +%T.%N | cut -c1-10) $(awk '/VmRSS/ {print $2}' "/proc/${pids[$i]}/status" 2>/dev/null)"; sleep 0.5
    done ) > "$work/rss-silo-$i.log" &
  samplers+=("$!")
done

started=$SECONDS
dotnet "$client_dll" train --run "memory-$(date +%H%M%S)" "$@" | tee "$work/logs/client.log" | grep -v "Training step" || true
echo "trained in $((SECONDS - started)) s"
for ((i = 0; i < silos; i++)); do
  echo "silo-$i peak: $(awk '/VmHWM/ {printf "%.0f MB", $2 / 1024}' "/proc/${pids[$i]}/status")"
done
echo "images/s of the last 5 steps: $(grep 'Training step' "$work/logs/client.log" | grep -v 'Training step 0 ' | grep -o 'images/s [0-9.]*' | tail -5 | cut -d' ' -f2 | tr '\n' ' ')"
