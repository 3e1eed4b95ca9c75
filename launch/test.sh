#!/usr/bin/env bash
# The test command: installs system dependencies (if missing), builds in release
# mode and runs every test, including real `mpirun -np 2` runs.
set -euo pipefail
cd "$(dirname "$0")/.."
bash launch/install-deps.sh
export OPENBLAS_NUM_THREADS=1
swift build -c release
swift test -c release "$@"
