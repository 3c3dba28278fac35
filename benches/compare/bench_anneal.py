"""Simulated annealing speed, neuroquant vs dwave-samplers, at equal work and equal threads, over a
density sweep: sparse 3-regular N=1000 (SPEC §7), random graphs N=1000 at 1 % and 10 % of all
pairs, and dense N=200 (SPEC §7).

Equal work: the same model (built once from the same arrays), the same schedule (dwave's
`default_beta_range` for the model, passed to both; geometric, one beta per sweep, Metropolis,
sequential order), the same reads x sweeps, so both make the same number of attempted flips.
Equal threads: the 1-thread rows run ours with `num_threads=1` against dwave-samplers, which is
single-threaded; the 2-thread rows (ours with `num_threads=2` against the same single-threaded
dwave time) are labelled "2 vs 1".

Checked before any time is taken, raising common.AccuracyError on failure:
1. both samplers report the beta range that was passed (same schedule);
2. the energies we report equal dimod's energies of our samples (max abs diff <= 1e-9 x scale);
3. our 1-thread and 2-thread runs return identical samples (SPEC §6);
4. our mean energy (1 thread) <= dwave's mean energy + common.Z_TOL standard errors of the
   difference of the means.
The best energies are printed, not checked. Timing: after the checked warm-up calls, `repeat` rounds
in which dwave, ours on 1 thread and ours on 2 threads are called in turn; best time of each.

Where valgrind is installed, the 1-thread rows also give instructions per attempted flip counted by
callgrind: (count with R2 reads - count with R1 reads) / ((R2 - R1) x sweeps x N), each sampler in a
child process on 1 thread, so process start-up and model building cancel out. Unlike wall time,
these counts repeat on a busy machine.

Run alone: python benches/compare/run.py --only anneal [--quick]
"""

from __future__ import annotations

import common  # noqa: F401  (first: pins implicit thread pools to one thread)

import dataclasses
import os
import sys
from typing import Any

import numpy as np

from common import Row, check_mean_not_worse, instructions, interleaved

PEERS = ["dwave-samplers", "dimod"]


@dataclasses.dataclass
class Workload:
    key: str
    label: str
    reads: int
    sweeps: int
    target: str = ""
    target_2t: str = ""


FULL = [
    Workload("regular3", "sparse +-1 Ising N=1000, 3-regular (0.3 % of pairs)", 100, 1000,
             "<= 0.5x peer (1 thread)", ">= 1.8x speedup over 1 thread"),
    Workload("gnp1", "+-1 Ising N=1000, random graph, 1 % of pairs (~10 neighbours)", 100, 1000),
    Workload("gnp10", "+-1 Ising N=1000, random graph, 10 % of pairs (~100 neighbours)", 30, 1000),
    Workload("dense200", "dense QUBO N=200, ints in [-100,100]", 100, 1000, "<= 0.5x peer (1 thread)"),
]
REPEAT = 3
CALLGRIND_READS, CALLGRIND_SWEEPS = (1, 3), 1000

QUICK = [dataclasses.replace(w, reads=20, sweeps=300) for w in FULL]
QUICK_REPEAT = 1
QUICK_CALLGRIND_READS, QUICK_CALLGRIND_SWEEPS = (1, 2), 100


