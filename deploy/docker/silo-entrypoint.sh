#!/bin/sh
# Starts one silo with the settings its launcher implies; the silo's own flags and ORLEANS_GAN_Silo__* variables win.
#   container (compose, Kubernetes): the image's silo at /app/silo.dll, advertised on the container's address;
#   Slurm (srun, one task per silo): named after the node and the task, with ports offset by the task's local id, so
#     that several silos share a node (deploy/slurm/train.sbatch).
# Both serve HTTP (/metrics, /healthz, the faces page) on every interface, for Prometheus and probes on other hosts.
# ORLEANS_GAN_SILO_DLL names another build of the silo, as when Slurm runs it from a shared file system;
# ORLEANS_GAN_{SILO,GATEWAY,HTTP}_PORT_BASE are task 0's ports (11111, 30000, 8080).
set -e

# Orleans advertises an IP address, not a host name. Some hosts map their own name to 127.0.1.1, which other hosts
# cannot reach, so a loopback answer gives way to the first address of the host's interfaces.
advertised_address() {
  address=$(hostname -i 2>/dev/null | cut -d' ' -f1)
  case "$address" in
    ''|127.*|::1) address=$(hostname -I 2>/dev/null | cut -d' ' -f1) ;;
  esac
  echo "${address:-127.0.0.1}"
}

task=${SLURM_LOCALID:-0}
if [ -n "${SLURM_LOCALID:-}" ]; then
  : "${ORLEANS_GAN_Silo__Name:=${SLURMD_NODENAME:-$(hostname -s)}-$task}"
  export ORLEANS_GAN_Silo__Name
fi
: "${ORLEANS_GAN_Silo__SiloPort:=$(( ${ORLEANS_GAN_SILO_PORT_BASE:-11111} + task ))}"
: "${ORLEANS_GAN_Silo__GatewayPort:=$(( ${ORLEANS_GAN_GATEWAY_PORT_BASE:-30000} + task ))}"
: "${ORLEANS_GAN_Silo__HttpUrl:=http://0.0.0.0:$(( ${ORLEANS_GAN_HTTP_PORT_BASE:-8080} + task ))}"
export ORLEANS_GAN_Silo__SiloPort ORLEANS_GAN_Silo__GatewayPort ORLEANS_GAN_Silo__HttpUrl

: "${ORLEANS_GAN_Silo__AdvertisedAddress:=$(advertised_address)}"
export ORLEANS_GAN_Silo__AdvertisedAddress
# One malloc arena: a silo's steps run on any thread-pool thread, and glibc's arena per thread kept each step's
# freed activations apart; one arena reuses them wherever the next step runs (README, "Memory").
: "${MALLOC_ARENA_MAX:=1}"
export MALLOC_ARENA_MAX
exec dotnet "${ORLEANS_GAN_SILO_DLL:-/app/silo.dll}" "$@"
