"""PyQUBO-style expressions: neuroquant.qubo vs PyQUBO 1.5 (issue 3, qubo_anchors §4 and §7).

Rows:
- TSP n=30 (900 binaries, one-hot rows and columns under a Placeholder penalty, 53,100 QUBO
  terms): build the expression + compile + to_qubo, best of 3 (PyQUBO's benchmark_tsp.py).
- Memory over 1000 repeated compile + to_qubo of the same expression (pyqubo#215: memory grew on
  every compile), each library in a fresh process; the RSS growth after a warm-up goes in the
  accuracy column.

Run alone: python benches/compare/run.py --only expr   (or python bench_expr.py)
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from typing import Any

from common import Row, best_of

PEERS = ["pyqubo"]

TSP_N = 30
MEMORY_N = 10
MEMORY_COMPILES = 1000


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


def memory_child(which: str) -> None:
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
    for _ in range(MEMORY_COMPILES):
        h.compile().to_qubo(feed_dict={"A": 2.0})
    seconds = time.perf_counter() - t
    print(json.dumps({"seconds": seconds, "growth_bytes": rss_bytes() - before}))


def memory_run(which: str) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, os.path.abspath(__file__), "--memory", which],
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


def run() -> list[Row]:
    import pyqubo

    import neuroquant.qubo as nq

    (q_ours, off_ours), (q_peer, off_peer) = pipeline(nq, TSP_N), pipeline(pyqubo, TSP_N)
    assert len(q_ours) == len(q_peer) == 53_100, (len(q_ours), len(q_peer))
    diff = max(max_abs_diff(q_ours, q_peer), abs(off_ours - off_peer))
    rows = [
        Row(
            "model building",
            f"TSP n={TSP_N} ({TSP_N**2} binaries, 53,100 terms): expression + compile + to_qubo",
            best_of(lambda: pipeline(nq, TSP_N)),
            "PyQUBO",
            best_of(lambda: pipeline(pyqubo, TSP_N)),
            "≤ 0.1 s",
            f"same QUBO, max abs diff {diff:.1e}",
        )
    ]
    if sys.platform.startswith("linux"):
        ours, peer = memory_run("neuroquant"), memory_run("pyqubo")
        rows.append(
            Row(
                "model building",
                f"{MEMORY_COMPILES} repeated compile + to_qubo, TSP n={MEMORY_N}",
                ours["seconds"],
                "PyQUBO",
                peer["seconds"],
                "flat memory",
                f"RSS growth: ours {ours['growth_bytes'] / 2**20:.1f} MiB, "
                f"PyQUBO {peer['growth_bytes'] / 2**20:.1f} MiB",
            )
        )
    return rows


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--memory":
        memory_child(sys.argv[2])
    else:
        for r in run():
            print(r, f"ratio {r.ratio:.2f}")
