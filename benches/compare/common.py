"""Shared helpers for the side-by-side benchmarks: timing, machine facts, result rows."""

from __future__ import annotations

import dataclasses
import datetime
import importlib.metadata
import os
import platform
import subprocess
import time
from typing import Callable, TypeVar

T = TypeVar("T")


@dataclasses.dataclass
class Row:
    """One side-by-side measurement. Times in seconds; `ratio` = ours / peer (lower is better)."""

    capability: str
    workload: str
    ours_s: float
    peer: str
    peer_s: float
    target: str
    accuracy: str = ""

    @property
    def ratio(self) -> float:
        return self.ours_s / self.peer_s if self.peer_s > 0 else float("nan")


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
