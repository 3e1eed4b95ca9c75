#!/usr/bin/env bash
# Idempotent installation of se3's system dependencies on Debian 12.
# Installs only what is missing; safe to run repeatedly.
set -euo pipefail
PKGS=(libopenmpi-dev openmpi-bin libhdf5-dev hdf5-tools libopenblas-dev pkg-config)
missing=()
for p in "${PKGS[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
if [ "${#missing[@]}" -eq 0 ]; then
  echo "install-deps: all system packages present (${PKGS[*]})"
  exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
echo "install-deps: installing ${missing[*]}"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
