"""Side by side with dimod 0.12.23: the same call on a dimod BQM and on a neuroquant Bqm gives the
same result (issue 10, Bqm items)."""

from __future__ import annotations

import dimod
import numpy as np
import pytest

import neuroquant as nq
from neuroquant.qubo import Bqm


def pair(linear, quadratic, offset=0.0, vartype="BINARY"):
    return dimod.BQM(linear, quadratic, offset, vartype), Bqm(linear, quadratic, offset, vartype)


def same(theirs: dimod.BQM, ours: Bqm) -> None:
    assert list(ours.variables) == list(theirs.variables)
    assert dict(ours.linear) == dict(theirs.linear)
    assert {frozenset(k): v for k, v in ours.quadratic.items()} == {
        frozenset(k): v for k, v in theirs.quadratic.items()
    }
    assert ours.offset == theirs.offset
    assert ours.vartype is theirs.vartype


def test_linear_and_quadratic_are_live_views() -> None:
    theirs, ours = pair({"a": 1.0, "b": -1.0}, {("a", "b"): 0.5})
    for bqm in (theirs, ours):
        bqm.linear["a"] = 5
        bqm.linear["c"] = 2  # a new variable
        bqm.quadratic[("a", "b")] = 2
        bqm.quadratic[("c", "a")] = -3  # reversed and new pair
        bqm.adj["b"]["c"] = 7
    same(theirs, ours)
    for bqm in (theirs, ours):
        assert bqm.quadratic[("b", "a")] == bqm.quadratic[("a", "b")] == 2
        assert len(bqm.linear) == 3 and len(bqm.quadratic) == 3 and len(bqm.adj["a"]) == 2
        assert ("a", "c") in bqm.quadratic and ("a", "zz") not in bqm.quadratic
        with pytest.raises(KeyError):
            bqm.linear["zz"]
        with pytest.raises(KeyError):
            bqm.quadratic[("b", "b")]
        del bqm.quadratic[("c", "a")]
        del bqm.linear["b"]  # removes the variable and its interactions
    same(theirs, ours)
    assert dict(ours.adj["a"]) == dict(theirs.adj["a"]) == {}


def test_vartype_is_dimods() -> None:
    for vt in ("SPIN", "BINARY"):
        ours = Bqm(vt)
        assert ours.vartype is dimod.Vartype[vt]
        assert ours.vartype == dimod.Vartype[vt] and ours.vartype.name == vt
    assert Bqm(dimod.SPIN).change_vartype("BINARY", inplace=False).vartype is dimod.BINARY


def test_bare_arrays_are_read_by_label_as_dimod_reads_them() -> None:
    # Integer labels inserted out of order: column k is variable k, not the k-th inserted.
    theirs, ours = pair({2: 1.0, 0: 2.0, 1: -1.0}, {(2, 0): 1.0})
    samples = np.array([[1, 0, 0], [0, 0, 1], [1, 1, 1]], dtype=np.int8)
    np.testing.assert_array_equal(ours.energies(samples), theirs.energies(samples))
    assert ours.energy(samples[0]) == theirs.energy(samples[0])
    # Labels that are not 0..n-1: dimod refuses a bare array; neuroquant reads its columns in
    # variable order (documented extension).
    theirs, ours = pair({"a": 1.0, "b": 2.0}, {})
    with pytest.raises(ValueError):
        theirs.energies(np.array([[1, 0]]))
    np.testing.assert_array_equal(ours.energies(np.array([[1, 0]])), theirs.energies((np.array([[1, 0]]), ["a", "b"])))


def test_every_sample_form_dimod_accepts() -> None:
    theirs, ours = pair({"a": 1.0, "b": -2.0}, {("a", "b"): 3.0}, 0.5, "SPIN")
    spins = np.array([[1, -1], [-1, -1]])
    ss = dimod.SampleSet.from_samples((spins[:, ::-1], ["b", "a"]), "SPIN", energy=[0, 0])
    forms = [
        ss,
        {"a": 1, "b": -1, "extra": 1},  # labels the model lacks are ignored
        [{"a": 1, "b": -1}, {"b": 1, "a": 1}],
        (spins, ["a", "b"]),
        (spins[:, ::-1].copy(), ["b", "a"]),
        (np.sign(spins * 0.3), ["a", "b"]),
        (spins.astype(np.int16), ["a", "b"]),
        (spins.astype(np.int32), ["a", "b"]),
        (spins.astype(np.int64), ["a", "b"]),
    ]
    for form in forms:
        np.testing.assert_array_equal(ours.energies(form), theirs.energies(form))
    with pytest.raises(ValueError, match="'b'"):
        ours.energies({"a": 1})  # the missing label is named
    with pytest.raises(ValueError):
        theirs.energies({"a": 1})
    # dimod truncates 0.5 to 0 silently; neuroquant refuses it.
    with pytest.raises(nq.InvalidArgumentError, match="not an exact spin or binary value"):
        ours.energies((np.array([[0.5, 1.0]]), ["a", "b"]))


