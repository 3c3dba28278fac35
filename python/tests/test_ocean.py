"""neuroquant.ocean: the samplers are real dimod samplers (dimod's own test-suite), with
dwave-samplers' keywords, and agree with dwave-samplers."""

import time
import unittest

import dimod
import dimod.testing
import numpy as np
import pytest

from neuroquant import ocean

SAMPLERS = [
    ocean.SimulatedAnnealingSampler,
    ocean.SteepestDescentSolver,
    ocean.TabuSampler,
    ocean.ExactSolver,
    ocean.ParallelTemperingSampler,
    ocean.PathIntegralAnnealingSampler,
]


@dimod.testing.load_sampler_bqm_tests(ocean.SimulatedAnnealingSampler)
class TestSimulatedAnnealingDimodSuite(unittest.TestCase):
    pass


@dimod.testing.load_sampler_bqm_tests(ocean.SteepestDescentSolver)
class TestSteepestDescentDimodSuite(unittest.TestCase):
    pass


@dimod.testing.load_sampler_bqm_tests(ocean.TabuSampler)
class TestTabuDimodSuite(unittest.TestCase):
    pass


@dimod.testing.load_sampler_bqm_tests(ocean.ExactSolver)
class TestExactDimodSuite(unittest.TestCase):
    pass


@dimod.testing.load_sampler_bqm_tests(ocean.ParallelTemperingSampler)
class TestParallelTemperingDimodSuite(unittest.TestCase):
    pass


@dimod.testing.load_sampler_bqm_tests(ocean.PathIntegralAnnealingSampler)
class TestPathIntegralDimodSuite(unittest.TestCase):
    pass


@pytest.mark.parametrize("cls", SAMPLERS)
def test_sampler_api_and_energies(cls) -> None:  # type: ignore[no-untyped-def]
    sampler = cls()
    dimod.testing.assert_sampler_api(sampler)
    bqm = dimod.generators.ran_r(1, 10, seed=3)
    bqm.relabel_variables({i: ("q", i) for i in range(10)})
    ss = sampler.sample(bqm, seed=1) if "seed" in sampler.parameters else sampler.sample(bqm)
    dimod.testing.assert_sampleset_energies(ss, bqm)
    assert isinstance(ss, dimod.SampleSet)


def test_keywords_match_dwave_samplers() -> None:
    samplers = pytest.importorskip("dwave.samplers")
    pairs = [
        (ocean.SimulatedAnnealingSampler, samplers.SimulatedAnnealingSampler),
        (ocean.SteepestDescentSolver, samplers.SteepestDescentSolver),
        (ocean.TabuSampler, samplers.TabuSampler),
    ]
    for ours, theirs in pairs:
        missing = set(theirs().parameters) - set(ours().parameters)
        assert not missing, f"{ours.__name__} lacks {missing}"


def test_ground_states_match_dimods_exact_solver() -> None:
    bqm = dimod.generators.gnp_random_bqm(12, 0.5, "BINARY", random_state=7)
    exact = dimod.ExactSolver().sample(bqm).first.energy
    for cls in SAMPLERS:
        kwargs = {"num_reads": 10, "seed": 2} if cls not in (ocean.ExactSolver,) else {}
        assert cls().sample(bqm, **kwargs).first.energy == pytest.approx(exact), cls.__name__


def test_initial_states_with_labels_and_the_other_vartype() -> None:
    bqm = dimod.BQM({"a": 1.0, "b": -1.0}, {("a", "b"): 2.0}, 0.0, "BINARY")
    # Spin-valued states with columns in another order, converted as dimod does.
    states = (np.array([[1, -1], [-1, -1]]), ["b", "a"])
    ss = ocean.SteepestDescentSolver().sample(bqm, initial_states=states, initial_states_generator="none")
    assert len(ss) == 2
    dimod.testing.assert_sampleset_energies(ss, bqm)
    tiled = ocean.SimulatedAnnealingSampler().sample(
        bqm, initial_states=states, initial_states_generator="tile", num_reads=5, num_sweeps=0
    )
    starts = [dict(zip(tiled.variables, row)) for row in tiled.record.sample]
    assert starts[2] == starts[0] == {"a": 0, "b": 1}
    with pytest.raises(ValueError, match="mismatch"):
        ocean.SimulatedAnnealingSampler().sample(bqm, initial_states=(np.array([[1, 1]]), ["a", "z"]))


def test_interrupt_function_and_unknown_keywords() -> None:
    bqm = dimod.generators.ran_r(1, 100, seed=1)
    start = time.monotonic()
    ss = ocean.SimulatedAnnealingSampler().sample(
        bqm, num_reads=100000, num_sweeps=500, interrupt_function=lambda: time.monotonic() - start > 0.2, num_threads=1
    )
    assert 0 < len(ss) < 100000
    with pytest.warns(dimod.exceptions.SamplerUnknownArgWarning):
        ocean.SimulatedAnnealingSampler().sample(bqm, num_reads=1, num_sweeps=10, not_a_keyword=3)
