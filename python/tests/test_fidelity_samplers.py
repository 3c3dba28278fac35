"""Side by side with dwave-samplers 1.8.0: the same call on dwave's sampler and on neuroquant.ocean's
gives the same result or the documented, better one (issue 10, sampler items)."""

from __future__ import annotations

import dimod
import numpy as np
import pytest
from dwave import samplers as dw

import neuroquant as nq
from neuroquant import ocean
from neuroquant.qubo import Bqm

PAIRS = [
    (dw.SimulatedAnnealingSampler, ocean.SimulatedAnnealingSampler),
    (dw.SteepestDescentSolver, ocean.SteepestDescentSolver),
    (dw.TabuSampler, ocean.TabuSampler),
    (dw.PathIntegralAnnealingSampler, ocean.PathIntegralAnnealingSampler),
]
IDS = [p[1].__name__ for p in PAIRS]


def chain(n: int = 12) -> dimod.BQM:
    return dimod.BQM({i: 0.1 * (i % 3 - 1) for i in range(n)}, {(i, i + 1): -1.0 for i in range(n - 1)}, 0.0, "SPIN")


@pytest.mark.parametrize("theirs,ours", PAIRS, ids=IDS)
def test_bad_counts_and_seeds_raise_what_dwave_raises(theirs, ours) -> None:  # type: ignore[no-untyped-def]
    bqm = chain(4)
    cases = [
        ({"num_reads": 2.5}, TypeError),
        ({"num_reads": "3"}, TypeError),
        ({"num_reads": 0}, ValueError),
        ({"num_reads": -1}, ValueError),
        ({"seed": 1.5}, TypeError),
        ({"seed": -1}, ValueError),
        ({"seed": 2**65}, ValueError),
    ]
    for kwargs, error in cases:
        with pytest.raises(error):
            theirs().sample(bqm, **kwargs)
        with pytest.raises(error) as info:
            ours().sample(bqm, **kwargs)
        # Ours names the argument.
        assert list(kwargs)[0] in str(info.value)


@pytest.mark.parametrize("theirs,ours", PAIRS[:2] + PAIRS[3:], ids=IDS[:2] + IDS[3:])
def test_seeds_outside_dwaves_range_raise_in_ocean_only(theirs, ours) -> None:  # type: ignore[no-untyped-def]
    bound = nq.anneal.check_dwave_seed  # the core's table
    bqm = chain(4)
    seed = 2**31 if ours is not ocean.SteepestDescentSolver else 2**32
    with pytest.raises(ValueError):
        theirs().sample(bqm, seed=seed)
    with pytest.raises(ValueError, match="dwave-samplers' range"):
        ours().sample(bqm, seed=seed)
    ours().sample(bqm, seed=seed - 1)
    theirs().sample(bqm, seed=seed - 1)
    # nq.anneal keeps 64-bit seeds.
    assert len(ours._native(seed=2**63).sample(Bqm.from_dimod_bqm(bqm))) == 1
    with pytest.raises(ValueError):
        bound(ours._native().name, seed)


