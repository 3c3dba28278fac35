"""Simulated annealing speed, neuroquant vs dwave-samplers, on the SPEC §7 workloads: same model,
same schedule (dwave's default beta range, passed to both), 100 reads x 1000 sweeps."""

from __future__ import annotations

import numpy as np

from common import Row, timed

PEERS = ["dwave-samplers", "dimod"]

READS, SWEEPS = 100, 1000


def sparse_ising(n: int = 1000, degree: int = 3, seed: int = 1):  # type: ignore[no-untyped-def]
    """3-regular graph with +-1 couplings (the notes' instance), built without networkx:
    a random perfect matching of n*degree stubs, retried until simple."""
    import dimod

    rng = np.random.default_rng(seed)
    while True:
        stubs = rng.permutation(np.repeat(np.arange(n), degree))
        pairs = stubs.reshape(-1, 2)
        u, v = pairs.min(axis=1), pairs.max(axis=1)
        if (u != v).all() and len(set(zip(u.tolist(), v.tolist()))) == len(u):
            break
    j = rng.choice([-1.0, 1.0], size=len(u))
    return dimod.BinaryQuadraticModel.from_numpy_vectors(np.zeros(n), (u, v, j), 0.0, "SPIN")


def dense_qubo(n: int = 200, seed: int = 2):  # type: ignore[no-untyped-def]
    import dimod

    rng = np.random.default_rng(seed)
    q = np.triu(rng.integers(-100, 101, size=(n, n)).astype(float))
    return dimod.BinaryQuadraticModel.from_qubo(q)


def run() -> list[Row]:
    from dwave.samplers import SimulatedAnnealingSampler
    from dwave.samplers.sa.sampler import default_beta_range

    import neuroquant as nq

    rows = []
    for name, bqm, target in (
        ("sparse +-1 Ising N=1000, 3-regular", sparse_ising(), "<= 0.5x peer (1 thread)"),
        ("dense QUBO N=200, ints in [-100,100]", dense_qubo(), "<= 0.5x peer (1 thread)"),
    ):
        beta = tuple(default_beta_range(bqm))
        ours_model = nq.qubo.Bqm.from_dimod_bqm(bqm)
        updates = READS * SWEEPS * bqm.num_variables
        dw = SimulatedAnnealingSampler()
        t_dw, ss_dw = timed(lambda: dw.sample(bqm, num_reads=READS, num_sweeps=SWEEPS, beta_range=beta, seed=7))
        sa = nq.anneal.SimulatedAnnealing(num_reads=READS, num_sweeps=SWEEPS, beta_range=beta, seed=7)
        t1, ss1 = timed(lambda: sa.sample(ours_model, num_threads=1))
        t2, ss2 = timed(lambda: sa.sample(ours_model, num_threads=2))
        e_dw, e1 = ss_dw.record.energy, ss1.energies
        quality = (
            f"mean/best energy ours {e1.mean():.1f}/{e1.min():.0f}, dwave {e_dw.mean():.1f}/{e_dw.min():.0f}; "
            f"ns/update ours {t1 * 1e9 / updates:.1f}, dwave {t_dw * 1e9 / updates:.1f}; "
            f"2-thread speedup {t1 / t2:.2f}x (target >= 1.8x)"
        )
        rows.append(Row("simulated annealing", f"{name}, {READS} reads x {SWEEPS} sweeps, 1 thread", t1, "dwave-samplers SA", t_dw, target, quality))
        rows.append(Row("simulated annealing", f"{name}, same, 2 threads", t2, "dwave-samplers SA", t_dw, "", ""))
    return rows
