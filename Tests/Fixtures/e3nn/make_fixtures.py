#!/usr/bin/env python3
"""Reference values from e3nn for se3's math conventions (spherical harmonics, Wigner 3j, Wigner D,
tensor products).

Requirements (not needed to *run* the Swift tests, only to regenerate the JSON files):

    pip install e3nn==0.6.0 torch

Usage: ``python Tests/Fixtures/e3nn/make_fixtures.py`` writes the JSON files next to this script and
then re-reads them and checks them (tensor-product outputs reproduced by an explicit einsum, e3nn's
own equivariance). Everything is float64 (``torch.set_default_dtype(torch.float64)``); floats are
written with ``json`` (shortest round-trip repr, i.e. full float64 precision). All inputs are fixed
or come from seeded generators, so reruns give the same files up to the last ulp of e3nn's maths.

Basis change e3nn -> se3 (determined numerically, tested in Tests/SE3MathTests/E3NNConventionTests.swift)
-------------------------------------------------------------------------------------------------------
Let ``P`` be the proper (det +1) axis permutation ``P (x, y, z) = (z, x, y)``, i.e. the rows of P are
``(0,0,1), (1,0,0), (0,1,0)``: e3nn's polar axis y becomes se3's polar axis z. Then, for every l
(the Swift tests check l <= 6 for the harmonics, l <= 4 for D; a Python re-implementation of se3's
harmonics agreed with e3nn to 4e-13 up to l = 11), with the flat index ``l^2 + l + m`` in both
libraries (e3nn's "index k = m + l" inside a block) and no extra signs (S_l = identity):

    e3nn  o3.spherical_harmonics(l, v, normalize=True, normalization="component")
        = se3 SphericalHarmonics.evaluate(P v)[l^2 ..< (l+1)^2]                 (S_l = identity)
    e3nn  o3.Irrep(l, p).D_from_matrix(R)  =  se3 WignerD.matrix(l: l, P R P^T, parity: p)
                                             (R proper or improper; D^1_e3nn(R) = R itself)
    se3   ClebschGordan.block(l1, l2, l3)  =  eps · sqrt(2 l3 + 1) · e3nn o3.wigner_3j(l1, l2, l3)
          (same [m1][m2][m3] row-major layout), eps = ±1 = the sign of the first entry of
          wigner_3j(l1, l2, l3) (lexicographic (m1, m2, m3) order) whose magnitude exceeds a
          tolerance (1e-9), because se3 makes its first non-zero entry positive. Equivalently
          Σ_{m1,m2,m3} C_se3 · wigner_3j = eps · sqrt(2 l3 + 1), so eps is that sum's sign. eps is not a simple function of
          the degrees (e.g. +1 for (1,1,1), -1 for (1,1,2) and (2,2,2)).

Files
-----
Every file is a JSON object with ``"e3nn_version"``, ``"torch_version"`` and ``"dtype": "float64"``
plus the keys below. Matrices are flattened row-major; an irrep block of degree l is indexed by
``k = m + l``, m = -l...l (e3nn's order, which is also se3's).

spherical_harmonics.json
    ``lmax`` (6), ``normalization`` ("component"), ``normalize`` (true),
    ``vectors``: list of [x, y, z] (unit and non-unit; axes ±x, ±y, ±z, near-poles, generic),
    ``values``: one list per vector of (lmax+1)^2 numbers, e3nn's Y^l at flat index l^2 + k
    (the concatenation of ``o3.spherical_harmonics(l, v, True, normalization="component")``, l = 0...lmax).

wigner_3j.json
    ``blocks``: list of {``l1``, ``l2``, ``l3``, ``shape`` [2l1+1, 2l2+1, 2l3+1], ``values`` (row-major
    [i][j][k], i = m1 + l1, ...)} = ``o3.wigner_3j(l1, l2, l3)`` (unit Frobenius norm), for every
    triangle-allowed triple with l1, l2, l3 <= 3 plus a few with one degree 4 or 5.

wigner_d.json
    ``rotations``: list of {``angles`` [alpha, beta, gamma] (e3nn's Y-X-Y Euler angles, radians),
    ``matrix`` (9 numbers, R = o3.angles_to_matrix(alpha, beta, gamma), acting on column vectors),
    ``D``: {"0e": [...], "1o": [...], "2e": [...], "3o": [...], "4e": [...]}
    (``o3.Irrep(l, (-1)^l).D_from_matrix(R)``, (2l+1)^2 numbers each)}.
    ``improper``: {``matrix`` (9 numbers, -R of rotations[0], det -1), ``D``: {"0e", "1o", "1e", "2e",
    "2o": ``o3.Irrep(ir).D_from_matrix(-R)``}}  (e3nn: D_ir(-R) = p · D^l(R)).

tensor_product.json
    ``products``: {"uvu": {...}, "uvw": {...}}, each an ``o3.TensorProduct(irreps_in1, irreps_in2,
    irreps_out, instructions, shared_weights=True, internal_weights=False)`` with e3nn's default
    normalisation (irrep_normalization="component", path_normalization="element", all variances 1,
    user path_weight 1). Weights are SHARED over the batch and passed explicitly
    (``tp(x1, x2, weights)`` with ``weights`` of shape (weight_numel,)). Keys:

    ``irreps_in1``, ``irreps_in2``, ``irreps_out``: e3nn irreps strings.
    ``irrep_normalization``, ``path_normalization``: "component", "element".
    ``in1_layout``, ``in2_layout``, ``out_layout``: one entry per irrep of the corresponding irreps,
        {``mul``, ``l``, ``p`` (+1/-1), ``offset`` (start in the feature vector), ``dim`` (mul·(2l+1))};
        e3nn's "mul_ir" layout: component (u, k) of irrep i sits at ``offset_i + u·(2l+1) + k``.
    ``instructions``: in e3nn's order, each {``i_in1``, ``i_in2``, ``i_out`` (irrep indices),
        ``l1``, ``l2``, ``l3``, ``mode`` ("uvu" or "uvw"), ``has_weight`` (true),
        ``path_weight`` (the user path weight passed in, 1.0),
        ``normalization`` (e3nn's coefficient c = ``tp.instructions[i].path_weight`` after
        construction, i.e. sqrt(alpha): c = sqrt((2 l3 + 1) / Σ_{paths p into i_out} n_p), with
        n_p = mul_in2 for "uvu" and mul_in1·mul_in2 for "uvw"; also stored as
        ``normalization_formula`` computed from that formula),
        ``weight_shape`` ([mul1, mul2] for uvu, [mul1, mul2, mul_out] for uvw),
        ``weight_offset`` (start of this instruction's weights in ``weights``)}.
    ``weight_numel``, ``weights``: flat weights, instruction order, each block row-major in
        ``weight_shape``: W_i[u, v] = weights[off_i + u·mul2 + v] (uvu),
        W_i[u, v, w] = weights[off_i + (u·mul2 + v)·mul_out + w] (uvw).
    ``batch``: number of samples Z (5).
    ``x1``: Z lists of irreps_in1.dim numbers (standard normal, seeded).
    ``x2_vectors``: Z vectors [x, y, z]; ``x2``: Z lists of irreps_in2.dim numbers,
        x2[z] = o3.spherical_harmonics("1x0e+1x1o+1x2e", x2_vectors[z], True, "component").
    ``output``: Z lists of irreps_out.dim numbers, ``tp(x1, x2, weights)``.

    Formula (checked by this script from the JSON alone, with w3j from wigner_3j.json), for every
    sample z: with X1_a[u, i] = x1[z][off_a + u(2l_a+1) + i], X2_b[v, j] likewise, w3j = wigner_3j(l1, l2, l3):

        uvw:  out_c[w, k] = Σ_{instr (a, b, c)} c_instr · Σ_{u, v, i, j} W[u, v, w] X1_a[u, i] X2_b[v, j] w3j[i, j, k]
        uvu:  out_c[u, k] = Σ_{instr (a, b, c)} c_instr · Σ_{v, i, j}    W[u, v]    X1_a[u, i] X2_b[v, j] w3j[i, j, k]

    and output[z][off_c + w(2l_c+1) + k] = out_c[w, k] (zero for an output irrep with no path).
    (e3nn's generated code uses closed forms for paths with an l = 0 factor, e.g. x1·x2/sqrt(2l+1);
    they equal the w3j form because wigner_3j(l, l, 0) = δ/sqrt(2l+1) etc. with e3nn's signs.)

    In se3's basis (see above): x1, x2, output are per-block the same numbers (S_l = identity;
    a vector argument v of an SH becomes P v), and w3j = eps · C_se3 / sqrt(2 l3 + 1).
"""