@pytest.mark.parametrize("theirs,ours", PAIRS[:1] + PAIRS[2:], ids=IDS[:1] + IDS[2:])
def test_interrupt_function_contract(theirs, ours) -> None:  # type: ignore[no-untyped-def]
    bqm = chain(8)
    kwargs = {"timeout": 1} if ours is ocean.TabuSampler else {"num_sweeps": 20}

    def raises() -> bool:
        raise RuntimeError("stop")

    # dwave's TabuSampler takes `**kwargs` and silently ignores `interrupt_function`; ours honours
    # it with the contract of dwave's other samplers (the documented, better behaviour).
    dwave_ignores = theirs is dw.TabuSampler
    for f in (lambda: True, raises):
        # The first read always completes; True or an exception stops after it.
        got = len(theirs().sample(bqm, num_reads=50, interrupt_function=f, seed=1, **kwargs))
        assert got == (50 if dwave_ignores else 1)
        assert len(ours().sample(bqm, num_reads=50, interrupt_function=f, seed=1, **kwargs)) == 1
    # Called once between reads: stop after the 4th call -> 4 reads, whatever the thread count,
    # and the same rows as an uninterrupted run's first 4.
    full = ours().sample(bqm, num_reads=12, seed=3, **kwargs) if ours is not ocean.TabuSampler else None
    for threads in (1, 2):
        calls = []

        def count() -> bool:
            calls.append(1)
            return len(calls) >= 4

        ss = ours().sample(bqm, num_reads=12, seed=3, interrupt_function=count, num_threads=threads, **kwargs)
        assert len(ss) == 4 and len(calls) == 4
        if full is not None:
            np.testing.assert_array_equal(ss.record.sample, full.record.sample[:4])
    calls = []
    theirs().sample(bqm, num_reads=12, seed=3, interrupt_function=lambda: calls.append(1) or len(calls) >= 4, **kwargs)
    assert len(calls) == (0 if dwave_ignores else 4)


def test_steepest_descent_accepts_interrupt_function_and_num_steps_is_uint32() -> None:
    bqm = chain(6)
    for cls in (dw.SteepestDescentSolver, ocean.SteepestDescentSolver):
        ss = cls().sample(bqm, num_reads=5, seed=2)
        assert ss.record.num_steps.dtype == np.uint32
    assert ocean.SteepestDescentSolver().properties == dw.SteepestDescentSolver().properties
    assert len(ocean.SteepestDescentSolver().sample(bqm, num_reads=5, interrupt_function=lambda: True)) == 1


def test_zero_temperature_schedule_and_non_numeric_schedules() -> None:
    bqm = dimod.BQM({i: (-1.0) ** i for i in range(10)}, {}, 0.0, "SPIN")
    start = dimod.SampleSet.from_samples_bqm({i: int((-1) ** i) for i in range(10)}, bqm)  # the sky state
    for cls in (dw.SimulatedAnnealingSampler, ocean.SimulatedAnnealingSampler):
        ss = cls().sample(
            bqm, initial_states=start, num_reads=1, beta_schedule_type="custom", beta_schedule=[float("inf")], seed=1
        )
        assert ss.first.energy == -10.0  # every downhill flip taken
        with pytest.raises(ValueError):
            cls().sample(bqm, beta_schedule_type="custom", beta_schedule=[1.0, "hot"])
    for cls in (dw.SimulatedAnnealingSampler, ocean.SimulatedAnnealingSampler):
        for beta_range in ([0.1, 2.0], np.array([0.1, 2.0])):
            assert cls().sample(bqm, beta_range=beta_range, num_sweeps=10, seed=1).info["beta_range"] is not None


def test_tabu_empty_model_and_timeouts() -> None:
    empty = dimod.BQM("SPIN")
    assert len(dw.TabuSampler().sample(empty)) == len(ocean.TabuSampler().sample(empty)) == 0
    # timeout=0 still searches (dwave's clock rule): a frustrated ring reaches its ground state.
    bqm = dimod.generators.ran_r(1, 16, seed=5)
    ground = dimod.ExactSolver().sample(bqm).first.energy
    assert dw.TabuSampler().sample(bqm, timeout=0, seed=1).first.energy == pytest.approx(ground)
    assert ocean.TabuSampler().sample(bqm, timeout=0, seed=1).first.energy == pytest.approx(ground)
    # Float timeouts are milliseconds, as ints are.
    assert len(ocean.TabuSampler().sample(bqm, timeout=2.5, num_reads=2, seed=1)) == 2
    with pytest.raises(ValueError, match="timeout"):
        ocean.TabuSampler().sample(bqm, timeout=-1.0)


