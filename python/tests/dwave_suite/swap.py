"""Runs dwave-samplers' own test files with neuroquant's classes in place of dwave's.

`run.py` copies this file, as `conftest.py`, next to the test files it extracted from dwave-samplers' sdist. Before
any test module is imported, every name under which dwave-samplers exports a sampler is made to
resolve to the `neuroquant.ocean` class of the same name, so `from dwave.samplers.sa import
SimulatedAnnealingSampler` in a test file gets ours. Only dwave internals stay dwave's (the
Cython kernels some test files call directly are not collected: see `run.py`).
"""

import sys

import dwave.samplers
import dwave.samplers.greedy
import dwave.samplers.greedy.composite
import dwave.samplers.greedy.sampler
import dwave.samplers.sa
import dwave.samplers.sa.sampler
import dwave.samplers.sqa
import dwave.samplers.sqa.sampler
import dwave.samplers.tabu
import dwave.samplers.tabu.sampler

from neuroquant import ocean

SWAPS = {
    "SimulatedAnnealingSampler": (dwave.samplers, dwave.samplers.sa, dwave.samplers.sa.sampler),
    "Neal": (dwave.samplers, dwave.samplers.sa, dwave.samplers.sa.sampler),
    "TabuSampler": (dwave.samplers, dwave.samplers.tabu, dwave.samplers.tabu.sampler),
    "SteepestDescentSolver": (
        dwave.samplers,
        dwave.samplers.greedy,
        dwave.samplers.greedy.sampler,
        dwave.samplers.greedy.composite,
    ),
    "SteepestDescentSampler": (dwave.samplers, dwave.samplers.greedy, dwave.samplers.greedy.sampler),
    "PathIntegralAnnealingSampler": (dwave.samplers, dwave.samplers.sqa, dwave.samplers.sqa.sampler),
}

OURS = {
    "SimulatedAnnealingSampler": ocean.SimulatedAnnealingSampler,
    "Neal": ocean.SimulatedAnnealingSampler,
    "TabuSampler": ocean.TabuSampler,
    "SteepestDescentSolver": ocean.SteepestDescentSolver,
    "SteepestDescentSampler": ocean.SteepestDescentSolver,
    "PathIntegralAnnealingSampler": ocean.PathIntegralAnnealingSampler,
}

for name, modules in SWAPS.items():
    for module in modules:
        if hasattr(module, name):
            setattr(module, name, OURS[name])

assert dwave.samplers.sa.SimulatedAnnealingSampler is ocean.SimulatedAnnealingSampler
assert "neuroquant.ocean" in sys.modules
