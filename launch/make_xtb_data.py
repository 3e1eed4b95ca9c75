#!/usr/bin/env python3
"""Make a small energy + force + dipole dataset with GFN2-xTB labels (tblite), as extended XYZ.

    python launch/make_xtb_data.py --molecules 500 --conformers 6 --seed 0 --out xtb.extxyz

Molecules: a seeded random sample of qm9pack's qm9_part1.csv (the first QM9 part, 43,610
molecules with H, C, N, O, F and up to 29 atoms), optionally only those with at most
--max-atoms atoms. Conformers: each molecule's QM9 geometry with every atom displaced by an
independent isotropic Gaussian whose RMS length is --small-amplitude (the first ceil(K/2)
conformers) or --large-amplitude (the others), in Å: a standard deviation of amplitude/√3 on
every Cartesian component.

Labels: one GFN2-xTB single point per conformer (tblite, neutral, closed shell, one thread):
  energy  (eV)     = E [Hartree] * 27.211386245988
  forces  (eV/Å)   = -gradient [Hartree/Bohr] * 27.211386245988 / 0.529177210903
  dipole  (e·Å)    = dipole [e·Bohr] * 0.529177210903
(CODATA 2018). A single point that fails (tblite raises, e.g. "SCF not converged") or returns
non-finite numbers is skipped and counted; nothing is filled in.

Output: extended XYZ as ASE writes it, one frame per conformer, molecule by molecule:
  N
  Properties=species:S:1:pos:R:3:forces:R:3 mol=dsgdb9nsd_000123 conformer=c3-large \
      energy=... dipole="dx dy dz" pbc="F F F"
  C       x y z       fx fy fz
`mol` and `conformer` are strings (se3 prepare xyz lists them as ignored); they trace a frame back
to its QM9 molecule. With --split-by-molecule F1,F2,F3 the molecules (not the frames) are split,
and OUT is replaced by three files OUT-stem.train.extxyz, .val.extxyz, .test.extxyz.

Prints, at the end: configurations written, skipped, wall time and seconds per single point.
"""
from __future__ import annotations

import os

# One thread for tblite (OpenMP) and numpy's BLAS; must be set before either is imported.
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"
os.environ.setdefault("OMP_STACKSIZE", "256M")

import argparse
import ast
import csv
import glob
import math
import sys
import time

import numpy as np

HARTREE_EV = 27.211386245988   # CODATA 2018
BOHR_ANGSTROM = 0.529177210903  # CODATA 2018
SYMBOLS = {"H": 1, "C": 6, "N": 7, "O": 8, "F": 9}


def find_qm9_csv(explicit: str | None) -> str:
    """qm9_part1.csv: --csv, else inside the installed qm9pack package (qm9pack/data/)."""
    if explicit:
        return explicit
    try:
        from importlib.resources import files
        path = files("qm9pack").joinpath("data", "qm9_part1.csv")
        if path.is_file():
            return str(path)
    except (ImportError, ModuleNotFoundError, TypeError):
        pass
    for base in sys.path:
        hits = sorted(glob.glob(os.path.join(base, "qm9pack", "**", "qm9_part1.csv"), recursive=True))
        if hits:
            return hits[0]
    sys.exit("error: qm9_part1.csv not found; pip install qm9pack or pass --csv")