import json
import math
import os
import sys

import numpy as np
import torch
import e3nn
from e3nn import o3

torch.set_default_dtype(torch.float64)

HERE = os.path.dirname(os.path.abspath(__file__))
META = {"e3nn_version": e3nn.__version__, "torch_version": torch.__version__.split("+")[0], "dtype": "float64"}


def flat(t):
    return [float(x) for x in t.detach().reshape(-1).tolist()]


def write(name, payload):
    path = os.path.join(HERE, name)
    with open(path, "w") as f:
        json.dump({**META, **payload}, f, separators=(",", ":"))
        f.write("\n")
    print(f"wrote {name} ({os.path.getsize(path)} bytes)")


# ---------------------------------------------------------------------------------------------------
# spherical harmonics

SH_LMAX = 6
SH_VECTORS = [
    [1.0, 0.0, 0.0], [-1.0, 0.0, 0.0],
    [0.0, 1.0, 0.0], [0.0, -1.0, 0.0],       # e3nn's poles
    [0.0, 0.0, 1.0], [0.0, 0.0, -2.5],       # se3's poles (the second non-unit)
    [1e-7, 1.0, -2e-7], [3e-6, -0.7, 1e-6],  # near e3nn's poles
    [2e-7, -1e-7, 3.0], [-1e-6, 2e-6, -1.0],  # near se3's poles
    [0.6, 0.0, 0.8], [0.3, -1.2, 0.7], [-2.0, 0.5, 1.5], [1.0, 1.0, 1.0], [-0.25, -0.4, -0.1],
]


