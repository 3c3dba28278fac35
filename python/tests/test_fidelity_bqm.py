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