def read_molecules(path: str, count: int, seed: int, max_atoms: int | None):
    """A seeded random sample of `count` molecules of the CSV (file order kept).

    Columns used: XYZ_file (name), N_atoms, Elements ("['C','H',...]"), XYZ_Ang
    ("[[x,y,z],...]" in Å; numbers like "0." appear, which Python's literal syntax accepts).
    """
    csv.field_size_limit(1 << 30)
    with open(path, newline="") as f:
        rows = [r for r in csv.DictReader(f)
                if max_atoms is None or int(r["N_atoms"]) <= max_atoms]
    if not rows:
        sys.exit(f"error: no molecule in {path} has at most {max_atoms} atoms")
    if count > len(rows):
        print(f"note: only {len(rows)} molecules qualify; using all of them", file=sys.stderr)
        count = len(rows)
    pick = np.sort(np.random.default_rng(seed).choice(len(rows), size=count, replace=False))
    mols = []
    for i in pick:
        r = rows[i]
        elements = ast.literal_eval(r["Elements"])
        xyz = np.asarray(ast.literal_eval(r["XYZ_Ang"]), dtype=np.float64)
        if xyz.shape != (len(elements), 3) or len(elements) != int(r["N_atoms"]):
            sys.exit(f"error: {path}: {r['XYZ_file']}: {len(elements)} elements, N_atoms {r['N_atoms']}, "
                     f"coordinates of shape {xyz.shape}")
        name = r["XYZ_file"].removesuffix(".xyz")
        mols.append((name, elements, np.asarray([SYMBOLS[e] for e in elements], dtype=np.int32), xyz))
    return mols


def single_point(numbers: np.ndarray, positions_angstrom: np.ndarray):
    """GFN2-xTB energy (eV), forces (eV/Å), dipole (e·Å); None when tblite fails."""
    from tblite.interface import Calculator
    from tblite.exceptions import TBLiteRuntimeError, TBLiteValueError
    try:
        calc = Calculator("GFN2-xTB", numbers, positions_angstrom / BOHR_ANGSTROM)
        calc.set("verbosity", 0)
        res = calc.singlepoint()
        energy = float(res.get("energy")) * HARTREE_EV
        forces = -np.asarray(res.get("gradient"), dtype=np.float64) * (HARTREE_EV / BOHR_ANGSTROM)
        dipole = np.asarray(res.get("dipole"), dtype=np.float64) * BOHR_ANGSTROM
    except (TBLiteRuntimeError, TBLiteValueError) as e:
        return None, str(e)
    if not (math.isfinite(energy) and np.isfinite(forces).all() and np.isfinite(dipole).all()):
        return None, "non-finite result"
    return (energy, forces, dipole), None


def frame_text(elements, positions, energy, forces, dipole, mol: str, conformer: str) -> str:
    """One extended-XYZ frame in ASE's layout (%-2s species, %16.8f reals)."""
    lines = [str(len(elements)),
             "Properties=species:S:1:pos:R:3:forces:R:3 mol={} conformer={} energy={!r} "
             "dipole=\"{!r} {!r} {!r}\" pbc=\"F F F\"".format(mol, conformer, energy, *map(float, dipole))]
    for e, p, f in zip(elements, positions, forces):
        lines.append("%-2s %16.8f %16.8f %16.8f %16.8f %16.8f %16.8f" % (e, *p, *f))
    return "\n".join(lines) + "\n"


