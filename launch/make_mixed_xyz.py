#!/usr/bin/env python3
"""A mixed-size extended-XYZ set for load-balancing runs (`data.balance`, docs/distributed.md).

    python3 launch/make_mixed_xyz.py --frames 4000 --min-atoms 3 --max-atoms 60 --seed 0 > mixed.extxyz
    .build/release/se3 prepare xyz --input mixed.extxyz --out data/mixed --shards 4

Each frame is an isolated cluster of N atoms (N uniform in [min, max]; H 50 %, C 30 %, N 10 %,
O 10 %) placed at random in a ball of about 10 Å^3 per atom, no two closer than 0.95 Å. Its
`energy` (eV) is a sum of element references and a smooth pair term, so the set trains like a
small molecular one; only the mix of sizes matters for balancing. Standard library only.
"""
import argparse
import math
import random
import sys

ELEMENTS = [("H", 0.5, -13.6), ("C", 0.3, -1029.0), ("N", 0.1, -1485.0), ("O", 0.1, -2042.0)]


def cluster(rng, n):
    radius = (3 * 10.0 * n / (4 * math.pi)) ** (1 / 3)
    positions = []
    while len(positions) < n:
        p = [rng.uniform(-radius, radius) for _ in range(3)]
        if sum(c * c for c in p) > radius * radius:
            continue
        if all(math.dist(p, q) >= 0.95 for q in positions):
            positions.append(p)
    symbols = rng.choices([e[0] for e in ELEMENTS], weights=[e[1] for e in ELEMENTS], k=n)
    return symbols, positions


def energy(symbols, positions):
    refs = {e[0]: e[2] for e in ELEMENTS}
    e = sum(refs[s] for s in symbols)
    for i in range(len(positions)):
        for j in range(i):
            r = math.dist(positions[i], positions[j])
            if r < 5.0:
                e -= 0.5 * math.exp(-((r - 1.3) ** 2))
    return e


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--frames", type=int, default=4000)
    ap.add_argument("--min-atoms", type=int, default=3)
    ap.add_argument("--max-atoms", type=int, default=60)
    ap.add_argument("--seed", type=int, default=0)
    a = ap.parse_args()
    if a.frames < 1 or not 1 <= a.min_atoms <= a.max_atoms:
        ap.error("need --frames >= 1 and 1 <= --min-atoms <= --max-atoms")
    rng = random.Random(a.seed)
    out = sys.stdout
    for _ in range(a.frames):
        symbols, positions = cluster(rng, rng.randint(a.min_atoms, a.max_atoms))
        out.write(f"{len(symbols)}\n")
        out.write(f'Properties=species:S:1:pos:R:3 energy={energy(symbols, positions):.6f} pbc="F F F"\n')
        for s, p in zip(symbols, positions):
            out.write(f"{s} {p[0]:.5f} {p[1]:.5f} {p[2]:.5f}\n")


if __name__ == "__main__":
    main()