def test_path_integral_sampler_speaks_dwaves_keywords() -> None:
    bqm = dimod.generators.ran_r(1, 12, seed=2)
    theirs, ours = dw.PathIntegralAnnealingSampler(), ocean.PathIntegralAnnealingSampler()
    assert set(theirs.parameters) <= set(ours.parameters)
    assert ours.properties == theirs.properties
    assert ours.parameters["beta_schedule_type"] == ["beta_schedule_options"]
    a = theirs.sample(bqm, num_reads=5, seed=3)
    b = ours.sample(bqm, num_reads=5, seed=3)
    assert b.record.dtype.names == a.record.dtype.names  # no extra `slice` field
    assert np.allclose(b.info["beta_range"], a.info["beta_range"])
    assert b.info["beta_schedule_type"] == a.info["beta_schedule_type"] == "geometric"
    hp = np.geomspace(0.1, 3.0, 50)
    hd = np.linspace(2.0, 0.0, 50)
    for sampler in (theirs, ours):
        ss = sampler.sample(bqm, beta_schedule_type="custom", Hp_field=hp, Hd_field=hd, num_reads=4, seed=1)
        # A custom schedule reports the beta_range given, None when none was (as dwave does).
        assert ss.info["beta_range"] is None and ss.info["beta_schedule_type"] == "custom"
        dimod.testing.assert_sampleset_energies(ss, bqm)
        given = [hp[0], hp[-1]]
        ss = sampler.sample(bqm, beta_schedule_type="custom", Hp_field=hp, beta_range=given, num_reads=1, seed=1)
        assert list(ss.info["beta_range"]) == given
        for bad in ({"beta_schedule_type": "custom"}, {"Hp_field": [1.0, 2.0]}, {"beta_schedule_type": "custom", "Hp_field": [-1.0]}):
            with pytest.raises(ValueError):
                sampler.sample(bqm, **bad)
    # Both reach the ground state of this small model.
    ground = dimod.ExactSolver().sample(bqm).first.energy
    assert ours.sample(bqm, num_reads=10, num_sweeps=200, seed=4).first.energy == pytest.approx(ground)


@pytest.mark.parametrize("cls", [ocean.SimulatedAnnealingSampler, ocean.SteepestDescentSolver, ocean.TabuSampler])
def test_ocean_samplers_take_a_qubo_bqm_and_convert_initial_states(cls) -> None:  # type: ignore[no-untyped-def]
    theirs = dimod.BQM({"a": 1.0, "b": -1.0}, {("a", "b"): 2.0}, 0.0, "BINARY")
    ours = Bqm.from_dimod_bqm(theirs)
    spin_states = (np.array([[1, -1]]), ["b", "a"])  # SPIN values for a BINARY model
    kwargs = {"initial_states": spin_states, "num_reads": 1, "seed": 1}
    if cls is ocean.SimulatedAnnealingSampler:
        kwargs["num_sweeps"] = 0
    a, b = cls().sample(theirs, **kwargs), cls().sample(ours, **kwargs)
    assert a.first.sample == b.first.sample
    if cls is ocean.SimulatedAnnealingSampler:
        assert b.first.sample == {"a": 0, "b": 1}


def test_parameters_and_properties_as_dwave_fills_them() -> None:
    for theirs, ours in PAIRS:
        t, o = theirs(), ours()
        assert o.properties == t.properties, ours.__name__
        for name, related in t.parameters.items():
            assert o.parameters[name] == related, (ours.__name__, name)


