#!/usr/bin/env python3
"""Run every side-by-side benchmark (benches/compare/bench_*.py) and print, or write into
BENCHMARKS.md between the RESULTS markers, one table with machine, date and versions.

Usage: python benches/compare/run.py [--only NAME ...] [--quick] [--write BENCHMARKS.md]
Each bench module defines PEERS (package names whose versions are reported) and
run(quick: bool = False) -> [Row]. Each module checks accuracy before it times anything and raises
common.AccuracyError when a check fails, which stops the run before anything is written.
--quick runs reduced workloads to validate the scripts; its figures are never written.
"""

from __future__ import annotations

import argparse
import importlib
import pathlib
import sys
import time

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from common import THREADS, Row, machine, version  # noqa: E402  (first: pins the thread pools)

BEGIN, END = "<!-- BEGIN RESULTS (written by benches/compare/run.py) -->", "<!-- END RESULTS -->"


def fmt_time(s: float | None, text: str = "") -> str:
    if text:
        return text
    if s is None:
        return "—"
    if s < 1e-6:
        return f"{s * 1e9:.0f} ns"
    if s < 1e-3:
        return f"{s * 1e6:.0f} µs"
    return f"{s * 1e3:.1f} ms" if s < 1 else f"{s:.2f} s"


def table(rows: list[Row], peers: set[str]) -> str:
    m = machine()
    lines = [
        f"Measured {m['date']} on {m['cpu']} ({m['cores']} cores), {m['os']}, Python {m['python']}, {m['rustc']}.",
        "Versions: " + ", ".join(f"{p} {version(p)}" for p in sorted(peers | {"neuroquant"})) + ".",
        f"Implicit thread pools (rayon, OpenMP, BLAS) pinned to {THREADS} thread; a row runs more only where its "
        "threads column says so.",
        "",
        "| capability | workload | threads (ours vs peer) | neuroquant | peer | peer time | ratio (ours/peer) | target "
        "| checked before timing; notes |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        ratio = "—" if r.ratio is None else f"{r.ratio:.2f}"
        lines.append(
            f"| {r.capability} | {r.workload} | {r.threads} | {fmt_time(r.ours_s, r.ours_text)} | {r.peer} "
            f"| {fmt_time(r.peer_s, r.peer_text)} | {ratio} | {r.target} | {r.accuracy} |"
        )
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--only", nargs="*", help="bench module names without the bench_ prefix")
    ap.add_argument("--quick", action="store_true", help="reduced workloads (script validation; never written)")
    ap.add_argument("--write", type=pathlib.Path, help="file whose RESULTS section is replaced")
    args = ap.parse_args()
    if args.quick and args.write:
        ap.error("--quick figures are for validating the scripts and are never written; drop --write")
    names = sorted(p.stem for p in HERE.glob("bench_*.py"))
    if args.only:
        names = [n for n in names if n.removeprefix("bench_") in args.only]
    rows: list[Row] = []
    peers: set[str] = set()
    for name in names:
        mod = importlib.import_module(name)
        print(f"running {name}{' (quick)' if args.quick else ''} ...", file=sys.stderr)
        start = time.perf_counter()
        rows.extend(mod.run(quick=args.quick))
        peers.update(mod.PEERS)
        print(f"{name}: {time.perf_counter() - start:.0f} s", file=sys.stderr)
    text = table(rows, peers)
    if args.quick:
        text = "QUICK MODE: reduced workloads, figures not comparable with the full run.\n\n" + text
    print(text)
    if args.write:
        doc = args.write.read_text()
        start, end = doc.index(BEGIN) + len(BEGIN), doc.index(END)
        args.write.write_text(doc[:start] + "\n" + text + "\n" + doc[end:])


if __name__ == "__main__":
    main()