def make_spherical_harmonics():
    v = torch.tensor(SH_VECTORS)
    vals = torch.cat([o3.spherical_harmonics(l, v, normalize=True, normalization="component")
                      for l in range(SH_LMAX + 1)], dim=1)
    write("spherical_harmonics.json", {
        "lmax": SH_LMAX, "normalization": "component", "normalize": True,
        "vectors": SH_VECTORS, "values": [flat(row) for row in vals],
    })


# ---------------------------------------------------------------------------------------------------
# Wigner 3j

EXTRA_3J = [(4, 1, 3), (4, 1, 4), (4, 1, 5), (2, 4, 3), (3, 3, 4), (3, 2, 5), (5, 1, 4), (2, 3, 5)]


def triples_3j():
    out = [(l1, l2, l3) for l1 in range(4) for l2 in range(4) for l3 in range(4) if abs(l1 - l2) <= l3 <= l1 + l2]
    return out + [t for t in EXTRA_3J if t not in out]


def make_wigner_3j():
    blocks = []
    for l1, l2, l3 in triples_3j():
        w = o3.wigner_3j(l1, l2, l3)
        blocks.append({"l1": l1, "l2": l2, "l3": l3, "shape": list(w.shape), "values": flat(w)})
    write("wigner_3j.json", {"blocks": blocks})


# ---------------------------------------------------------------------------------------------------
# Wigner D

D_ANGLES = [[0.3, 1.1, -0.7], [2.9, 0.4, 1.3], [-1.7, 2.6, 0.2], [0.85, 1.9, -2.4]]
D_IRREPS_PROPER = ["0e", "1o", "2e", "3o", "4e"]
D_IRREPS_IMPROPER = ["0e", "1o", "1e", "2e", "2o"]


def make_wigner_d():
    rotations = []
    for a, b, c in D_ANGLES:
        R = o3.angles_to_matrix(torch.tensor(a), torch.tensor(b), torch.tensor(c))
        rotations.append({"angles": [a, b, c], "matrix": flat(R),
                          "D": {ir: flat(o3.Irrep(ir).D_from_matrix(R)) for ir in D_IRREPS_PROPER}})
    R0 = o3.angles_to_matrix(*[torch.tensor(x) for x in D_ANGLES[0]])
    Rm = -R0
    assert torch.det(Rm) < 0
    improper = {"matrix": flat(Rm), "D": {ir: flat(o3.Irrep(ir).D_from_matrix(Rm)) for ir in D_IRREPS_IMPROPER}}
    write("wigner_d.json", {"rotations": rotations, "improper": improper})