def test_from_dimod_keeps_dimods_order_and_bytes() -> None:
    theirs = dimod.BQM({10: 1.0, 3: -1.0, 99: 0.5}, {}, 1.0, "BINARY")
    theirs.add_quadratic(10, 99, 2.0)
    ours = Bqm.from_dimod_bqm(theirs)
    assert list(ours.variables) == list(theirs.variables) == [10, 3, 99]  # not sorted
    assert dict(ours.linear) == dict(theirs.linear)
    # DIMODBQM bytes are identical after the round trip, and back in dimod.
    assert ours.to_buffer("dimodbqm") == theirs.to_file().read()
    assert list(ours.to_dimod().variables) == [10, 3, 99]
    dimod.testing.assert_bqm_almost_equal(ours.to_dimod(), theirs)


@pytest.mark.parametrize(
    "linear,quadratic",
    [
        ({10: 1.0, 3: -1.0, 99: 0.5}, {(10, 99): 2.0}),
        ({"a": 1.0, "b": 2.0}, {("c", "a"): 1.0}),
        ([1.0, 2.0], {(5, 0): 1.0}),  # entry i of an array goes to the variable labelled i
        ([1.0, 2.0], {("a", "b"): 1.0}),
        ({"x": 1.0}, iter([("y", "x", 2.0), ("z", "z", 3.0)])),  # an iterator; a self-loop folds
        ({2: 1.0}, np.array([[0.0, 1.0], [0.5, 2.0]])),  # anything else is a dense matrix
    ],
)
@pytest.mark.parametrize("vartype", ["SPIN", "BINARY"])
def test_constructor_orders_variables_as_dimod(linear, quadratic, vartype: str) -> None:  # type: ignore[no-untyped-def]
    import copy
    import itertools

    if isinstance(quadratic, type(iter([]))):
        items = list(quadratic)
        q1, q2 = iter(items), iter(items)
    else:
        q1, q2 = copy.deepcopy(quadratic), copy.deepcopy(quadratic)
    theirs, ours = dimod.BQM(linear, q1, 0.5, vartype), Bqm(linear, q2, 0.5, vartype)
    assert list(ours.variables) == list(theirs.variables)
    same(theirs, ours)
    # Bare arrays, read by dimod's rule, give dimod's energies.
    n = len(theirs.variables)
    values = [-1, 1] if vartype == "SPIN" else [0, 1]
    samples = np.array(list(itertools.islice(itertools.product(values, repeat=n), 8)), dtype=np.int8)
    if set(theirs.variables) == set(range(n)):
        np.testing.assert_array_equal(ours.energies(samples), theirs.energies(samples))
    if vartype == "SPIN" and isinstance(quadratic, dict):  # from_ising is the same constructor
        assert list(Bqm.from_ising(linear, quadratic).variables) == list(dimod.BQM.from_ising(linear, quadratic).variables)


def test_add_quadratic_on_one_variable_raises_like_dimod() -> None:
    theirs, ours = pair({"a": 1.0}, {})
    with pytest.raises(ValueError):
        theirs.add_quadratic("a", "a", 1.0)
    with pytest.raises(ValueError, match="'a' cannot have an interaction with itself"):
        ours.add_quadratic("a", "a", 1.0)
    same(theirs, ours)