def arrays(key: str) -> tuple[int, str, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The workload's model as (n, vartype, linear, rows, cols, biases), seeded and deterministic."""
    if key == "regular3":
        # A random perfect matching of n*3 stubs, retried until simple (no networkx needed).
        n, degree = 1000, 3
        rng = np.random.default_rng(1)
        while True:
            stubs = rng.permutation(np.repeat(np.arange(n), degree))
            pairs = stubs.reshape(-1, 2)
            u, v = pairs.min(axis=1), pairs.max(axis=1)
            if (u != v).all() and len(set(zip(u.tolist(), v.tolist()))) == len(u):
                break
        j = rng.choice([-1.0, 1.0], size=len(u))
        return n, "SPIN", np.zeros(n), u.astype(np.uint32), v.astype(np.uint32), j
    if key in ("gnp1", "gnp10"):
        n, p = 1000, {"gnp1": 0.01, "gnp10": 0.10}[key]
        rng = np.random.default_rng(3)
        u, v = np.triu_indices(n, 1)
        keep = rng.random(len(u)) < p
        j = rng.choice([-1.0, 1.0], size=int(keep.sum()))
        return n, "SPIN", np.zeros(n), u[keep].astype(np.uint32), v[keep].astype(np.uint32), j
    if key == "dense200":
        # Q upper triangular with ints in [-100, 100]: the diagonal is linear, zeros are no coupler
        # (as dimod.BinaryQuadraticModel.from_qubo(np.triu(Q)) builds it).
        n = 200
        rng = np.random.default_rng(2)
        q = np.triu(rng.integers(-100, 101, size=(n, n)).astype(float))
        u, v = np.triu_indices(n, 1)
        keep = q[u, v] != 0
        return n, "BINARY", np.diag(q).copy(), u[keep].astype(np.uint32), v[keep].astype(np.uint32), q[u, v][keep]
    raise KeyError(key)


def dimod_model(key: str) -> Any:
    import dimod

    n, vartype, lin, rows, cols, biases = arrays(key)
    return dimod.BinaryQuadraticModel.from_numpy_vectors(lin, (rows, cols, biases), 0.0, dimod.Vartype[vartype])


def ours_model(key: str) -> Any:
    import neuroquant as nq

    n, vartype, lin, rows, cols, biases = arrays(key)
    return nq.qubo.Bqm.from_numpy_vectors(lin, (rows, cols, biases), 0.0, vartype)


def callgrind_child(which: str, key: str, reads: int, sweeps: int, beta0: float, beta1: float) -> None:
    """Runs in a fresh process under callgrind: one sampling call, 1 thread."""
    if which == "ours":
        import neuroquant as nq

        model = ours_model(key)
        sa = nq.anneal.SimulatedAnnealing(num_reads=reads, num_sweeps=sweeps, beta_range=(beta0, beta1), seed=7)
        sa.sample(model, num_threads=1)
    else:
        from dwave.samplers import SimulatedAnnealingSampler

        model = dimod_model(key)
        SimulatedAnnealingSampler().sample(model, num_reads=reads, num_sweeps=sweeps, beta_range=(beta0, beta1), seed=7)


def instructions_per_flip(which: str, key: str, n: int, beta: tuple[float, float], quick: bool) -> float | None:
    (r1, r2), sweeps = (QUICK_CALLGRIND_READS, QUICK_CALLGRIND_SWEEPS) if quick else (CALLGRIND_READS, CALLGRIND_SWEEPS)
    counts = []
    for reads in (r1, r2):
        argv = [sys.executable, os.path.abspath(__file__), "--callgrind", which, key, str(reads), str(sweeps),
                repr(beta[0]), repr(beta[1])]
        c = instructions(argv)
        if c is None:
            return None
        counts.append(c)
    return (counts[1] - counts[0]) / ((r2 - r1) * sweeps * n)


def check(cond: bool, message: str) -> None:
    if not cond:
        raise common.AccuracyError(message)


def run(quick: bool = False) -> list[Row]:
    from dwave.samplers import SimulatedAnnealingSampler
    from dwave.samplers.sa.sampler import default_beta_range

    import neuroquant as nq

    workloads, repeat = (QUICK, QUICK_REPEAT) if quick else (FULL, REPEAT)
    rows = []
    for w in workloads:
        bqm = dimod_model(w.key)
        model = ours_model(w.key)
        n = bqm.num_variables
        b0, b1 = default_beta_range(bqm)
        beta = (float(b0), float(b1))
        dw = SimulatedAnnealingSampler()
        sa = nq.anneal.SimulatedAnnealing(num_reads=w.reads, num_sweeps=w.sweeps, beta_range=beta, seed=7)

        def run_dwave() -> Any:
            return dw.sample(bqm, num_reads=w.reads, num_sweeps=w.sweeps, beta_range=beta, seed=7)

        def run_ours(threads: int) -> Any:
            return sa.sample(model, num_threads=threads)

        # Warm-up calls, whose results are checked before anything is timed.
        ss_dw, ss1, ss2 = run_dwave(), run_ours(1), run_ours(2)
        what = f"SA {w.label}"
        check(tuple(ss_dw.info["beta_range"]) == beta and tuple(ss1.info["beta_range"]) == beta,
              f"{what}: beta ranges differ: passed {beta}, dwave {ss_dw.info['beta_range']}, ours {ss1.info['beta_range']}")
        e_dw, e1 = np.asarray(ss_dw.record.energy), np.asarray(ss1.energies)
        oracle = bqm.energies((np.asarray(ss1.samples), ss1.variables))
        scale = max(1.0, float(np.abs(oracle).max()))
        check(np.abs(oracle - e1).max() <= 1e-9 * scale, f"{what}: our energies differ from dimod's of our samples")
        check(np.array_equal(ss1.samples, ss2.samples), f"{what}: 1-thread and 2-thread samples differ")
        mean_text = check_mean_not_worse(e1, e_dw, what, "dwave")

        t = interleaved({"dwave": run_dwave, "ours1": lambda: run_ours(1), "ours2": lambda: run_ours(2)}, repeat)
        flips = w.reads * w.sweeps * n
        notes = (
            f"asserted: same beta range [{beta[0]:.3g}, {beta[1]:.3g}], our energies = dimod's, "
            f"1-thread = 2-thread samples, mean ours <= dwave + {common.Z_TOL:g} SE ({mean_text}); "
            f"best ours {e1.min():.0f}, dwave {e_dw.min():.0f}; "
            f"ns per attempted flip ours {t['ours1'] * 1e9 / flips:.1f}, dwave {t['dwave'] * 1e9 / flips:.1f}"
        )
        if quick and w is not workloads[0]:
            # Each count costs ~20 s of valgrind start-up; one workload validates the mechanism.
            notes += "; callgrind skipped in quick mode"
        else:
            ours_ir = instructions_per_flip("ours", w.key, n, beta, quick)
            dw_ir = instructions_per_flip("dwave", w.key, n, beta, quick)
            if ours_ir is not None and dw_ir is not None:
                notes += (
                    f"; callgrind instructions per attempted flip ours {ours_ir:.1f}, dwave {dw_ir:.1f} "
                    f"(ratio {ours_ir / dw_ir:.2f})"
                )
            else:
                notes += "; callgrind: valgrind not installed"
        n_pairs = len(bqm.quadratic)
        work = f"{w.label}, {n_pairs:,} couplers, {w.reads} reads x {w.sweeps} sweeps"
        rows.append(Row("simulated annealing", work, t["ours1"], "dwave-samplers SA", t["dwave"], w.target, notes, "1 vs 1"))
        rows.append(
            Row(
                "simulated annealing",
                f"{w.label}, same, ours on 2 threads (dwave-samplers has no threaded SA)",
                t["ours2"],
                "dwave-samplers SA",
                t["dwave"],
                w.target_2t,
                f"2-thread speedup {t['ours1'] / t['ours2']:.2f}x (same samples as 1 thread, asserted)",
                "2 vs 1",
            )
        )
    return rows


if __name__ == "__main__":
    if len(sys.argv) == 8 and sys.argv[1] == "--callgrind":
        callgrind_child(sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5]), float(sys.argv[6]), float(sys.argv[7]))
    else:
        for r in run(quick="--quick" in sys.argv):
            print(r, "ratio", r.ratio)