# ---------------------------------------------------------------------------------------------------
# tensor products

TP_BATCH = 5
TP_SPECS = {
    "uvu": ("4x0e+4x1o+4x2e", "1x0e+1x1o+1x2e", "4x0e+4x1o+4x2e"),
    "uvw": ("3x0e+2x1o+2x2e", "1x0e+1x1o+1x2e", "2x0e+3x1o+1x2e"),
}


def layout(irreps):
    out, off = [], 0
    for mul, ir in irreps:
        out.append({"mul": mul, "l": ir.l, "p": ir.p, "offset": off, "dim": mul * ir.dim})
        off += mul * ir.dim
    return out


def all_paths(irreps_in1, irreps_in2, irreps_out, mode):
    """Every allowed (i_in1, i_in2, i_out), loops in that order (i_in1 outermost)."""
    ins = []
    for i1, (_, ir1) in enumerate(irreps_in1):
        for i2, (_, ir2) in enumerate(irreps_in2):
            for io, (_, iro) in enumerate(irreps_out):
                if iro in ir1 * ir2:
                    ins.append((i1, i2, io, mode, True, 1.0))
    return ins


def make_tensor_product(mode, seed):
    s1, s2, so = TP_SPECS[mode]
    irreps_in1, irreps_in2, irreps_out = o3.Irreps(s1), o3.Irreps(s2), o3.Irreps(so)
    instructions = all_paths(irreps_in1, irreps_in2, irreps_out, mode)
    tp = o3.TensorProduct(irreps_in1, irreps_in2, irreps_out, instructions,
                          irrep_normalization="component", path_normalization="element",
                          shared_weights=True, internal_weights=False)
    g = torch.Generator().manual_seed(seed)
    x1 = torch.randn(TP_BATCH, irreps_in1.dim, generator=g)
    vecs = torch.randn(TP_BATCH, 3, generator=g)
    x2 = o3.spherical_harmonics(irreps_in2, vecs, normalize=True, normalization="component")
    weights = torch.randn(tp.weight_numel, generator=g)
    out = tp(x1, x2, weights)

    # normalisation from e3nn's own rule (element path normalisation, unit variances)
    def n_elements(ins):
        m1, m2 = irreps_in1[ins[0]].mul, irreps_in2[ins[1]].mul
        return m2 if mode == "uvu" else m1 * m2

    recs, off = [], 0
    for ins_user, ins in zip(instructions, tp.instructions):
        i1, i2, io = ins.i_in1, ins.i_in2, ins.i_out
        assert (i1, i2, io) == ins_user[:3]
        fan = sum(n_elements(j) for j in instructions if j[2] == io)
        formula = math.sqrt(irreps_out[io].ir.dim / fan)
        assert abs(formula - ins.path_weight) < 1e-15, (formula, ins.path_weight)
        shape = list(ins.path_shape)
        recs.append({"i_in1": i1, "i_in2": i2, "i_out": io,
                     "l1": irreps_in1[i1].ir.l, "l2": irreps_in2[i2].ir.l, "l3": irreps_out[io].ir.l,
                     "mode": ins.connection_mode, "has_weight": ins.has_weight, "path_weight": ins_user[5],
                     "normalization": float(ins.path_weight), "normalization_formula": formula,
                     "weight_shape": shape, "weight_offset": off})
        off += math.prod(shape)
    assert off == tp.weight_numel
    return {
        "irreps_in1": str(irreps_in1), "irreps_in2": str(irreps_in2), "irreps_out": str(irreps_out),
        "irrep_normalization": "component", "path_normalization": "element",
        "shared_weights": True, "internal_weights": False,
        "in1_layout": layout(irreps_in1), "in2_layout": layout(irreps_in2), "out_layout": layout(irreps_out),
        "instructions": recs, "weight_numel": tp.weight_numel, "weights": flat(weights),
        "batch": TP_BATCH, "x1": [flat(r) for r in x1], "x2_vectors": [flat(r) for r in vecs],
        "x2": [flat(r) for r in x2], "output": [flat(r) for r in out],
    }


def make_tensor_products():
    write("tensor_product.json", {"products": {"uvu": make_tensor_product("uvu", 1234),
                                               "uvw": make_tensor_product("uvw", 5678)}})


# ---------------------------------------------------------------------------------------------------
# checks (from the written JSON only)

