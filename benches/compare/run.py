#!/usr/bin/env python3
"""Run every side-by-side benchmark (benches/compare/bench_*.py) and print, or write into
BENCHMARKS.md between the RESULTS markers, one table with machine, date and versions.

Usage: python benches/compare/run.py [--only NAME ...] [--write BENCHMARKS.md]
Each bench module defines PEERS (package names whose versions are reported) and run() -> [Row].
"""

from __future__ import annotations

import argparse
import importlib
import pathlib
import sys

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from common import Row, machine, version  # noqa: E402

BEGIN, END = "<!-- BEGIN RESULTS (written by benches/compare/run.py) -->", "<!-- END RESULTS -->"


def fmt_time(s: float) -> str:
    return f"{s * 1e3:.1f} ms" if s < 1 else f"{s:.2f} s"


def table(rows: list[Row], peers: set[str]) -> str:
    m = machine()
    lines = [
        f"Measured {m['date']} on {m['cpu']} ({m['cores']} cores), {m['os']}, Python {m['python']}, {m['rustc']}.",
        "Versions: " + ", ".join(f"{p} {version(p)}" for p in sorted(peers | {"neuroquant"})) + ".",
        "",
        "| capability | workload | neuroquant | peer | peer time | ratio (ours/peer) | target | accuracy |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        lines.append(
            f"| {r.capability} | {r.workload} | {fmt_time(r.ours_s)} | {r.peer} | {fmt_time(r.peer_s)} "
            f"| {r.ratio:.2f} | {r.target} | {r.accuracy} |"
        )
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--only", nargs="*", help="bench module names without the bench_ prefix")
    ap.add_argument("--write", type=pathlib.Path, help="file whose RESULTS section is replaced")
    args = ap.parse_args()
    names = sorted(p.stem for p in HERE.glob("bench_*.py"))
    if args.only:
        names = [n for n in names if n.removeprefix("bench_") in args.only]
    rows: list[Row] = []
    peers: set[str] = set()
    for name in names:
        mod = importlib.import_module(name)
        print(f"running {name} ...", file=sys.stderr)
        rows.extend(mod.run())
        peers.update(mod.PEERS)
    text = table(rows, peers)
    print(text)
    if args.write:
        doc = args.write.read_text()
        start, end = doc.index(BEGIN) + len(BEGIN), doc.index(END)
        args.write.write_text(doc[:start] + "\n" + text + "\n" + doc[end:])


if __name__ == "__main__":
    main()
