#!/usr/bin/env bash
# Data-parallel training on one machine with OpenMPI.
#
#   launch/mpirun.sh NP CONFIG [extra `se3 train` args...]
#
# Builds the release binary if it is missing or older than the sources, then runs
#   mpirun -np NP [--oversubscribe] -x OPENBLAS_NUM_THREADS=1 --bind-to none \
#          .build/release/se3 train --config CONFIG [extra args...]
# --oversubscribe is added when NP exceeds the number of cores; as root, the
# OMPI_ALLOW_RUN_AS_ROOT{,_CONFIRM}=1 variables mpirun requires are exported.
#
# Environment:
#   SE3_BINARY   use this se3 executable (no build step)
#   MPIRUN       the mpirun to use (default: mpirun on PATH)
#   MPIRUN_ARGS  extra mpirun options, word-split (e.g. "--mca btl self,vader")
#   SE3_DRY_RUN  if 1, print the command instead of running it
set -euo pipefail

usage() { echo "usage: $0 NP CONFIG [extra se3 train args...]" >&2; exit 2; }
[ "$#" -ge 2 ] || usage
NP=$1
CONFIG=$2
shift 2
if ! [[ "$NP" =~ ^[1-9][0-9]*$ ]]; then
  echo "mpirun.sh: NP must be a positive integer, got '$NP'" >&2
  exit 2
fi
if [ ! -f "$CONFIG" ]; then
  echo "mpirun.sh: config file '$CONFIG' not found" >&2
  exit 2
fi

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
if [ -n "${SE3_BINARY:-}" ]; then
  SE3=$SE3_BINARY
else
  SE3="$ROOT/.build/release/se3"
  if [ ! -x "$SE3" ] || [ -n "$(find "$ROOT/Sources" "$ROOT/Package.swift" -newer "$SE3" -print -quit)" ]; then
    if [ "${SE3_DRY_RUN:-0}" = 1 ]; then
      echo "# would build: swift build -c release --package-path $ROOT"
    else
      echo "mpirun.sh: building se3 (release)..." >&2
      swift build -c release --package-path "$ROOT" >&2
    fi
  fi
fi

CORES=$(nproc 2>/dev/null || getconf _NPROCESSORS_ONLN 2>/dev/null || echo 1)
MPI_ARGS=(-np "$NP")
if [ "$NP" -gt "$CORES" ]; then MPI_ARGS+=(--oversubscribe); fi
MPI_ARGS+=(-x OPENBLAS_NUM_THREADS=1 --bind-to none)
# shellcheck disable=SC2206  # MPIRUN_ARGS is deliberately word-split
EXTRA_MPI_ARGS=(${MPIRUN_ARGS:-})

export OPENBLAS_NUM_THREADS=1
if [ "$(id -u)" -eq 0 ]; then
  export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
fi

CMD=("${MPIRUN:-mpirun}" "${MPI_ARGS[@]}" "${EXTRA_MPI_ARGS[@]}" "$SE3" train --config "$CONFIG" "$@")
if [ "${SE3_DRY_RUN:-0}" = 1 ]; then
  printf '%q ' "${CMD[@]}"
  echo
  exit 0
fi
exec "${CMD[@]}"
