#!/usr/bin/env bash
# Make a small energy + force + dipole dataset with GFN2-xTB labels and convert it into se3
# HDF5 shards.
#
#   launch/make-xtb-data.sh [OUT]          (default OUT: configs/data/xtb-small)
#
# 1. Creates (or reuses) a Python venv at $VENV with tblite (GFN2-xTB), numpy and qm9pack (QM9
#    CSVs) from PyPI; installs nothing when the venv already has them.
# 2. launch/make_xtb_data.py samples MOLECULES molecules of qm9pack's qm9_part1.csv, makes
#    CONFORMERS Gaussian-displaced conformers of each (half with SMALL_AMPLITUDE, half with
#    LARGE_AMPLITUDE: RMS displacement per atom in Å) and labels each with one GFN2-xTB single point (one thread):
#    energy (eV), forces (eV/Å), dipole (e·Å), written as extended XYZ.
# 3. `se3 prepare xyz` converts it into OUT/{train,val,test}/shard-*.h5, with energy extensive
#    (per-element references) and the dipole in e*Å.
#
# Environment: MOLECULES (500), CONFORMERS (6), SEED (0), SMALL_AMPLITUDE (0.05),
#   LARGE_AMPLITUDE (0.15), MAX_ATOMS (none), SHARDS (1), SPLIT (0.8,0.1,0.1),
#   SPLIT_BY (molecule: all conformers of a molecule go to the same split; frame: se3's own
#   per-frame split, so conformers of one molecule are spread over train/val/test),
#   VENV ($HOME/.cache/se3-xtb), XYZ_DIR (keep the extended XYZ there; default a temporary
#   directory, removed at the end), SE3 (an se3 binary to use instead of building one),
#   SE3_SCRATCH (swift build scratch path, default .build).
#
# With SPLIT_BY=molecule the molecules are split by the Python script and each split is
# converted on its own (`se3 prepare xyz --split 1,0,0`), so the val and test shards carry
# statistics of their own split, not of train (the trainer reads only the train statistics).
set -euo pipefail
cd "$(dirname "$0")/.."
OUT="${1:-configs/data/xtb-small}"
MOLECULES="${MOLECULES:-500}"
CONFORMERS="${CONFORMERS:-6}"
SEED="${SEED:-0}"
SMALL_AMPLITUDE="${SMALL_AMPLITUDE:-0.05}"
LARGE_AMPLITUDE="${LARGE_AMPLITUDE:-0.15}"
MAX_ATOMS="${MAX_ATOMS:-}"
SHARDS="${SHARDS:-1}"
SPLIT="${SPLIT:-0.8,0.1,0.1}"
SPLIT_BY="${SPLIT_BY:-molecule}"
VENV="${VENV:-$HOME/.cache/se3-xtb}"
SCRATCH="${SE3_SCRATCH:-.build}"

case "$SPLIT_BY" in
  molecule|frame) ;;
  *) echo "error: SPLIT_BY must be 'molecule' or 'frame', got '$SPLIT_BY'" >&2; exit 1 ;;
esac

TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
if [[ -n "${XYZ_DIR:-}" ]]; then
  mkdir -p "$XYZ_DIR"
else
  XYZ_DIR="$TMP"
fi
XYZ="$XYZ_DIR/xtb-m${MOLECULES}-k${CONFORMERS}-s${SEED}.extxyz"

PY="$VENV/bin/python"
have_packages() {
  [[ -x "$PY" ]] && OMP_NUM_THREADS=1 "$PY" -c '
import importlib.util, sys
import numpy, tblite.interface
sys.exit(0 if importlib.util.find_spec("qm9pack") else 1)' 2>/dev/null
}
if have_packages; then
  echo "== using the venv $VENV (tblite, numpy, qm9pack present)"
else
  echo "== installing tblite, numpy, qm9pack into $VENV"
  [[ -x "$PY" ]] || python3 -m venv "$VENV"
  "$PY" -m pip install --quiet --disable-pip-version-check tblite numpy qm9pack
  have_packages || { echo "error: the venv $VENV still lacks tblite, numpy or qm9pack" >&2; exit 1; }
fi

echo "== GFN2-xTB labels: $MOLECULES molecules x $CONFORMERS conformers (seed $SEED) -> $XYZ"
ARGS=(--molecules "$MOLECULES" --conformers "$CONFORMERS" --seed "$SEED" --out "$XYZ"
      --small-amplitude "$SMALL_AMPLITUDE" --large-amplitude "$LARGE_AMPLITUDE")
[[ -n "$MAX_ATOMS" ]] && ARGS+=(--max-atoms "$MAX_ATOMS")
[[ "$SPLIT_BY" == molecule ]] && ARGS+=(--split-by-molecule "$SPLIT")
OMP_NUM_THREADS=1 "$PY" launch/make_xtb_data.py "${ARGS[@]}"

if [[ -n "${SE3:-}" ]]; then
  echo "== using se3 at $SE3"
else
  echo "== building se3 (release)"
  swift build -c release --product se3 --scratch-path "$SCRATCH"
  SE3="$SCRATCH/release/se3"
fi

PREPARE=(prepare xyz --shards "$SHARDS" --units "dipole=e*Å" --extensive energy)
echo "== converting into $OUT"
if [[ "$SPLIT_BY" == frame ]]; then
  "$SE3" "${PREPARE[@]}" --input "$XYZ" --out "$OUT" --split "$SPLIT" --seed "$SEED"
else
  STEM="${XYZ%.extxyz}"
  # train first: it creates OUT/{train,val,test} (val and test empty for now).
  "$SE3" "${PREPARE[@]}" --input "$STEM.train.extxyz" --out "$OUT" --split 1,0,0 \
    | grep -vE "^(val|test): 0 structures"
  for part in val test; do
    if [[ -s "$STEM.$part.extxyz" ]]; then
      "$SE3" "${PREPARE[@]}" --input "$STEM.$part.extxyz" --out "$TMP/$part" --split 1,0,0 \
        | grep "^prepared" | sed "s/^prepared xyz:/prepared xyz ($part):/"
      rm -f "$OUT/$part"/shard-*.h5
      mv "$TMP/$part/train"/shard-*.h5 "$OUT/$part/"
    else
      echo "warning: no $part structures (split $SPLIT of $MOLECULES molecules); $OUT/$part has empty shards" >&2
    fi
  done
fi
du -sh "$OUT"/*
for part in train val test; do
  if compgen -G "$OUT/$part/shard-*.h5" >/dev/null; then
    "$SE3" inspect "$OUT/$part" --no-validate | grep -E "^(structures|atoms):" | sed "s/^/$part /"
  fi
done
"$SE3" inspect "$OUT/train"
