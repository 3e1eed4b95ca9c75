#!/usr/bin/env bash
# Convert the full QM9 set (130,831 molecules, qm9pack wheel from PyPI) into se3 HDF5 shards.
#
#   launch/prepare-qm9.sh [OUT]          (default OUT: data/qm9-full)
#
# Environment: SHARDS (default 4), SPLIT (default 0.8,0.1,0.1), SEED (default 0),
#   SE3_SCRATCH (swift build scratch path, default .build), QM9PACK_DIR (reuse an unpacked wheel).
# Prints the conversion summary (molecules, seconds, peak RSS) and, when /usr/bin/time exists,
# its wall time and maximum resident set size.
set -euo pipefail
cd "$(dirname "$0")/.."
OUT="${1:-data/qm9-full}"
SHARDS="${SHARDS:-4}"
SPLIT="${SPLIT:-0.8,0.1,0.1}"
SEED="${SEED:-0}"
SCRATCH="${SE3_SCRATCH:-.build}"

if [[ -n "${QM9PACK_DIR:-}" ]]; then
  SRC="$QM9PACK_DIR"
else
  TMP="$(mktemp -d)"
  trap 'rm -rf "$TMP"' EXIT
  echo "== downloading qm9pack wheel (about 100 MB)"
  python3 -m pip download --no-deps qm9pack -d "$TMP" >/dev/null
  echo "== unpacking"
  (cd "$TMP" && python3 -m zipfile -e qm9pack-*.whl x)
  SRC="$TMP/x"
fi

echo "== building se3 (release)"
swift build -c release --product se3 --scratch-path "$SCRATCH"
SE3="$SCRATCH/release/se3"

echo "== converting into $OUT"
CMD=("$SE3" prepare qm9 --source "$SRC" --out "$OUT" --shards "$SHARDS" --split "$SPLIT" --seed "$SEED")
if [[ -x /usr/bin/time ]]; then
  /usr/bin/time -v "${CMD[@]}" 2> >(grep -E "Elapsed|Maximum resident|error" >&2)
else
  "${CMD[@]}"
fi
du -sh "$OUT"/*
"$SE3" inspect "$OUT/train" --no-validate