def parse_fractions(text: str):
    parts = [float(x) for x in text.split(",")]
    if len(parts) != 3 or any(p < 0 for p in parts) or abs(sum(parts) - 1) > 1e-6:
        raise argparse.ArgumentTypeError(f"expected three non-negative fractions summing to 1, got {text!r}")
    return parts


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--molecules", type=int, default=500, help="molecules sampled from qm9_part1.csv (default 500)")
    ap.add_argument("--conformers", type=int, default=6, help="displaced conformers per molecule (default 6)")
    ap.add_argument("--seed", type=int, default=0, help="seed of the molecule sample and the displacements (default 0)")
    ap.add_argument("--out", required=True, help="output extended-XYZ file")
    ap.add_argument("--small-amplitude", type=float, default=0.05,
                    help="RMS displacement (Å) of each atom in the first ceil(K/2) conformers (default 0.05)")
    ap.add_argument("--large-amplitude", type=float, default=0.15,
                    help="RMS displacement (Å) of each atom in the other conformers (default 0.15)")
    ap.add_argument("--max-atoms", type=int, default=None, help="only molecules with at most this many atoms")
    ap.add_argument("--csv", default=None, help="qm9_part1.csv (default: the one in the installed qm9pack)")
    ap.add_argument("--split-by-molecule", type=parse_fractions, default=None, metavar="F1,F2,F3",
                    help="split the molecules into train,val,test and write three files next to --out")
    a = ap.parse_args()
    if a.molecules < 1 or a.conformers < 1:
        ap.error("--molecules and --conformers must be at least 1")
    if a.small_amplitude < 0 or a.large_amplitude < 0:
        ap.error("amplitudes must be non-negative")

    t0 = time.perf_counter()
    csv_path = find_qm9_csv(a.csv)
    mols = read_molecules(csv_path, a.molecules, a.seed, a.max_atoms)
    t_read = time.perf_counter() - t0
    atoms = [len(m[1]) for m in mols]
    print(f"molecules: {len(mols)} from {csv_path} (atoms min {min(atoms)}, mean {np.mean(atoms):.1f}, "
          f"max {max(atoms)}), read in {t_read:.1f} s", flush=True)

    # Output files: one, or three with a molecule-level split.
    if a.split_by_molecule is None:
        outputs = {"all": a.out}
        split_of = ["all"] * len(mols)
    else:
        stem = a.out[:-len(".extxyz")] if a.out.endswith(".extxyz") else os.path.splitext(a.out)[0]
        outputs = {s: f"{stem}.{s}.extxyz" for s in ("train", "val", "test")}
        n = len(mols)
        sizes = [round(a.split_by_molecule[0] * n), round(a.split_by_molecule[1] * n)]
        sizes[1] = min(sizes[1], n - sizes[0])
        perm = np.random.default_rng([a.seed, 1]).permutation(n)
        split_of = [""] * n
        for k, i in enumerate(perm):
            split_of[i] = "train" if k < sizes[0] else ("val" if k < sizes[0] + sizes[1] else "test")
    for path in outputs.values():
        os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    files = {s: open(p + ".partial", "w") for s, p in outputs.items()}

    rng = np.random.default_rng([a.seed, 0])
    n_small = (a.conformers + 1) // 2
    written = {s: 0 for s in outputs}
    skipped, reasons = 0, {}
    sp_time, sp_count = 0.0, 0
    total = len(mols) * a.conformers
    last_report = time.perf_counter()
    try:
        for m, (name, elements, numbers, xyz) in enumerate(mols):
            for c in range(a.conformers):
                label, amp = ("small", a.small_amplitude) if c < n_small else ("large", a.large_amplitude)
                pos = xyz + rng.normal(0.0, amp / np.sqrt(3.0), size=xyz.shape)
                t = time.perf_counter()
                result, why = single_point(numbers, pos)
                sp_time += time.perf_counter() - t
                sp_count += 1
                if result is None:
                    skipped += 1
                    reasons[why] = reasons.get(why, 0) + 1
                    print(f"skipped: {name} conformer {c} ({label}, {len(elements)} atoms): {why}", file=sys.stderr)
                    continue
                energy, forces, dipole = result
                s = split_of[m]
                files[s].write(frame_text(elements, pos, energy, forces, dipole, name, f"c{c}-{label}"))
                written[s] += 1
            now = time.perf_counter()
            if now - last_report > 30:
                last_report = now
                done = (m + 1) * a.conformers
                print(f"  {done}/{total} single points, {now - t0:.0f} s, "
                      f"{sp_time / sp_count:.3f} s each", flush=True)
    finally:
        for f in files.values():
            f.close()
    for s, p in outputs.items():
        os.replace(p + ".partial", p)

    wall = time.perf_counter() - t0
    for s, p in outputs.items():
        print(f"wrote {written[s]} configurations to {p}")
    print(f"configurations written: {sum(written.values())}, skipped: {skipped}"
          + (" (" + "; ".join(f"{k}: {v}" for k, v in sorted(reasons.items())) + ")" if reasons else ""))
    print(f"single points: {sp_count}, {sp_time / max(sp_count, 1):.4f} s each on average; "
          f"wall time {wall:.1f} s")
    if sum(written.values()) == 0:
        sys.exit("error: no configuration was written")


if __name__ == "__main__":
    main()
