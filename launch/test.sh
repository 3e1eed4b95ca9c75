#!/usr/bin/env bash
# The test command: installs system dependencies (if missing), then builds in release
# mode and runs every test, including real `mpirun -np 2` runs. `swift test` also builds
# the `se3` executable (.build/release/se3) that the command-line tests drive.
set -euo pipefail
cd "$(dirname "$0")/.."
bash launch/install-deps.sh
export OPENBLAS_NUM_THREADS=1
swift test -c release "$@"
