"""QUBO model building and energies, neuroquant vs dimod (SPEC §7 "model building")."""

from __future__ import annotations

import numpy as np

from common import Row, best_of

PEERS = ["dimod", "numpy"]


def run() -> list[Row]:
    import dimod

    import neuroquant as nq

    n = 2000
    rng = np.random.default_rng(0)
    iu = np.triu_indices(n, 1)
    rows, cols = iu[0].astype(np.uint32), iu[1].astype(np.uint32)
    quad = rng.uniform(-1, 1, len(rows))
    lin = rng.uniform(-1, 1, n)

    def ours_build() -> nq.qubo.Bqm:
        b = nq.qubo.Bqm(n, "BINARY")
        b.add_linear_from_array(lin)
        b.add_quadratic_from_arrays(rows, cols, quad)
        return b

    def dimod_build() -> dimod.BinaryQuadraticModel:
        return dimod.BinaryQuadraticModel.from_numpy_vectors(lin, (rows, cols, quad), 0.0, "BINARY")

    out = [
        Row(
            "model building",
            f"dense N={n} ({len(rows):,} couplers) from COO arrays",
            best_of(ours_build),
            "dimod from_numpy_vectors",
            best_of(dimod_build),
            "≤ 0.1 s",
        )
    ]

    ours, peer = ours_build(), dimod_build()
    samples = rng.integers(0, 2, size=(1000, n), dtype=np.int8)
    e_ours = ours.energies(samples)
    e_peer = peer.energies((samples, range(n)))
    err = float(np.max(np.abs(e_ours - e_peer)))
    out.append(
        Row(
            "model building",
            f"energies of 1000 samples, dense N={n}",
            best_of(lambda: ours.energies(samples), repeat=2),
            "dimod energies",
            best_of(lambda: peer.energies((samples, range(n))), repeat=1),
            "≤ 0.5 s",
            f"max abs diff {err:.1e}",
        )
    )
    import os
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        ours_path, peer_path = os.path.join(tmp, "ours.bqm"), os.path.join(tmp, "dimod.bqm")

        def dimod_write() -> None:
            with open(peer_path, "wb") as f:
                f.write(peer.to_file().read())

        t_ours = best_of(lambda: ours.to_file(ours_path, "dimodbqm"))
        t_peer = best_of(dimod_write)
        same = open(ours_path, "rb").read() == open(peer_path, "rb").read()
    out.append(
        Row(
            "model files",
            f"write DIMODBQM v2, dense N={n} (48 MB)",
            t_ours,
            "dimod to_file",
            t_peer,
            "<= 0.2 s",
            "byte-identical" if same else "FILES DIFFER",
        )
    )
    return out
