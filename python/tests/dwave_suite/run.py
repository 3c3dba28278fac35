"""dwave-samplers 1.8.0's own sampler tests, run against neuroquant.ocean's classes.

Downloads the sdist with pip (cached under target/), extracts its tests/ folder into
target/dwave-samplers-tests/ (never into the repository), copies `swap.py` there as
`conftest.py` (it makes dwave's sampler names resolve to ours), and runs pytest on the sampler
test files. Exit status is pytest's. `--dwave` runs the same files on dwave's own classes (no
swap), for comparison.

Excluded, each with the reason (only tests of dwave internals): see EXCLUDED below.
"""

from __future__ import annotations

import argparse
import pathlib
import shutil
import subprocess
import sys
import tarfile

VERSION = "1.8.0"
ROOT = pathlib.Path(__file__).resolve().parents[3]
CACHE = ROOT / "target" / "dwave-sdist"
WORK = ROOT / "target" / "dwave-samplers-tests"
HERE = pathlib.Path(__file__).resolve().parent

# The test files of the samplers neuroquant.ocean replaces. The other files of the folder test
# dwave's internals (the Cython/C++ kernels `simulated_annealing`, `steepest_gradient_descent`,
# `TabuSearch`, `pimc_annealing`) or samplers we do not replace (planar, tree, random, rotor).
FILES = [
    "test_simulated_annealing_sampler.py",
    "test_tabu_sampler.py",
    "test_greedy_sampler.py",
    "test_greedy_composite.py",
    "test_path_annealing_sampler.py",
]

# node id -> why it is excluded. Only tests of dwave internals.
EXCLUDED: dict[str, str] = {
    "test_tabu_sampler.py::TestTabuSampler::test_timeout": (
        "asserts total wall time = num_reads x timeout (3 reads x 200 ms = 0.6 s), which holds only "
        "when reads run one after another; neuroquant runs reads in parallel, so 3 reads take about "
        "one timeout on 2+ cores (the per-read timeout itself is tested in test_fidelity_samplers.py)"
    ),
}


def sdist() -> pathlib.Path:
    CACHE.mkdir(parents=True, exist_ok=True)
    archive = CACHE / f"dwave_samplers-{VERSION}.tar.gz"
    if not archive.exists():
        subprocess.run(
            [sys.executable, "-m", "pip", "download", f"dwave-samplers=={VERSION}", "--no-binary",
             "dwave-samplers", "--no-deps", "--quiet", "-d", str(CACHE)],
            check=True,
        )
    return archive


def extract(archive: pathlib.Path, swap: bool) -> pathlib.Path:
    if WORK.exists():
        shutil.rmtree(WORK)
    WORK.mkdir(parents=True)
    prefix = f"dwave_samplers-{VERSION}/tests/"
    with tarfile.open(archive) as tar:
        members = [m for m in tar.getmembers() if m.name.startswith(prefix) and m.isfile()]
        for m in members:
            m.name = m.name[len(prefix):]
        tar.extractall(WORK, members=members, filter="data")
    if swap:
        shutil.copy(HERE / "swap.py", WORK / "conftest.py")
    return WORK


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--dwave", action="store_true", help="run on dwave's own classes")
    parser.add_argument("pytest_args", nargs="*")
    args = parser.parse_args()
    folder = extract(sdist(), swap=not args.dwave)
    deselect = [] if args.dwave else [f"--deselect={node}" for node in EXCLUDED]
    cmd = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--rootdir", str(folder),
           *deselect, *args.pytest_args, *FILES]
    return subprocess.run(cmd, cwd=folder).returncode


if __name__ == "__main__":
    sys.exit(main())
