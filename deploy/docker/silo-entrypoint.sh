#!/bin/sh
# Orleans advertises an IP address, not a host name; in a container that is the container's own address.
set -e
: "${ORLEANS_GAN_Silo__AdvertisedAddress:=$(hostname -i | cut -d' ' -f1)}"
export ORLEANS_GAN_Silo__AdvertisedAddress
# Two malloc arenas: a silo's steps run on any thread-pool thread, and glibc's arena per thread kept each step's
# activations apart (README, "Memory").
: "${MALLOC_ARENA_MAX:=2}"
export MALLOC_ARENA_MAX
exec dotnet /app/silo.dll "$@"
