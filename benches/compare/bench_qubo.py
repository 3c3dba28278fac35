"""QUBO model building, energies and files, neuroquant vs dimod (SPEC §7 "model building"), on a
dense model N=2000 (1,999,000 couplers, uniform biases in [-1, 1]).

Rows, each 1 vs 1 thread (dimod is single-threaded; our implicit pool is pinned to one thread by
common.py), then ours on 2 threads (a child process with NQ_BENCH_THREADS=2) against the same dimod
time, labelled "2 vs 1". Checked before any time is taken, raising common.AccuracyError:
- build from COO arrays: both models have the same number of couplers and give the same energies
  on 1000 random samples (max abs diff <= 1e-9 x scale), which is also the check of the energies row;
- write DIMODBQM: our file is byte-identical to dimod's `to_file()`;
- 2-thread rows: the child's energies are bit-identical to the 1-thread energies.

Run alone: python benches/compare/run.py --only qubo [--quick]
"""

from __future__ import annotations

import common  # noqa: F401  (first: pins implicit thread pools to one thread)

import hashlib
import json
import os
import subprocess
import sys
import tempfile
from typing import Any

import numpy as np

from common import AccuracyError, Row, best_of

PEERS = ["dimod", "numpy"]

N, QUICK_N = 2000, 500
SAMPLES = 1000


def data(n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(0)
    iu = np.triu_indices(n, 1)
    rows, cols = iu[0].astype(np.uint32), iu[1].astype(np.uint32)
    quad = rng.uniform(-1, 1, len(rows))
    lin = rng.uniform(-1, 1, n)
    samples = rng.integers(0, 2, size=(SAMPLES, n), dtype=np.int8)
    return lin, rows, cols, quad, samples


def ours_build(n: int, lin: np.ndarray, rows: np.ndarray, cols: np.ndarray, quad: np.ndarray) -> Any:
    import neuroquant as nq

    b = nq.qubo.Bqm(n, "BINARY")
    b.add_linear_from_array(lin)
    b.add_quadratic_from_arrays(rows, cols, quad)
    return b


def ours_times(n: int) -> dict[str, Any]:
    """Our build and energies times (best of 3) on this process's pool, and a hash of the energies."""
    lin, rows, cols, quad, samples = data(n)
    ours = ours_build(n, lin, rows, cols, quad)
    energies = np.ascontiguousarray(ours.energies(samples))
    return {
        "build": best_of(lambda: ours_build(n, lin, rows, cols, quad)),
        "energies": best_of(lambda: ours.energies(samples), repeat=2),
        "energies_sha256": hashlib.sha256(energies.tobytes()).hexdigest(),
    }


def two_thread_times(n: int) -> dict[str, Any]:
    out = subprocess.run(
        [sys.executable, os.path.abspath(__file__), "--ours-times", str(n)],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "NQ_BENCH_THREADS": "2"},
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def run(quick: bool = False) -> list[Row]:
    import dimod

    n = QUICK_N if quick else N
    lin, rows, cols, quad, samples = data(n)

    def dimod_build() -> dimod.BinaryQuadraticModel:
        return dimod.BinaryQuadraticModel.from_numpy_vectors(lin, (rows, cols, quad), 0.0, dimod.Vartype.BINARY)

    ours, peer = ours_build(n, lin, rows, cols, quad), dimod_build()
    e_ours = np.asarray(ours.energies(samples))
    e_peer = peer.energies((samples, range(n)))
    err = float(np.max(np.abs(e_ours - e_peer)))
    scale = max(1.0, float(np.max(np.abs(e_peer))))
    if ours.num_interactions != peer.num_interactions or err > 1e-9 * scale:
        raise AccuracyError(
            f"dense N={n}: ours {ours.num_interactions} couplers, dimod {peer.num_interactions}; "
            f"energies max abs diff {err:.3g} (scale {scale:.3g})"
        )
    checked = f"asserted: same couplers and energies of {SAMPLES} samples as dimod (max abs diff {err:.1e})"
    e_hash = hashlib.sha256(np.ascontiguousarray(e_ours).tobytes()).hexdigest()

    with tempfile.TemporaryDirectory() as tmp:
        ours_path, peer_path = os.path.join(tmp, "ours.bqm"), os.path.join(tmp, "dimod.bqm")

        def dimod_write() -> None:
            with open(peer_path, "wb") as f:
                f.write(peer.to_file().read())

        ours.to_file(ours_path, "dimodbqm")
        dimod_write()
        size = os.path.getsize(peer_path)
        if open(ours_path, "rb").read() != open(peer_path, "rb").read():
            raise AccuracyError(f"dense N={n}: our DIMODBQM file differs from dimod's to_file()")
        t_write_ours = best_of(lambda: ours.to_file(ours_path, "dimodbqm"))
        t_write_peer = best_of(dimod_write)

    t_build_ours, t_build_peer = best_of(lambda: ours_build(n, lin, rows, cols, quad)), best_of(dimod_build)
    t_en_ours = best_of(lambda: ours.energies(samples), repeat=2)
    t_en_peer = best_of(lambda: peer.energies((samples, range(n))), repeat=1)

    two = two_thread_times(n)
    if two["energies_sha256"] != e_hash:
        raise AccuracyError(f"dense N={n}: 2-thread energies differ from 1-thread energies")

    build = f"dense N={n} ({len(rows):,} couplers) from COO arrays"
    energies = f"energies of {SAMPLES} samples, dense N={n}"
    return [
        Row("model building", build, t_build_ours, "dimod from_numpy_vectors", t_build_peer, "≤ 0.1 s", checked),
        Row("model building", f"{build}, ours on 2 threads", two["build"], "dimod from_numpy_vectors", t_build_peer,
            "≤ 0.1 s", "same model (asserted above)", "2 vs 1"),
        Row("model building", energies, t_en_ours, "dimod energies", t_en_peer, "≤ 0.5 s", checked),
        Row("model building", f"{energies}, ours on 2 threads", two["energies"], "dimod energies", t_en_peer,
            "≤ 0.5 s", "asserted: bit-identical to the 1-thread energies", "2 vs 1"),
        Row("model files", f"write DIMODBQM v2, dense N={n} ({size / 1e6:.0f} MB)", t_write_ours, "dimod to_file",
            t_write_peer, "<= 0.2 s", "asserted: byte-identical to dimod's file"),
    ]


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--ours-times":
        print(json.dumps(ours_times(int(sys.argv[2]))))
    else:
        for r in run(quick="--quick" in sys.argv):
            print(r, "ratio", r.ratio)
