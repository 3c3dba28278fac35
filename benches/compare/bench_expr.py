"""PyQUBO-style expressions: neuroquant.qubo vs PyQUBO 1.5 (issue 3, qubo_anchors §4 and §7).
Both run on one thread (PyQUBO is single-threaded; our implicit pool is pinned by common.py).

Rows:
- TSP n=30 (900 binaries, one-hot rows and columns under a Placeholder penalty, 53,100 QUBO
  terms): build the expression + compile + to_qubo, best of 3 (PyQUBO's benchmark_tsp.py).
  Checked before timing, raising common.AccuracyError: both give the same QUBO (same number of
  terms, every coefficient and the offset within 1e-9).
- Memory over 1000 repeated compile + to_qubo of the same expression (pyqubo#215: memory grew on
  every compile), each library in a fresh process, after checking (as above) that both give the
  same QUBO at that size; the RSS growth after a warm-up is printed, not checked (the target
  "flat memory" is read from it).

Run alone: python benches/compare/run.py --only expr [--quick]   (or python bench_expr.py)
"""

from __future__ import annotations

import common  # noqa: F401  (first: pins implicit thread pools to one thread)

import json
import os
import subprocess
import sys
from typing import Any

from common import AccuracyError, Row, best_of

PEERS = ["pyqubo"]

TSP_N = 30
MEMORY_N = 10
MEMORY_COMPILES = 1000
QUICK_TSP_N, QUICK_MEMORY_COMPILES = 12, 100


def tsp(mod: Any, n: int) -> Any:
    """PyQUBO's benchmark_tsp.py expression (every distance 10); `mod` is pyqubo or neuroquant.qubo."""
    x = mod.Array.create("c", (n, n), "BINARY")
    time_const = 0.0
    for i in range(n):
        time_const += mod.Constraint((sum(x[i, j] for j in range(n)) - 1) ** 2, label=f"time{i}")
    city_const = 0.0
    for j in range(n):
        city_const += mod.Constraint((sum(x[i, j] for i in range(n)) - 1) ** 2, label=f"city{j}")
    distance = 0.0
    for i in range(n):
        for j in range(n):
            for k in range(n):
                distance += 10 * x[k, i] * x[(k + 1) % n, j]
    return distance + mod.Placeholder("A") * (time_const + city_const)


def pipeline(mod: Any, n: int) -> tuple[dict, float]:
    return tsp(mod, n).compile().to_qubo(feed_dict={"A": 2.0})


def rss_bytes() -> int:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def memory_child(which: str, compiles: int) -> None:
    """Runs in a fresh process: prints {seconds, growth_bytes} as JSON."""
    import time

    if which == "neuroquant":
        import neuroquant.qubo as mod
    else:
        import pyqubo as mod  # type: ignore[no-redef]
    h = tsp(mod, MEMORY_N)
    for _ in range(20):
        h.compile().to_qubo(feed_dict={"A": 2.0})
    before = rss_bytes()
    t = time.perf_counter()
    for _ in range(compiles):
        h.compile().to_qubo(feed_dict={"A": 2.0})
    seconds = time.perf_counter() - t
    print(json.dumps({"seconds": seconds, "growth_bytes": rss_bytes() - before}))


def memory_run(which: str, compiles: int) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, os.path.abspath(__file__), "--memory", which, str(compiles)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def max_abs_diff(a: dict, b: dict) -> float:
    def norm(q: dict) -> dict:
        out: dict = {}
        for (u, v), x in q.items():
            k = frozenset((u, v))
            out[k] = out.get(k, 0.0) + x
        return out

    na, nb = norm(a), norm(b)
    return max(abs(na.get(k, 0.0) - nb.get(k, 0.0)) for k in set(na) | set(nb))


def run(quick: bool = False) -> list[Row]:
    import pyqubo

    import neuroquant.qubo as nq

    tsp_n, compiles = (QUICK_TSP_N, QUICK_MEMORY_COMPILES) if quick else (TSP_N, MEMORY_COMPILES)
    for n in (tsp_n, MEMORY_N):
        (q_ours, off_ours), (q_peer, off_peer) = pipeline(nq, n), pipeline(pyqubo, n)
        diff = max(max_abs_diff(q_ours, q_peer), abs(off_ours - off_peer))
        if len(q_ours) != len(q_peer) or diff > 1e-9:
            raise AccuracyError(f"TSP n={n}: ours {len(q_ours)} QUBO terms, PyQUBO {len(q_peer)}; max abs diff {diff:.3g}")
    (q_ours, off_ours), (q_peer, off_peer) = pipeline(nq, tsp_n), pipeline(pyqubo, tsp_n)
    diff = max(max_abs_diff(q_ours, q_peer), abs(off_ours - off_peer))
    rows = [
        Row(
            "model building",
            f"TSP n={tsp_n} ({tsp_n**2} binaries, {len(q_ours):,} terms): expression + compile + to_qubo",
            best_of(lambda: pipeline(nq, tsp_n)),
            "PyQUBO",
            best_of(lambda: pipeline(pyqubo, tsp_n)),
            "≤ 0.1 s",
            f"asserted: same QUBO as PyQUBO (max abs diff {diff:.1e})",
        )
    ]
    if sys.platform.startswith("linux"):
        ours, peer = memory_run("neuroquant", compiles), memory_run("pyqubo", compiles)
        rows.append(
            Row(
                "model building",
                f"{compiles} repeated compile + to_qubo, TSP n={MEMORY_N}",
                ours["seconds"],
                "PyQUBO",
                peer["seconds"],
                "flat memory",
                f"asserted: same QUBO as PyQUBO at n={MEMORY_N}; RSS growth (printed): "
                f"ours {ours['growth_bytes'] / 2**20:.1f} MiB, PyQUBO {peer['growth_bytes'] / 2**20:.1f} MiB",
            )
        )
    return rows


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--memory":
        memory_child(sys.argv[2], int(sys.argv[3]))
    else:
        for r in run(quick="--quick" in sys.argv):
            print(r, "ratio", r.ratio)
