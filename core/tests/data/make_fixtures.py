"""Regenerates the dimod fixtures used by core/tests/qubo_formats.rs.

Run from the repository root with the peers venv (dimod 0.12.x):

    /work/peers-venv/bin/python core/tests/data/make_fixtures.py

Every file under core/tests/data/dimod/ is written by dimod itself (or, for qbsolv, by the short
writer below that follows the qbsolv README), so the Rust tests compare our readers and writers
with dimod's own bytes. `energies.json` holds, per model, the variable labels in dimod's variable
order, a set of samples in that order, and the energies dimod computes for them.
"""

import io
import itertools
import json
import os
import random

import dimod
import numpy as np
from dimod.serialization import coo

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "dimod")


def bqm(linear, quadratic, offset, vartype, dtype=np.float64):
    """A BQM whose variable order is exactly the order of `linear`'s keys (then new ones)."""
    m = dimod.BinaryQuadraticModel(vartype, dtype=dtype)
    for v, b in linear.items():
        m.set_linear(v, b)
    for (u, v), b in quadratic.items():
        m.set_quadratic(u, v, b)
    m.offset = offset
    return m


MODELS = {
    # index labels 0..n, both vartypes, an offset, a stored zero-bias interaction
    "spin_range": bqm(
        {0: 1.5, 1: -2.0, 2: 0.0, 3: 0.25},
        {(0, 1): -1.0, (1, 2): 0.5, (3, 0): 2.0, (2, 3): 0.0},
        1.25,
        "SPIN",
    ),
    "binary_range": bqm(
        {0: -3.0, 1: 0.5, 2: 4.0, 3: -1.0, 4: 2.0},
        {(0, 1): 1.0, (0, 4): -2.5, (1, 2): 3.0, (2, 4): -0.75, (3, 4): 1.5},
        -3.0,
        "BINARY",
    ),
    "empty_spin": bqm({}, {}, 0.0, "SPIN"),
    "empty_binary_offset": bqm({}, {}, 2.5, "BINARY"),
    "no_interactions": bqm({0: 1.0, 1: -0.5, 2: 0.0}, {}, 0.0, "BINARY"),
    # floats whose text forms are easy to get wrong ("%f" ties, repr exponents, -0.0, subnormal)
    "odd_floats": bqm(
        {0: 1e-7, 1: 1e16, 2: 0.1 + 0.2, 3: -0.0, 4: 0.0078125, 5: 123456.0000005},
        {(0, 1): 5e-324, (1, 2): -1e22, (2, 3): 1e-5, (3, 4): -0.0, (4, 5): 2.5e-7},
        1e-5,
        "BINARY",
    ),
    # labels that are not range(n)
    "labels_strings": bqm(
        {"b": 1.0, "a": -1.0, "\u00e9t\u00e9": 0.5, 'quote"back\\slash': 0.0, "\U0001F600\n": 2.0},
        {("a", "b"): 1.5, ("\u00e9t\u00e9", "b"): -0.5, ('quote"back\\slash', "\U0001F600\n"): 3.0},
        -0.75,
        "SPIN",
    ),
    "labels_ints_unordered": bqm(
        {3: 1.0, 0: -2.0, 10: 0.5, 2: 0.0},
        {(3, 0): 1.0, (10, 2): -1.0, (0, 10): 2.0},
        0.5,
        "BINARY",
    ),
    "labels_numbers": bqm(
        {2.5: 1.0, -1: 0.5, 10**12: -1.0, 0.5: 2.0, 7: 0.0, 1e16: 0.25},
        {(2.5, -1): 1.0, (10**12, 0.5): -2.0, (7, 2.5): 0.5},
        0.0,
        "SPIN",
    ),
    "labels_tuples": bqm(
        {(1, 0): 1.0, (0, 1): -1.0, (0, 0): 0.5, (2, -1): 0.0},
        {((1, 0), (0, 1)): 1.0, ((0, 0), (2, -1)): -2.0, ((0, 1), (0, 0)): 0.5},
        1.0,
        "SPIN",
    ),
    "labels_nested": bqm(
        {("a", (1, 2)): 1.0, ("a", (0, 5)): -1.0, ("b", (0, 0)): 0.5},
        {(("a", (1, 2)), ("b", (0, 0))): 2.0},
        0.0,
        "BINARY",
    ),
    # Python cannot sort these (str vs int vs tuple): to_file keeps insertion order, which is all
    # the DIMODBQM format needs; the JSON array order is CPython's aborted-sort state, so the
    # JSON fixture is only read, never compared as text.
    "labels_mixed": bqm(
        {"a": 1.0, 0: -1.0, 2.5: 0.5, (1, "x"): 2.0},
        {("a", 0): 1.0, (2.5, (1, "x")): -1.0},
        0.5,
        "SPIN",
    ),
}

