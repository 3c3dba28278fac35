#!/usr/bin/env python3
"""Scaling of closed-chain evolution, N = 10 ... 24 (issue 13): time and peak memory of
`nq.quantum.sesolve` on the matrix-free Pauli sum (Lanczos Krylov), one size per child process.

Workload: TFIM H = -sum Z_i Z_{i+1} - sum X_i (J = h = 1, open chain), psi0 = |0...0>, t in
[0, 1], 11 outputs, e_ops = [M = sum Z_i / N, H], default tolerance (atol 1e-12 per Krylov step),
one thread (common.py pins the pools; NQ_BENCH_THREADS=2 for two).

Checked in every child before its figures are reported: <H>(t) = -(N-1) (energy conservation)
to 1e-8 at every output, ||psi(1)|| = 1 to 1e-10, and for N <= 16 M(t) against scipy's
`expm_multiply` on the CSR matrix to 1e-8. (No peer timing: at N = 24 the CSR of H alone would
hold 2^24 * 25 entries, about 6 GB.)

Memory model (complex128 state = 16 * 2^N bytes, 256 MiB at N = 24): the Krylov basis holds
krylov_dim + 1 states; the propagation adds the current state and one output buffer; the result
keeps the final state, the Python side the input state (and its copy into Rust); the operator's
diagonals (ZZ part of H, and M) are real, half a state each. Peak is about (krylov_dim + 7)
states, so krylov_dim is chosen per size to bound it (`--krylov-dim`, default 50 up to N = 20,
then 30, 20, 16 and 20 at N = 21, 22, 23 and 24); the table prints the model next to the
measured peak RSS.

Usage: python benches/compare/quantum_scaling.py [--min-n 10] [--max-n 24] [--krylov-dim M]
Prints a markdown table (machine, date and version lines first) for BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import json
import os
import pathlib
import subprocess
import sys

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from common import THREADS, machine, version  # noqa: E402  (first: pins the thread pools)

CHILD = r"""
import json, resource, sys, time
import numpy as np
import neuroquant as nq
n, m = int(sys.argv[1]), int(sys.argv[2])
H = nq.quantum.PauliSum(n)
for i in range(n - 1):
    H.add_term("ZZ", [i, i + 1], -1.0)
H.add_per_site("X", [-1.0] * n)
M = nq.quantum.PauliSum(n)
M.add_per_site("Z", [1.0 / n] * n)
Hop, Mop = H.to_operator(), M.to_operator()
tlist = np.linspace(0.0, 1.0, 11)
psi0 = np.zeros(2**n, complex)
psi0[0] = 1.0
rss0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
t = time.perf_counter()
r = nq.quantum.sesolve(Hop, psi0, tlist, e_ops=[Mop, Hop], options={"krylov_dim": m})
dt = time.perf_counter() - t
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
energy = float(np.max(np.abs(r.expect[1] + (n - 1))))
norm = abs(float(np.linalg.norm(r.final_state)) - 1.0)
assert energy <= 1e-8, f"N={n}: <H> drifts by {energy:.1e}"
assert norm <= 1e-10, f"N={n}: norm drifts by {norm:.1e}"
ref = None
if n <= 16:
    import scipy.sparse.linalg as spla
    sys.path.insert(0, sys.argv[3])
    from bench_quantum import _tfim_sparse
    Hs, md = _tfim_sparse(n)
    states = spla.expm_multiply(-1j * Hs, psi0, start=0.0, stop=1.0, num=11, endpoint=True)
    ref = float(np.max(np.abs((np.abs(states) ** 2) @ md - r.expect[0])))
    assert ref <= 1e-8, f"N={n}: M(t) {ref:.1e} from expm_multiply"
print(json.dumps({"seconds": dt, "rss_mib": rss, "rss_before_mib": rss0, "m": float(r.expect[0][-1]),
                  "matvecs": r.stats["matvecs"], "bases": r.stats["steps"], "energy_err": energy,
                  "norm_err": norm, "ref_err": ref}))
"""


def default_dim(n: int) -> int:
    return {21: 30, 22: 20, 23: 16, 24: 20}.get(n, 50 if n <= 20 else 12)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--min-n", type=int, default=10)
    ap.add_argument("--max-n", type=int, default=24)
    ap.add_argument("--krylov-dim", type=int, default=None, help="one basis size for every N")
    a = ap.parse_args()
    m = machine()
    print(
        f"Measured {m['date']} on {m['cpu']} ({m['cores']} cores), {m['os']}, Python {m['python']}, "
        f"{m['rustc']}; neuroquant {version('neuroquant')}, {THREADS} thread.\n"
    )
    print("| N | dim | krylov_dim | time | matvecs | Krylov bases | peak RSS | model (krylov_dim + 7 states) "
          "| M(1) | checks |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for n in range(a.min_n, a.max_n + 1):
        k = a.krylov_dim or default_dim(n)
        out = subprocess.run([sys.executable, "-c", CHILD, str(n), str(k), str(HERE)], capture_output=True, text=True,
                             env=os.environ)
        if out.returncode != 0:
            sys.exit(f"N={n} failed:\n{out.stderr}")
        r = json.loads(out.stdout.strip().splitlines()[-1])
        model = (k + 7) * 16 * 2**n / 2**20
        checks = f"ΔE {r['energy_err']:.0e}, Δ‖ψ‖ {r['norm_err']:.0e}"
        if r["ref_err"] is not None:
            checks += f", ΔM vs expm_multiply {r['ref_err']:.0e}"
        secs = r["seconds"]
        t = f"{secs * 1e3:.1f} ms" if secs < 1 else f"{secs:.2f} s"
        print(f"| {n} | {2**n} | {k} | {t} | {r['matvecs']} | {r['bases']} | {r['rss_mib']:.0f} MiB "
              f"| {model:.0f} MiB | {r['m']:.10f} | {checks} |", flush=True)


if __name__ == "__main__":
    main()
