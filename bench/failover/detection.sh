#!/usr/bin/env bash
# How long the cluster takes to declare a SIGKILLed silo dead: three silos on a local redis-server, kill -9 one,
# and read the time at which a survivor's membership view first lists it as Dead. Repeats for the silo's default
# probing (--probe-timeout 1 --missed-probes 2) and for Orleans' own defaults (5 s, 3).
#   bash bench/failover/detection.sh [repeats]     (needs a Release build and redis-server)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
silo="$root/silo/bin/Release/net10.0/linux-x64/silo.dll"
repeats="${1:-3}"
work="$(mktemp -d)"
trap 'pkill -f "$work" 2>/dev/null || true; rm -rf "$work"' EXIT
ms() { date -d "$1" +%s%3N; }

round() { # label, extra silo flags...
  local label="$1"; shift
  local dir="$work/$label-$RANDOM" port=$((20000 + RANDOM % 20000))
  mkdir -p "$dir"
  redis-server --port "$port" --bind 127.0.0.1 --save "" --appendonly no --dir "$dir" > "$dir/redis.log" 2>&1 &
  sleep 0.5
  local pids=()
  for i in 1 2 3; do
    dotnet "$silo" --name "silo-$i" --clustering redis --redis "127.0.0.1:$port" --cluster-id "detect-$port" \
      --silo-port $((port + 10 * i)) --gateway-port $((port + 10 * i + 1)) --http "http://127.0.0.1:$((port + 10 * i + 2))" \
      --data "$dir/data" --runs "$dir/runs" --threads 1 "$@" > "$dir/silo-$i.log" 2>&1 &
    pids+=("$!")
  done
  for _ in $(seq 1 120); do (exec 3<>"/dev/tcp/127.0.0.1/$((port + 31))") 2>/dev/null && break; sleep 0.5; done
  sleep 5
  local killed; killed=$(date +%H:%M:%S.%3N)
  kill -9 "${pids[2]}"; wait "${pids[2]}" 2>/dev/null || true
  local seen=""
  for _ in $(seq 1 120); do
    seen=$(grep -h "SiloName=silo-3 Status=Dead" "$dir/silo-1.log" "$dir/silo-2.log" 2>/dev/null | cut -c1-12 | sort | head -1 || true)
    [ -n "$seen" ] && break; sleep 0.25
  done
  kill "${pids[0]}" "${pids[1]}" 2>/dev/null || true; redis-cli -p "$port" shutdown nosave > /dev/null 2>&1 || true; wait 2>/dev/null || true
  if [ -z "$seen" ]; then echo "$label: not declared dead within 30 s"; return; fi
  echo "$label: declared dead $(( $(ms "$seen") - $(ms "$killed") )) ms after kill -9"
}

for _ in $(seq 1 "$repeats"); do
  round tuned
  round orleans-defaults --probe-timeout 5 --missed-probes 3
done