# Files in other header variants dimod 0.12 writes; read-only fixtures.
VARIANTS = {
    "float32_labels": (
        bqm({"a": 1.1, "b": 2.0, "c": -0.3}, {("a", "b"): 0.3, ("c", "a"): 1.7}, 1.5, "SPIN", np.float32),
        {},
    ),
    "float32_range": (
        bqm({0: 0.1, 1: -2.2}, {(0, 1): 3.3}, -0.1, "BINARY", np.float32),
        {},
    ),
    "v1_labels": (MODELS["labels_strings"], {"version": 1}),
    "v1_range": (MODELS["binary_range"], {"version": 1}),
    "ignore_labels": (MODELS["labels_tuples"], {"ignore_labels": True}),
}


def samples_for(m, rng):
    n = m.num_variables
    values = sorted(m.vartype.value)
    if n <= 6:
        return [list(s) for s in itertools.product(values, repeat=n)]
    return [[rng.choice(values) for _ in range(n)] for _ in range(24)]


def energies_entry(m, rng):
    samples = samples_for(m, rng)
    labels = list(m.variables)
    if samples and labels:
        energies = m.energies((np.asarray(samples, dtype=np.int8), labels))
    else:
        energies = [m.offset] * max(len(samples), 1)
        samples = samples or [[]]
    return {
        "vartype": m.vartype.name,
        "labels": dimod.variables.Variables(labels).to_serializable(),
        "samples": samples,
        "energies": [float(e) for e in energies],
    }


def qbsolv_text(m):
    """qbsolv `.qubo` text of a BINARY model as described in the qbsolv README: `p qubo 0
    maxNodes nNodes nLinks`, then the diagonal entries, then the couplers (i < j)."""
    assert m.vartype is dimod.BINARY and m.variables._is_range()
    nodes = [(v, b) for v, b in m.linear.items() if b]
    links = sorted((min(u, v), max(u, v), b) for (u, v), b in m.quadratic.items())
    lines = ["c written by make_fixtures.py", f"p qubo 0 {m.num_variables} {len(nodes)} {len(links)}"]
    lines += [f"{v} {v} {float(b)!r}" for v, b in nodes]
    lines += ["c couplers"]
    lines += [f"{u} {v} {float(b)!r}" for u, v, b in links]
    return "\n".join(lines) + "\n"


def float_cases(rng):
    """Doubles whose text forms (repr for JSON and qbsolv, "%f" for COO) the writers must match:
    random bit patterns over the whole exponent range, short decimals, and exact ties at the
    sixth decimal (k / 128)."""
    import struct

    xs = []
    while len(xs) < 150:
        (x,) = struct.unpack("<d", rng.getrandbits(64).to_bytes(8, "little"))
        if x == x and abs(x) != float("inf") and abs(x) < 1e30:
            xs.append(x)
    xs += [rng.randint(-10**6, 10**6) / 10 ** rng.randint(0, 9) for _ in range(80)]
    xs += [rng.randint(-4096, 4096) / 128 for _ in range(30)]
    xs += [1e16, 1e15, 1e-4, 1e-5, 0.1, 5e-324, 1.7976931348623157e308, 2.0**53 + 2, -0.0]
    return [{"x": x, "repr": repr(x), "f": "%f" % x} for x in xs if x != 0.0]


def write(name, data):
    mode = "wb" if isinstance(data, bytes) else "w"
    with open(os.path.join(OUT, name), mode, newline="" if mode == "w" else None) as f:
        f.write(data)


def main():
    os.makedirs(OUT, exist_ok=True)
    rng = random.Random(20240601)
    energies = {}
    for name, m in MODELS.items():
        write(f"{name}.bqm", m.to_file().read())
        write(f"{name}.json", json.dumps(m.to_serializable()))
        if all(isinstance(v, int) and v >= 0 for v in m.variables):
            write(f"{name}.coo", coo.dumps(m))
            write(f"{name}.header.coo", coo.dumps(m, vartype_header=True))
            buf = io.StringIO()
            coo.dump(m, buf, vartype_header=True)
            write(f"{name}.dump.coo", buf.getvalue())
        energies[name] = energies_entry(m, rng)
    for name, (m, kwargs) in VARIANTS.items():
        write(f"{name}.bqm", m.to_file(**kwargs).read())
        energies[name] = energies_entry(m, rng)
    # ignore_labels drops the labels: the file's model is index-labelled.
    energies["ignore_labels"]["labels"] = list(range(MODELS["labels_tuples"].num_variables))

    # qbsolv files hold no offset: their energies are those of the model without it.
    for name in ("binary_range", "no_interactions", "empty_binary_offset"):
        m = MODELS[name].copy()
        m.offset = 0.0
        write(f"{name}.qubo", qbsolv_text(m))
        energies[f"qbsolv:{name}"] = energies_entry(m, rng)

    with open(os.path.join(OUT, "floats.json"), "w") as f:
        json.dump(float_cases(rng), f, indent=0)
        f.write("\n")

    with open(os.path.join(OUT, "energies.json"), "w") as f:
        json.dump(energies, f, indent=1)
        f.write("\n")
    total = sum(os.path.getsize(os.path.join(OUT, p)) for p in os.listdir(OUT))
    print(f"wrote {len(os.listdir(OUT))} files, {total} bytes, dimod {dimod.__version__}")


if __name__ == "__main__":
    main()
