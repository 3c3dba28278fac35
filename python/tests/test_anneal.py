"""neuroquant.anneal: ground states vs brute force, dwave-samplers parity, reproducibility,
interrupts, views, pickling, SPEC §5 bad parameters."""

import itertools
import pickle
import time

import dimod
import numpy as np
import pytest

import neuroquant as nq
from neuroquant import anneal
from neuroquant.qubo import Bqm

from _gil import hold_the_gil, ticks_during


def random_model(n: int, seed: int, vartype: str = "SPIN") -> Bqm:
    rng = np.random.default_rng(seed)
    rows, cols = np.triu_indices(n, 1)
    keep = rng.random(len(rows)) < 0.5
    bqm = Bqm(n, vartype)
    bqm.add_linear_from_array(rng.integers(-3, 4, n).astype(float))
    bqm.add_quadratic_from_arrays(rows[keep], cols[keep], rng.integers(-3, 4, keep.sum()).astype(float))
    bqm.relabel_variables({i: f"v{i}" for i in range(n)})
    return bqm


def brute_force_minimum(bqm: Bqm) -> float:
    """Independent oracle: the model's energy on every assignment, via dimod's definition."""
    values = (-1, 1) if bqm.vartype.name == "SPIN" else (0, 1)
    lin = bqm.linear
    quad = bqm.quadratic
    best = np.inf
    for assignment in itertools.product(values, repeat=bqm.num_variables):
        x = dict(zip(bqm.variables, assignment))
        e = bqm.offset + sum(b * x[v] for v, b in lin.items()) + sum(b * x[u] * x[v] for (u, v), b in quad.items())
        best = min(best, e)
    return best


SAMPLERS = [
    lambda: anneal.SimulatedAnnealing(num_reads=20, num_sweeps=500, seed=11),
    lambda: anneal.SimulatedAnnealing(num_reads=20, seed=11, randomize_order=True, proposal_acceptance_criteria="Gibbs"),
    lambda: anneal.Tabu(num_reads=4, seed=3, timeout=30),
    lambda: anneal.ParallelTempering(num_reads=4, num_sweeps=300, seed=5),
    lambda: anneal.PathIntegralAnnealing(num_reads=10, num_sweeps=500, seed=7),
    lambda: anneal.Exact(),
    lambda: anneal.Exact(mode="ground_states"),
]


@pytest.mark.parametrize("make", SAMPLERS)
@pytest.mark.parametrize("vartype", ["SPIN", "BINARY"])
def test_samplers_reach_the_ground_state(make, vartype: str) -> None:  # type: ignore[no-untyped-def]
    bqm = random_model(12, seed=4, vartype=vartype)
    ss = make().sample(bqm)
    assert ss.first is not None and ss.first[1] == pytest.approx(brute_force_minimum(bqm))
    assert ss.vartype.name == vartype and ss.vartype == dimod.Vartype[vartype] and ss.variables == bqm.variables
    np.testing.assert_allclose(ss.energies, bqm.energies((ss.samples, ss.variables)), rtol=0, atol=1e-9)


def test_steepest_descent_ends_in_local_minima() -> None:
    bqm = random_model(10, seed=9)
    ss = anneal.SteepestDescent(num_reads=30, seed=2).sample(bqm)
    assert ss.vectors["num_steps"].shape == (30,)
    for row, e in zip(ss.samples, ss.energies):
        for v in range(bqm.num_variables):
            flipped = row.copy()
            flipped[v] = -flipped[v]
            assert bqm.energy(flipped) >= e - 1e-9  # no single flip lowers the energy


def test_default_beta_range_matches_dwave_samplers() -> None:
    dwave = pytest.importorskip("dwave.samplers")
    for seed in range(3):
        bqm = random_model(15, seed)
        ours = anneal.default_beta_range(bqm)
        theirs = dwave.sa.sampler.default_beta_range(bqm.to_dimod())
        assert ours == pytest.approx(tuple(theirs), rel=1e-12)


def test_same_seed_same_result_any_thread_count_distinct_reads() -> None:
    bqm = random_model(40, seed=1)
    sa = anneal.SimulatedAnnealing(num_reads=16, num_sweeps=200, seed=1234)
    one = sa.sample(bqm, num_threads=1)
    two = sa.sample(bqm, num_threads=2)
    np.testing.assert_array_equal(one.samples, two.samples)
    np.testing.assert_array_equal(one.energies, two.energies)
    assert one.info["seed"] == 1234
    assert len({row.tobytes() for row in one.samples}) > 1  # a fixed seed still gives distinct reads
    unseeded = anneal.SimulatedAnnealing(num_reads=2, num_sweeps=10).sample(bqm)
    again = anneal.SimulatedAnnealing(num_reads=2, num_sweeps=10, seed=unseeded.info["seed"]).sample(bqm)
    np.testing.assert_array_equal(unseeded.samples, again.samples)  # the reported seed repeats the run