@pytest.mark.parametrize("vartype", ["SPIN", "BINARY"])
def test_remove_flip_and_contract_variables(vartype: str) -> None:
    linear = {"a": 1.0, "b": -2.0, "c": 0.5, "d": 3.0}
    quadratic = {("a", "b"): 1.5, ("b", "c"): -1.0, ("a", "c"): 2.0, ("c", "d"): 0.25}
    theirs, ours = pair(linear, quadratic, 0.75, vartype)
    for bqm in (theirs, ours):
        bqm.flip_variable("b")
    same(theirs, ours)
    for bqm in (theirs, ours):
        bqm.contract_variables("a", "c")
    same(theirs, ours)
    assert ours.remove_variable("d") == theirs.remove_variable("d") == "d"
    same(theirs, ours)
    assert ours.remove_variable() == theirs.remove_variable()
    same(theirs, ours)


def test_vartype_without_dimod_equals_the_strings() -> None:
    """With dimod absent, `vartype` is neuroquant's enum, equal to and hashed as its name."""
    import subprocess
    import sys

    code = (
        "import sys; sys.modules['dimod'] = None\n"
        "from neuroquant.qubo import Bqm\n"
        "v = Bqm('SPIN').vartype\n"
        "assert v == 'SPIN' and v != 'BINARY' and v.name == 'SPIN' and {'SPIN': 1}[v] == 1\n"
        "assert Bqm('BINARY').vartype == 'BINARY' and type(v).__module__ == 'neuroquant._views'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def _models(vartype: str = "SPIN") -> tuple[tuple[dimod.BQM, Bqm], tuple[dimod.BQM, Bqm]]:
    a = pair({"a": 1.0, "b": -0.5, "c": 0.25}, {("a", "b"): 2.0, ("b", "c"): -1.0}, 0.5, vartype)
    b = pair({"c": 3.0, "d": 1.5}, {("d", "c"): 0.75, ("d", "a"): -2.0}, -1.25, vartype)
    return a, b


@pytest.mark.parametrize("vartype", ["SPIN", "BINARY"])
def test_arithmetic_matches_dimod(vartype: str) -> None:
    (ta, oa), (tb, ob) = _models(vartype)
    cases = [
        (lambda x, y: x + y),
        (lambda x, y: x - y),
        (lambda x, y: y - x),
        (lambda x, y: x + 2.5),
        (lambda x, y: 2.5 + x),
        (lambda x, y: x - 1),
        (lambda x, y: 1 - x),
        (lambda x, y: x * 3),
        (lambda x, y: 3 * x),
        (lambda x, y: x / 4),
        (lambda x, y: -x),
    ]
    for op in cases:
        same(op(ta, tb), op(oa, ob))
    # A dimod model on either side of a neuroquant one gives dimod's result (dimod's variable order).
    same(ta + tb, ta + ob)
    same(ta + tb, oa + tb)
    same(ta - tb, ta - ob)
    # In place.
    for x, y in ((ta.copy(), tb), (oa.copy(), ob)):
        x += y
        x -= 0.5
        x *= 2
        x /= 4
        if isinstance(x, Bqm):
            mine = x
        else:
            theirs_ = x
    same(theirs_, mine)
    # Products of linear models, and squares.
    lin = pair({"x": 2.0, "y": -1.0}, {}, 0.5, vartype)
    lin2 = pair({"y": 3.0, "z": 0.25}, {}, -1.0, vartype)
    same(lin[0] * lin2[0], lin[1] * lin2[1])
    same(lin[0] ** 2, lin[1] ** 2)
    with pytest.raises(TypeError):
        ta * tb
    with pytest.raises(TypeError, match="interactions"):
        oa * ob
    with pytest.raises(ValueError):
        ta**3
    with pytest.raises(ValueError, match="power"):
        oa**3
    # Mixing vartypes: dimod turns it into a QuadraticModel (or refuses shared variables);
    # neuroquant says so.
    other = "BINARY" if vartype == "SPIN" else "SPIN"
    disjoint = pair({"p": 1.0}, {("p", "q"): 2.0}, 0.0, other)
    assert isinstance(ta + disjoint[0], dimod.QuadraticModel)
    with pytest.raises(nq.InvalidArgumentError, match="QuadraticModel"):
        oa + disjoint[1]
    with pytest.raises(ValueError, match="conflicting vartypes"):
        ta + tb.change_vartype(other, inplace=False)
    with pytest.raises(ValueError, match="QuadraticModel"):
        oa + ob.change_vartype(other, inplace=False)


@pytest.mark.parametrize("vartype", ["SPIN", "BINARY"])
def test_update_and_is_almost_equal_match_dimod(vartype: str) -> None:
    (ta, oa), (tb, ob) = _models(vartype)
    other = "BINARY" if vartype == "SPIN" else "SPIN"
    for x, y in ((ta, tb.change_vartype(other, inplace=False)), (oa, ob.change_vartype(other, inplace=False))):
        x.update(y)  # read in x's vartype, as dimod does
    same(ta, oa)
    oa.update(tb)  # a dimod model as the argument
    ta.update(tb)
    same(ta, oa)
    close = oa.copy()
    close.add_linear("a", 1e-9)
    theirs_close = ta.copy()
    theirs_close.add_linear("a", 1e-9)
    for places in (7, 10):
        assert oa.is_almost_equal(close, places) == ta.is_almost_equal(theirs_close, places)
    assert oa.is_almost_equal(ta) and oa.is_almost_equal(ta.to_serializable() and Bqm.from_dimod_bqm(ta))
    assert not oa.is_almost_equal(ob) and not ta.is_almost_equal(tb)
    empty_t, empty_o = dimod.BQM(vartype), Bqm(vartype)
    empty_t.offset = empty_o.offset = 1.5
    assert empty_t.is_almost_equal(1.5) and empty_o.is_almost_equal(1.5)


@pytest.mark.parametrize("vartype", ["SPIN", "BINARY"])
def test_spin_and_binary_views_match_dimod(vartype: str) -> None:
    (ta, oa), _ = _models(vartype)
    assert (ta.spin is ta) == (oa.spin is oa) and (ta.binary is ta) == (oa.binary is oa)
    for view in ("spin", "binary"):
        tv, ov = getattr(ta, view), getattr(oa, view)
        assert ov.vartype is tv.vartype
        assert dict(ov.linear) == pytest.approx(dict(tv.linear))
        assert {frozenset(k): v for k, v in ov.quadratic.items()} == pytest.approx(
            {frozenset(k): v for k, v in tv.quadratic.items()}
        )
        assert ov.offset == pytest.approx(tv.offset)
        # Writes through the view change the model as dimod's do (the model keeps its vartype).
        for v in (tv, ov):
            v.add_linear("a", 0.5)
            v.add_quadratic("a", "c", -1.25)
            v.add_quadratic("c", "new", 2.0)
            v.set_linear("b", 3.0)
            v.offset = 4.0
        assert ta.vartype is oa.vartype is dimod.Vartype[vartype]
        assert list(oa.variables) == list(ta.variables)
        assert dict(oa.linear) == pytest.approx(dict(ta.linear))
        assert {frozenset(k): v for k, v in oa.quadratic.items()} == pytest.approx(
            {frozenset(k): v for k, v in ta.quadratic.items()}
        )
        assert oa.offset == pytest.approx(ta.offset)
        values = [-1, 1] if view == "spin" else [0, 1]
        sample = {v: values[i % 2] for i, v in enumerate(ta.variables)}
        assert ov.energy(sample) == pytest.approx(tv.energy(sample))


def test_a_neuroquant_bqm_in_dimod_and_dwave_code() -> None:
    """dimod and dwave-samplers take a neuroquant Bqm where they take a dimod one; what they
    cannot take fails with a message naming to_dimod()."""
    from dwave import samplers as dw

    ours = Bqm({"a": 1.0, "b": -0.5, "c": 0.25}, {("a", "b"): 2.0, ("b", "c"): -1.0}, 0.5, "SPIN")
    theirs = ours.to_dimod()
    for convert in (dimod.BQM, dimod.as_bqm, lambda b: dimod.BQM(b, "BINARY")):
        assert convert(ours) == convert(theirs)
    samplers = [
        dimod.ExactSolver(),
        dw.SimulatedAnnealingSampler(),
        dw.SteepestDescentSolver(),
        dw.TreeDecompositionSolver(),
        dimod.TruncateComposite(dimod.ExactSolver(), 3),
        dimod.StructureComposite(dimod.ExactSolver(), ["a", "b", "c"], [("a", "b"), ("b", "c")]),
    ]
    for sampler in samplers:
        got = sampler.sample(ours, seed=1) if "seed" in sampler.parameters else sampler.sample(ours)
        want = sampler.sample(theirs, seed=1) if "seed" in sampler.parameters else sampler.sample(theirs)
        dimod.testing.assert_sampleset_energies(got, theirs)
        assert got.first.energy == want.first.energy
    assert set(ours.variables) <= set(theirs.variables) and isinstance(ours.variables, dimod.variables.Variables)
    assert dimod.to_networkx_graph(ours).edges == dimod.to_networkx_graph(theirs).edges
    # dimod internals: one clear message naming to_dimod().
    with pytest.raises(AttributeError, match=r"bqm\.to_dimod\(\)"):
        dimod.CQM().set_objective(ours)
    dimod.CQM().set_objective(ours.to_dimod())


def test_serializable_forms_match_dimod() -> None:
    ours = Bqm({"a": 1.0, 2: -0.5, ("t", 1): 0.25}, {("a", 2): 2.0}, 0.5, "BINARY")
    theirs = ours.to_dimod()
    assert ours.to_serializable() == theirs.to_serializable()
    same(theirs, Bqm.from_serializable(theirs.to_serializable()))
    same(dimod.BQM.from_serializable(Bqm({"a": 1.0}, {("a", "b"): 2.0}, 0.0, "SPIN").to_serializable()), Bqm({"a": 1.0}, {("a", "b"): 2.0}, 0.0, "SPIN"))
    packed = theirs.to_serializable(use_bytes=True)
    assert ours.to_serializable(use_bytes=True) == packed
    same(theirs, Bqm.from_serializable(packed))


def test_energies_dtype_and_extra_columns_as_dimod() -> None:
    theirs, ours = pair({"a": 1.0, "b": 2.0}, {("a", "b"): 1.5}, 0.5, "SPIN")
    samples = (np.array([[1, -1, 1], [-1, -1, -1]]), ["a", "b", "z"])  # a column dimod ignores
    np.testing.assert_array_equal(ours.energies(samples), theirs.energies(samples))
    for dtype in (np.float32, np.float64, None):
        got, want = ours.energies(samples, dtype=dtype), theirs.energies(samples, dtype=dtype)
        assert got.dtype == want.dtype
        np.testing.assert_array_equal(got, want)
    with pytest.raises(ValueError):
        theirs.energies((np.array([[1]]), ["a"]))
    with pytest.raises(nq.InvalidArgumentError, match="missing variable 'b'"):
        ours.energies((np.array([[1]]), ["a"]))


@pytest.mark.parametrize("vartype", ["SPIN", "BINARY"])
def test_add_linear_equality_constraint_has_dimods_signature_and_result(vartype: str) -> None:
    terms = [("a", 1.0), ("b", 2.0), ("a", -0.5), ("c", 3.0)]
    theirs = dimod.BQM({"a": 1.0}, {("a", "b"): -1.0}, 0.5, vartype)
    ours = Bqm.from_dimod_bqm(theirs)
    theirs.add_linear_equality_constraint(terms, 2.5, -1.0)
    ours.add_linear_equality_constraint(terms, 2.5, -1.0)
    back = ours.to_dimod()
    assert list(back.variables) == list(theirs.variables)
    assert back.is_almost_equal(theirs)
    # Bad input names the argument and changes nothing.
    before = ours.to_dimod()
    with pytest.raises(nq.NonFiniteError, match="lagrange_multiplier"):
        ours.add_linear_equality_constraint([("a", 1.0), ("new", 1.0)], float("nan"), 0.0)
    assert ours.to_dimod() == before and "new" not in ours.variables


# ---- add_linear_inequality_constraint (dimod 0.12.23's signature, slack names and result) ----

INEQUALITY_CASES = [
    # (terms, constant, lb, ub, cross_zero): dimod's defaults lb=int64 min, ub=0.
    ([("a", 1), ("b", 1), ("c", 1)], -2, None, None, False),  # a+b+c-2 <= 0: slack weights 1, 1
    ([("a", 2), ("b", 3), ("c", -1), ("a", 1)], 0, -1, 4, False),  # repeated label, two-sided
    ([("a", 4), ("b", 5), ("c", 6)], 0, 3, 12, True),  # cross_zero with a range excluding 0
    ([("a", 3), ("b", 2), ("c", 7)], -5, None, 3, False),  # m = 3 with a remainder slack
    ([("a", 1), ("b", 1)], 0, 2, 2, False),  # a single allowed value: an equality, no slack
    ([("a", 1), ("new", 2), ("b", -1)], 1, -1, 1, False),  # a label the model does not hold
]


@pytest.mark.parametrize("vartype", ["SPIN", "BINARY"])
@pytest.mark.parametrize("case", range(len(INEQUALITY_CASES)))
def test_add_linear_inequality_constraint_matches_dimod(vartype: str, case: int) -> None:
    terms, constant, lb, ub, cross_zero = INEQUALITY_CASES[case]
    kwargs: dict = {"constant": constant, "cross_zero": cross_zero}
    if lb is not None:
        kwargs["lb"] = lb
    if ub is not None:
        kwargs["ub"] = ub
    theirs = dimod.BQM({"a": 1.0, "b": -2.0}, {("a", "b"): -1.0}, 0.5, vartype)
    ours = Bqm.from_dimod_bqm(theirs)
    their_slack = theirs.add_linear_inequality_constraint(terms, 2.5, "c1", **kwargs)
    our_slack = ours.add_linear_inequality_constraint(terms, 2.5, "c1", **kwargs)
    assert our_slack == their_slack  # the slack variables' names and weights, in order
    back = ours.to_dimod()
    assert list(back.variables) == list(theirs.variables)
    assert back.is_almost_equal(theirs)


def test_add_linear_inequality_constraint_edge_cases_match_dimod() -> None:
    import warnings

    theirs = dimod.BQM({"a": 0.0, "b": 0.0}, {}, 0.0, "BINARY")
    ours = Bqm.from_dimod_bqm(theirs)
    # Always satisfied: both warn, nothing is added, no slack.
    for bqm in (theirs, ours):
        with pytest.warns(UserWarning, match="Did not add constraint c2"):
            assert bqm.add_linear_inequality_constraint([("a", 1), ("b", 1)], 1.0, "c2", ub=5) == []
    assert ours.to_dimod() == theirs
    # Fractional coefficients: both warn and still add.
    for bqm in (theirs, ours):
        with pytest.warns(UserWarning, match="fractional coefficients"):
            bqm.add_linear_inequality_constraint([("a", 1.5), ("b", 1)], 1.0, "c3", ub=2)
    assert ours.to_dimod().is_almost_equal(theirs)
    # Infeasible: both raise ValueError; ours changes nothing.
    before = ours.to_dimod()
    with pytest.raises(ValueError, match="infeasible"):
        theirs.add_linear_inequality_constraint([("a", 1), ("b", 1)], 1.0, "c4", lb=3, ub=5)
    with pytest.raises(nq.InvalidArgumentError, match="infeasible"):
        ours.add_linear_inequality_constraint([("a", 1), ("b", 1)], 1.0, "c4", lb=3, ub=5)
    assert ours.to_dimod() == before
    # The unbalanced method: a pair of multipliers, no slack.
    for bqm in (theirs, ours):
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            assert bqm.add_linear_inequality_constraint(
                [("a", 2), ("b", 3)], (0.5, 1.5), "c5", ub=4, penalization_method="unbalanced") == []
    assert ours.to_dimod().is_almost_equal(theirs)
    with pytest.raises(TypeError):
        theirs.add_linear_inequality_constraint([("a", 2), ("b", 3)], 1.0, "c6", ub=4, penalization_method="unbalanced")
    with pytest.raises(TypeError, match="lagrange_multiplier"):
        ours.add_linear_inequality_constraint([("a", 2), ("b", 3)], 1.0, "c6", ub=4, penalization_method="unbalanced")
    with pytest.raises(ValueError):
        theirs.add_linear_inequality_constraint([("a", 2), ("b", 3)], 1.0, "c7", ub=4, penalization_method="other")
    with pytest.raises(nq.InvalidArgumentError, match="penalization_method"):
        ours.add_linear_inequality_constraint([("a", 2), ("b", 3)], 1.0, "c7", ub=4, penalization_method="other")
    assert ours.to_dimod().is_almost_equal(theirs)


def test_inequality_penalty_is_zero_exactly_on_feasible_assignments() -> None:
    # An oracle independent of dimod: min over the slack of the penalty is 0 iff lb <= lhs <= ub.
    import itertools

    terms = [("a", 2), ("b", 3), ("c", -1)]
    bqm = Bqm({"a": 0.0, "b": 0.0, "c": 0.0}, {}, 0.0, "BINARY")
    slack = bqm.add_linear_inequality_constraint(terms, 1.0, "k", constant=1, lb=0, ub=3)
    slack_labels = [s for s, _ in slack]
    for x in itertools.product((0, 1), repeat=3):
        sample = dict(zip("abc", x))
        lhs = 2 * x[0] + 3 * x[1] - x[2] + 1
        best = min(bqm.energy({**sample, **dict(zip(slack_labels, s))})
                   for s in itertools.product((0, 1), repeat=len(slack_labels)))
        assert (best == 0) == (0 <= lhs <= 3), (x, best)


# ---- networkx conversion, as dimod's converters ----

def test_networkx_conversion_matches_dimods() -> None:
    import networkx as nx

    theirs = dimod.BQM({3: 1.0, "b": -2.0, (1, 2): 0.5}, {(3, "b"): -1.0, ("b", (1, 2)): 2.0}, 1.25, "SPIN")
    ours = Bqm.from_dimod_bqm(theirs)
    want = dimod.to_networkx_graph(theirs)
    for got in (ours.to_networkx_graph(), dimod.to_networkx_graph(ours)):
        assert isinstance(got, nx.Graph)
        assert list(got.nodes(data=True)) == list(want.nodes(data=True))
        assert {frozenset((u, v)): d for u, v, d in got.edges(data=True)} == {
            frozenset((u, v)): d for u, v, d in want.edges(data=True)}
        assert got.offset == want.offset and got.vartype is want.vartype is dimod.SPIN
    named = ours.to_networkx_graph("h", "J")
    assert named.nodes[3]["h"] == 1.0 and named.edges[3, "b"]["J"] == -1.0
    # Back: from dimod's graph and from ours, with dimod's defaults for missing attributes.
    g = nx.Graph()
    g.add_node("x", bias=1.5)
    g.add_node("y")
    g.add_edge("y", "z", bias=-2.0)
    g.add_edge("x", "z")
    g.offset = 0.75
    for graph, vartype in ((want, None), (g, "BINARY"), (g, dimod.BINARY), (g, {0, 1})):
        their_back = dimod.from_networkx_graph(graph, vartype)
        our_back = Bqm.from_networkx_graph(graph, vartype)
        assert list(our_back.variables) == list(their_back.variables)
        assert our_back.to_dimod() == their_back and our_back.vartype is their_back.vartype
    with pytest.raises(ValueError):
        dimod.from_networkx_graph(g)
    with pytest.raises(nq.InvalidArgumentError, match="vartype"):
        Bqm.from_networkx_graph(g)


# ---- errors name labels, not internal indices ----

def test_errors_name_labels_not_indices() -> None:
    theirs = dimod.BQM({"alpha": 1.0, "beta": 0.0}, {("alpha", "beta"): 1.0}, 0.0, "BINARY")
    ours = Bqm.from_dimod_bqm(theirs)
    cases = [  # (call, label the error must name, whether dimod raises too)
        (lambda b: b.get_linear("gamma"), "'gamma'", True),
        (lambda b: b.get_quadratic("alpha", "gamma"), "'gamma'", True),
        (lambda b: b.remove_interaction("alpha", "gamma"), "'gamma'", True),
        (lambda b: b.energy({"alpha": 1}), "'beta'", True),
        (lambda b: b.flip_variable("gamma"), "'gamma'", True),
        (lambda b: b.contract_variables("alpha", "gamma"), "'gamma'", True),
        (lambda b: b.add_quadratic("alpha", "alpha", 1.0), "'alpha'", True),
        # dimod computes an energy from a value outside the vartype; ours refuses, naming the label
        (lambda b: b.energies([{"alpha": 1, "beta": 2}]), "'beta'", False),
        (lambda b: b.energies(([[0, -1]], ["alpha", "beta"])), "'beta'", False),
        (lambda b: b.energies(np.array([[1, 0], [0, 5]])), "'beta'", True),  # dimod: unknown variable
    ]
    for call, label, dimod_raises in cases:
        if dimod_raises:
            with pytest.raises(ValueError):
                call(theirs)
        else:
            call(theirs)
        with pytest.raises(ValueError) as our_err:  # InvalidArgumentError is a ValueError
            call(ours)
        message = str(our_err.value)
        assert label in message, message
        assert "variable 1 " not in message and "variable 0 " not in message, message