def test_exact_solver_enumerates_beyond_20_variables_with_a_stated_limit() -> None:
    # Row for row as dimod's (Gray-code order), on a model small enough to compare quickly.
    small = dimod.generators.ran_r(1, 12, seed=3)
    theirs, ours = dimod.ExactSolver().sample(small), ocean.ExactSolver().sample(small)
    np.testing.assert_array_equal(ours.record.sample, theirs.record.sample)
    np.testing.assert_allclose(ours.record.energy, theirs.record.energy, atol=1e-12)
    # 21 variables, beyond the old fixed limit of 20: every state, with dimod's energies.
    bqm = dimod.generators.ran_r(1, 21, seed=3)
    ours = ocean.ExactSolver().sample(bqm)
    assert len(ours) == 2**21
    np.testing.assert_allclose(ours.record.energy, bqm.energies((ours.record.sample, ours.variables)), atol=1e-9)
    # The limit is a keyword (default 24, as far as dimod goes in about a gigabyte), checked
    # before anything is allocated, and named in the error.
    assert nq.anneal.Exact().properties["max_variables"] == 24
    with pytest.raises(nq.LimitExceededError, match=r"21 variables exceeds this sampler's limit of 20 \(its max_variables\)"):
        ocean.ExactSolver().sample(bqm, max_variables=20)
    with pytest.raises(nq.LimitExceededError, match="`max_variables`: 27 exceeds the limit of 26"):
        ocean.ExactSolver().sample(bqm, max_variables=27)
    with pytest.raises(nq.LimitExceededError, match="limit of 24"):
        ocean.ExactSolver().sample(dimod.BQM(25, "SPIN"))


def test_native_sampleset_reads_as_dimods() -> None:
    bqm = Bqm.from_dimod_bqm(chain(6))
    ours = nq.anneal.Tabu(num_reads=4, seed=2, timeout=None, num_restarts=3).sample(bqm)  # has a num_restarts vector
    theirs = ours.to_dimod()
    # first: a named tuple with dimod's fields.
    assert ours.first._fields == theirs.first._fields == ("sample", "energy", "num_occurrences", "num_restarts")
    assert ours.first.sample == dict(theirs.first.sample) and ours.first.energy == theirs.first.energy
    assert ours.first.num_occurrences == theirs.first.num_occurrences
    # record: the same structured array.
    assert ours.record.dtype == theirs.record.dtype
    np.testing.assert_array_equal(ours.record.sample, theirs.record.sample)
    np.testing.assert_array_equal(ours.record.energy, theirs.record.energy)
    # data(): the same rows in the same order, for dimod's options.
    for kwargs in ({}, {"reverse": True}, {"sorted_by": None}, {"fields": ["energy", "sample"]}, {"index": True}, {"sample_dict_cast": False, "fields": ["sample"]}):
        got = [tuple(r) for r in ours.data(**kwargs)]
        want = [tuple(r) for r in theirs.data(**kwargs)]
        norm = lambda rows: [tuple(dict(x) if hasattr(x, "items") else (list(x) if isinstance(x, np.ndarray) else x) for x in r) for r in rows]  # noqa: E731
        assert norm(got) == norm(want), kwargs
    assert [r._fields for r in ours.data(name="Row")][:1] == [r._fields for r in theirs.data(name="Row")][:1]
    # change_vartype: a new set (neuroquant's sets are immutable; dimod's default in place is refused).
    binary = ours.change_vartype("BINARY", energy_offset=1.5, inplace=False)
    theirs.change_vartype("BINARY", energy_offset=1.5)
    np.testing.assert_array_equal(binary.record.sample, theirs.record.sample)
    np.testing.assert_array_equal(binary.record.energy, theirs.record.energy)
    assert binary.vartype is theirs.vartype is dimod.BINARY
    with pytest.raises(nq.InvalidArgumentError, match="inplace=False"):
        ours.change_vartype("BINARY")
    # repr shows Python values.
    assert "lowest=" + repr(float(ours.first.energy)) in repr(ours) and "Some(" not in repr(ours)


def test_model_decode_sampleset_takes_a_native_sampleset() -> None:
    import pyqubo

    for mod in (pyqubo, nq.qubo):
        x, y = mod.Binary("x"), mod.Binary("y")
        expr = (x + y - 1) ** 2 + mod.Constraint(x * y, label="xy")
        if mod is pyqubo:
            their_model = expr.compile()
        else:
            our_model = expr.compile()
    ss = nq.anneal.Exact().sample(our_model.to_bqm())
    ours = our_model.decode_sampleset(ss)
    theirs = their_model.decode_sampleset(dimod.ExactSolver().sample(their_model.to_bqm()))
    assert [(d.sample, d.energy) for d in ours] == [(d.sample, d.energy) for d in theirs]