def test_interrupt_returns_completed_reads_and_propagates_exceptions() -> None:
    bqm = random_model(200, seed=2)
    start = time.monotonic()

    def after_a_fifth_of_a_second() -> bool:  # the callback is polled between and inside reads
        return time.monotonic() - start > 0.2

    ss = anneal.SimulatedAnnealing(num_reads=100000, num_sweeps=500, seed=1).sample(
        bqm, interrupt_function=after_a_fifth_of_a_second, num_threads=1
    )
    assert ss.info["interrupted"] and 0 < len(ss) < 100000
    with pytest.raises(nq.StoppedError, match="before the first read"):
        anneal.SimulatedAnnealing(num_reads=4, num_sweeps=100000).sample(bqm, interrupt_function=lambda: True)

    def boom() -> bool:
        raise KeyError("from the callback")

    with pytest.raises(KeyError, match="from the callback"):
        anneal.SimulatedAnnealing(num_reads=4, num_sweeps=100).sample(bqm, interrupt_function=boom)


def test_sampling_releases_the_gil() -> None:
    assert ticks_during(hold_the_gil) == 0  # the negative control
    bqm = random_model(300, seed=3)
    for sampler in (
        anneal.SimulatedAnnealing(num_reads=4, num_sweeps=500, seed=1),
        anneal.ParallelTempering(num_reads=1, num_replicas=4, num_sweeps=200, seed=1),
        anneal.PathIntegralAnnealing(num_reads=2, num_sweeps=200, seed=1),
        anneal.SteepestDescent(num_reads=300, seed=1),
        anneal.Tabu(num_reads=2, timeout=30, seed=1),
    ):
        assert ticks_during(lambda: sampler.sample(bqm)) > 0, sampler.name
    assert ticks_during(lambda: anneal.Exact().sample(random_model(18, seed=4))) > 0


def test_sampleset_views_methods_and_pickling() -> None:
    bqm = random_model(8, seed=6)
    ss = anneal.SimulatedAnnealing(num_reads=30, num_sweeps=50, seed=2).sample(bqm)
    with pytest.raises(ValueError, match="read-only"):
        ss.samples[0, 0] = 1
    assert ss.samples.base is not None  # a view, not a copy
    agg = ss.aggregate()
    assert agg.num_occurrences.sum() == 30 and len({r.tobytes() for r in agg.samples}) == len(agg)
    low = ss.lowest()
    assert (low.energies <= ss.energies.min() + 1e-8).all()
    top = ss.truncate(5)
    assert len(top) == 5 and (np.diff(top.energies) >= 0).all()
    back = pickle.loads(pickle.dumps(ss))
    np.testing.assert_array_equal(back.samples, ss.samples)
    assert back.variables == ss.variables and back.info == ss.info
    d = ss.to_dimod()
    assert list(d.variables) == bqm.variables and d.vartype.name == "SPIN"
    np.testing.assert_allclose(d.record.energy, ss.energies)


def test_samplers_pickle_and_fallback_reports_who_answered() -> None:
    for make in SAMPLERS:
        s = make()
        t = pickle.loads(pickle.dumps(s))
        assert type(t) is type(s) and t.params_bytes() == s.params_bytes()
    bqm = random_model(6, seed=1)
    too_small = anneal.Exact()  # refuses models above its size limit
    big = random_model(40, seed=1)
    fb = anneal.FallbackSampler(too_small, anneal.SimulatedAnnealing(num_reads=2, num_sweeps=50, seed=1))
    out = fb.sample(big)
    assert out.info["sampler"] == "simulated_annealing"
    assert out.info["extra"]["fallback"]["answered_by"] == "fallback"
    assert fb.sample(bqm).info["sampler"] == "exact"
    assert type(pickle.loads(pickle.dumps(fb))) is anneal.FallbackSampler