def load(name):
    with open(os.path.join(HERE, name)) as f:
        return json.load(f)


def reproduce_tensor_product(p, w3j):
    """The documented formula, in numpy, from the JSON alone."""
    x1, x2, W = np.array(p["x1"]), np.array(p["x2"]), np.array(p["weights"])
    lay1, lay2, layo = p["in1_layout"], p["in2_layout"], p["out_layout"]
    out = np.zeros((p["batch"], sum(e["dim"] for e in layo)))

    def block(x, e):
        return x[:, e["offset"]:e["offset"] + e["dim"]].reshape(x.shape[0], e["mul"], 2 * e["l"] + 1)

    for ins in p["instructions"]:
        a, b, c = lay1[ins["i_in1"]], lay2[ins["i_in2"]], layo[ins["i_out"]]
        C = w3j[(a["l"], b["l"], c["l"])]
        w = W[ins["weight_offset"]:ins["weight_offset"] + math.prod(ins["weight_shape"])].reshape(ins["weight_shape"])
        X1, X2 = block(x1, a), block(x2, b)
        if ins["mode"] == "uvw":
            r = np.einsum("uvw,ijk,zui,zvj->zwk", w, C, X1, X2)
        elif ins["mode"] == "uvu":
            r = np.einsum("uv,ijk,zui,zvj->zuk", w, C, X1, X2)
        else:
            raise ValueError(ins["mode"])
        out[:, c["offset"]:c["offset"] + c["dim"]] += ins["normalization"] * r.reshape(out.shape[0], -1)
    return out


def check():
    worst = {}
    w3j = {(b["l1"], b["l2"], b["l3"]): np.array(b["values"]).reshape(b["shape"]) for b in load("wigner_3j.json")["blocks"]}
    tps = load("tensor_product.json")["products"]
    for name, p in tps.items():
        err = np.abs(reproduce_tensor_product(p, w3j) - np.array(p["output"])).max()
        worst[f"tensor_product[{name}] einsum vs e3nn"] = err
        x2 = o3.spherical_harmonics(p["irreps_in2"], torch.tensor(p["x2_vectors"]), True, normalization="component")
        worst[f"tensor_product[{name}] x2 = SH(x2_vectors)"] = np.abs(x2.numpy() - np.array(p["x2"])).max()

    # e3nn's own consistency on the stored values: Y(R v) = D(R) Y(v), w3j invariance
    sh = load("spherical_harmonics.json")
    dd = load("wigner_d.json")
    for rot in dd["rotations"] + [dd["improper"]]:
        R = torch.tensor(rot["matrix"]).reshape(3, 3)
        v = torch.tensor(sh["vectors"])
        for ir, d in rot["D"].items():
            irrep = o3.Irrep(ir)
            if irrep.p != (-1) ** irrep.l:
                continue
            D = torch.tensor(d).reshape(irrep.dim, irrep.dim)
            lhs = o3.spherical_harmonics(irrep.l, v @ R.T, True, normalization="component")
            rhs = o3.spherical_harmonics(irrep.l, v, True, normalization="component") @ D.T
            worst[f"e3nn Y(Rv) = D Y(v), {ir}"] = max(worst.get(f"e3nn Y(Rv) = D Y(v), {ir}", 0.0),
                                                       float((lhs - rhs).abs().max()))
    R = torch.tensor(dd["rotations"][1]["matrix"]).reshape(3, 3)
    inv = 0.0
    for (l1, l2, l3), C in w3j.items():
        D1, D2, D3 = (o3.Irrep(l, 1).D_from_matrix(R).numpy() for l in (l1, l2, l3))
        inv = max(inv, np.abs(np.einsum("ijk,ai,bj,ck->abc", C, D1, D2, D3) - C).max())
        assert abs(np.sum(C * C) - 1) < 1e-13
    worst["e3nn w3j invariance"] = inv

    for k, v in worst.items():
        print(f"  {k:45s} max |diff| = {v:.2e}")
    bad = {k: v for k, v in worst.items() if not v < 1e-12}
    if bad:
        sys.exit(f"checks failed: {bad}")
    print("all checks < 1e-12")


if __name__ == "__main__":
    make_spherical_harmonics()
    make_wigner_3j()
    make_wigner_d()
    make_tensor_products()
    check()
