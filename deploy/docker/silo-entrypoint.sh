#!/bin/sh
# Orleans advertises an IP address, not a host name; in a container that is the container's own address.
set -e
: "${ORLEANS_GAN_Silo__AdvertisedAddress:=$(hostname -i | cut -d' ' -f1)}"
export ORLEANS_GAN_Silo__AdvertisedAddress
exec dotnet /app/silo.dll "$@"