@pytest.mark.parametrize(
    "make,exc,match",
    [
        (lambda: anneal.SimulatedAnnealing(num_reads=0), nq.InvalidArgumentError, "num_reads"),
        (lambda: anneal.SimulatedAnnealing(beta_range=(2.0, 1.0)), nq.InvalidArgumentError, "beta_range"),
        (lambda: anneal.SimulatedAnnealing(beta_range=(float("nan"), 1.0)), nq.NeuroquantError, "beta_range"),
        (lambda: anneal.SimulatedAnnealing(beta_schedule_type="cubic"), nq.InvalidArgumentError, "beta_schedule_type"),
        (lambda: anneal.SimulatedAnnealing(beta_schedule_type="custom"), nq.InvalidArgumentError, "beta_schedule"),
        (lambda: anneal.SimulatedAnnealing(proposal_acceptance_criteria="Glauber"), nq.InvalidArgumentError, "proposal"),
        (lambda: anneal.SimulatedAnnealing(initial_states_generator="zeros"), nq.InvalidArgumentError, "generator"),
        (lambda: anneal.SimulatedAnnealing(initial_states=[[1, 300]]), nq.InvalidArgumentError, "initial_states"),
        (lambda: anneal.Exact(mode="some"), nq.InvalidArgumentError, "mode"),
        (lambda: anneal.ParallelTempering(output="hottest"), nq.InvalidArgumentError, "output"),
        (lambda: anneal.PathIntegralAnnealing(schedule=[(0.5,)]), nq.InvalidArgumentError, "schedule"),
        (lambda: anneal.PathIntegralAnnealing(trotter=0), nq.InvalidArgumentError, "trotter"),
        (lambda: anneal.FallbackSampler(anneal.Exact(), anneal.Exact(), timeout=-1.0), nq.InvalidArgumentError, "timeout"),
    ],
)
def test_bad_parameters_are_rejected(make, exc, match: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(exc, match=match):
        make()


def test_bad_models_and_states_are_rejected_and_change_nothing() -> None:
    bqm = random_model(5, seed=1)
    before = pickle.dumps(bqm)
    with pytest.raises(nq.NeuroquantError, match="initial_states"):
        anneal.SimulatedAnnealing(initial_states=np.ones((2, 4), dtype=np.int8)).sample(bqm)  # wrong width
    with pytest.raises(nq.InvalidArgumentError):
        anneal.SimulatedAnnealing(initial_states=np.zeros((2, 5), dtype=np.int8)).sample(bqm)  # BINARY values, SPIN model
    with pytest.raises(nq.LimitExceededError, match="exact"):
        anneal.Exact().sample(random_model(30, seed=1))
    with pytest.raises(nq.InvalidArgumentError, match="num_threads"):
        anneal.SimulatedAnnealing().sample(bqm, num_threads=0)
    assert pickle.dumps(bqm) == before


def test_fallback_breaker_and_routing_from_python() -> None:
    big = random_model(40, seed=3)
    small = random_model(6, seed=3)
    sa = anneal.SimulatedAnnealing(num_reads=2, num_sweeps=50, seed=1)
    fb = anneal.FallbackSampler(anneal.Exact(), sa, failure_threshold=1, cooldown_ms=60_000)
    first = fb.sample(big).info["extra"]["fallback"]
    assert first["answered_by"] == "fallback" and first["breaker"]["state"] == "open"
    # Open: even a model the primary could solve goes to the fallback until the cool-down ends.
    second = fb.sample(small).info["extra"]["fallback"]
    assert "circuit breaker open" in second["reason"]
    assert fb.sample(small).info["sampler"] == "simulated_annealing"
    again = pickle.loads(pickle.dumps(fb))  # the parameters travel, not the breaker's state
    assert again.sample(small).info["sampler"] == "exact"
    with pytest.raises(nq.InvalidArgumentError, match="failure_threshold"):
        anneal.FallbackSampler(anneal.Exact(), sa, failure_threshold=-1)
    with pytest.raises(nq.InvalidArgumentError, match="not a parameter of the fallback sampler"):
        anneal.FallbackSampler(anneal.Exact(), sa, timeout=1.0)
    router = anneal.RoutingSampler([(10, anneal.Exact())], sa)
    assert router.sample(small).info["extra"]["routing"]["answered_by"] == "exact"
    assert router.sample(big).info["extra"]["routing"] == {
        "answered_by": "simulated_annealing",
        "num_variables": 40,
        "route": None,
        "max_variables": None,
    }
    assert pickle.loads(pickle.dumps(router)).sample(small).info["sampler"] == "exact"
    with pytest.raises(nq.InvalidArgumentError, match="must increase"):
        anneal.RoutingSampler([(10, anneal.Exact()), (5, sa)], sa)
