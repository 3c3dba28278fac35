"""Shared helpers for the side-by-side benchmarks: thread policy, timing, accuracy checks, result rows.

Thread policy: importing this module pins every implicit thread pool to one thread (rayon's global
pool, OpenMP and BLAS) before numpy or neuroquant start one, so a row compares one thread with one
thread unless it passes `num_threads` explicitly and says so in its `threads` column. Import it
before numpy in every bench module. `NQ_BENCH_THREADS` (default 1) changes the pinned count; it
exists for child processes that measure a labelled multi-thread row.
"""

from __future__ import annotations

import os

THREADS = os.environ.get("NQ_BENCH_THREADS", "1")
for _var in ("RAYON_NUM_THREADS", "OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = THREADS

import dataclasses  # noqa: E402
import datetime  # noqa: E402
import importlib.metadata  # noqa: E402
import math  # noqa: E402
import platform  # noqa: E402
import re  # noqa: E402
import shutil  # noqa: E402
import subprocess  # noqa: E402
import pathlib  # noqa: E402
import time  # noqa: E402
from typing import Callable, Iterable, Sequence, TypeVar  # noqa: E402

T = TypeVar("T")

# Tolerance of the mean-energy checks, in standard errors of the difference of the two means. A full
# run makes about 140 such one-sided checks, each on at least 20 reads per sampler; at 4 SE a
# correct library raises falsely in well under 1 % of full runs (at 3 SE, in about one in six).
Z_TOL = 4.0


class AccuracyError(AssertionError):
    """A benchmark's accuracy check failed: no timing is reported for that row."""


@dataclasses.dataclass
class Row:
    """One side-by-side measurement. Times in seconds; `ratio` = ours / peer (lower is better).

    `ours_s` / `peer_s` may be None (no figure, e.g. no peer or target never reached); then
    `ours_text` / `peer_text` say why. `threads` is "ours vs peer" (e.g. "1 vs 1", "2 vs 1").
    `accuracy` says what was asserted before the timing was taken, and notes.
    """

    capability: str
    workload: str
    ours_s: float | None
    peer: str
    peer_s: float | None
    target: str
    accuracy: str = ""
    threads: str = "1 vs 1"
    ours_text: str = ""
    peer_text: str = ""

    @property
    def ratio(self) -> float | None:
        if self.ours_s is None or self.peer_s is None or not self.peer_s > 0:
            return None
        return self.ours_s / self.peer_s


def best_of(fn: Callable[[], object], repeat: int = 3) -> float:
    """Best wall time of `repeat` calls (after one warm-up call)."""
    return timed(fn, repeat)[0]


def timed(fn: Callable[[], T], repeat: int = 3) -> tuple[float, T]:
    """Best wall time of `repeat` calls (after one warm-up call) and the last call's result."""
    result = fn()
    best = float("inf")
    for _ in range(repeat):
        t = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - t)
    return best, result


def interleaved(fns: dict[str, Callable[[], object]], repeat: int = 3) -> dict[str, float]:
    """Best wall time of each function over `repeat` rounds, the functions called in turn within
    each round, so that load from other processes on a shared machine falls on all of them alike.
    The caller makes the warm-up calls (and checks their results) first."""
    best = {k: float("inf") for k in fns}
    for _ in range(repeat):
        for k, fn in fns.items():
            t = time.perf_counter()
            fn()
            best[k] = min(best[k], time.perf_counter() - t)
    return best


def mean_se(x: Sequence[float]) -> tuple[float, float]:
    """Mean and its standard error (sample standard deviation / sqrt(n); 0 for one value)."""
    n = len(x)
    m = math.fsum(x) / n
    if n < 2:
        return m, 0.0
    var = math.fsum((v - m) ** 2 for v in x) / (n - 1)
    return m, math.sqrt(var / n)


def check_mean_not_worse(ours: Iterable[float], peer: Iterable[float], what: str, peer_name: str = "peer") -> str:
    """Raise AccuracyError unless mean(ours) <= mean(peer) + Z_TOL standard errors of the
    difference (plus 1e-9 relative, for ties of exact values). Lower energy is better.
    Returns a short text of the check for the accuracy column."""
    ours, peer = [float(v) for v in ours], [float(v) for v in peer]
    mo, so = mean_se(ours)
    mp, sp = mean_se(peer)
    se = math.hypot(so, sp)
    tol = Z_TOL * se + 1e-9 * max(1.0, abs(mp))
    if mo > mp + tol:
        raise AccuracyError(
            f"{what}: our mean energy {mo:.4f} (SE {so:.3g}, {len(ours)} reads) is worse than the peer's "
            f"{mp:.4f} (SE {sp:.3g}, {len(peer)} reads) by {mo - mp:.4g} > {Z_TOL:g} SE = {tol:.4g}"
        )
    return f"mean ± SE ours {mo:.1f}±{so:.1f}, {peer_name} {mp:.1f}±{sp:.1f}"


def tts99(t_read: float, p: float) -> float | None:
    """Time to reach the target with 99 % probability from independent reads of time `t_read`
    that each succeed with probability `p`: t_read * ln(0.01) / ln(1 - p), at least one read
    (p >= 0.99 gives t_read). None when p == 0 (not reached)."""
    if p <= 0.0:
        return None
    if p >= 0.99:
        return t_read
    return t_read * math.log(0.01) / math.log(1.0 - p)


def instructions(argv: list[str]) -> int | None:
    """Instructions executed by the command `argv` under `valgrind --tool=callgrind` (all
    threads), or None when valgrind is not installed. Deterministic for a seeded workload, so a
    kernel comparison can be repeated on a busy machine."""
    if shutil.which("valgrind") is None:
        return None
    out = subprocess.run(
        ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", *argv],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONHASHSEED": "0"},
    )
    if out.returncode != 0:
        raise RuntimeError(f"callgrind failed on {argv}: {out.stderr[-2000:]}")
    m = re.search(r"Collected\s*:\s*(\d+)", out.stderr)
    if m is None:
        raise RuntimeError(f"no instruction count in callgrind output: {out.stderr[-2000:]}")
    return int(m.group(1))


def version(package: str) -> str:
    try:
        return importlib.metadata.version(package)
    except importlib.metadata.PackageNotFoundError:
        return "not installed"


def machine() -> dict[str, str]:
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    try:
        rustc = subprocess.run(["rustc", "-V"], capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        rustc = "unknown"
    return {
        "date": datetime.date.today().isoformat(),
        "cpu": cpu,
        "cores": str(os.cpu_count()),
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "rustc": rustc,
    }


ROOT = pathlib.Path(__file__).resolve().parents[2]


def build_c_program(source: str, directory: str) -> pathlib.Path | None:
    """Compiles the C `source` in `directory` against target/release/libneuroquant.a, which cargo
    builds (or finds up to date) first, so a figure never comes from a stale library. None
    without cargo or a C compiler."""
    cc, cargo = shutil.which(os.environ.get("CC", "cc")), shutil.which("cargo")
    if cc is None or cargo is None:
        return None
    subprocess.run([cargo, "build", "--release", "--locked", "-p", "neuroquant-ffi"], cwd=ROOT, check=True,
                   capture_output=True)
    src, exe = pathlib.Path(directory, "t.c"), pathlib.Path(directory, "t")
    src.write_text(source)
    subprocess.run([cc, "-O2", f"-I{ROOT / 'include'}", str(src), "-o", str(exe),
                    str(ROOT / "target" / "release" / "libneuroquant.a"), "-lpthread", "-ldl", "-lm"],
                   check=True, capture_output=True)
    return exe
