#!/usr/bin/env bash
# The README's training run: TFN on the bundled QM9 subset (configs/data/qm9-small).
#
#   launch/train-small.sh [extra `se3 train` args...]
#
# Installs missing system packages (launch/install-deps.sh), builds the release binary and runs
#   se3 train --config configs/tfn-qm9-small.yaml --run-dir runs/tfn-qm9-small "$@"
# A few minutes on 2 cores. The run directory gets metrics.jsonl, config.yaml and
# checkpoints/ (step-*.h5, best.h5, latest). Run it again with `--resume runs/tfn-qm9-small`
# to continue, or remove runs/tfn-qm9-small to start over. Evaluate afterwards with
#   .build/release/se3 evaluate --checkpoint runs/tfn-qm9-small --data configs/data/qm9-small/test
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
bash launch/install-deps.sh
swift build -c release
exec .build/release/se3 train --config configs/tfn-qm9-small.yaml --run-dir runs/tfn-qm9-small "$@"
