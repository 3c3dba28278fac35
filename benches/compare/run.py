#!/usr/bin/env python3
"""Run every side-by-side benchmark (benches/compare/bench_*.py) and print, or write into
BENCHMARKS.md between the RESULTS markers, one table per bench module with machine, date and
versions.

Usage: python benches/compare/run.py [--only NAME ...] [--quick] [--write BENCHMARKS.md]
With --only and --write, the tables of the modules run are replaced and the others kept, each
with the machine, date and versions of its own run. A table is headed by a marker naming the
modules it came from; one naming several is replaced only when all of them run together.
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
BLOCK = "<!-- results of "


def blocks(section: str) -> list[tuple[frozenset[str], str]]:
    """The tables of a RESULTS section, each with the set of modules its marker names."""
    out: list[tuple[frozenset[str], str]] = []
    for chunk in section.split(BLOCK)[1:]:
        names, _, body = chunk.partition(" -->\n")
        out.append((frozenset(names.split()), body.strip()))
    if not out and section.strip():
        raise SystemExit("the RESULTS section has no '<!-- results of ... -->' markers; add one naming its modules")
    return out


def merge(section: str, new: dict[str, str]) -> str:
    """`section` with the tables of the modules in `new` replaced (or added), in module order."""
    kept = []
    for names, body in blocks(section):
        if names <= new.keys():
            continue
        if names & new.keys():
            raise SystemExit(f"the table of {' '.join(sorted(names))} is replaced only when they all run together")
        kept.append((names, body))
    kept += [(frozenset([n]), body) for n, body in new.items()]
    kept.sort(key=lambda b: sorted(b[0]))
    return "\n\n".join(f"{BLOCK}{' '.join(sorted(names))} -->\n{body}" for names, body in kept)


def fmt_time(s: float | None, text: str = "") -> str:
    if text:
        return text
    if s is None:
        return "—"
    if s < 1e-6:
        return f"{s * 1e9:.0f} ns"
    if s < 1e-5:
        return f"{s * 1e6:.2f} µs"
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
    tables: dict[str, str] = {}
    for name in names:
        mod = importlib.import_module(name)
        print(f"running {name}{' (quick)' if args.quick else ''} ...", file=sys.stderr)
        start = time.perf_counter()
        rows: list[Row] = mod.run(quick=args.quick)
        print(f"{name}: {time.perf_counter() - start:.0f} s", file=sys.stderr)
        tables[name] = table(rows, set(mod.PEERS))
        if args.quick:
            tables[name] = "QUICK MODE: reduced workloads, figures not comparable with the full run.\n\n" + tables[name]
        print(f"{BLOCK}{name} -->\n{tables[name]}\n")
    if args.write:
        # Checked before anything is written, so a failed check above leaves the file as it was.
        doc = args.write.read_text()
        start, end = doc.index(BEGIN) + len(BEGIN), doc.index(END)
        args.write.write_text(doc[:start] + "\n" + merge(doc[start:end], tables) + "\n" + doc[end:])


if __name__ == "__main__":
    main()
