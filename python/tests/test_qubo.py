"""neuroquant.qubo.Bqm against dimod (the oracle): construction forms, labels, energies,
conversions, transformations; SPEC §5 bad input; pickling."""

import copy
import pathlib
import pickle
import tomllib

import dimod
import numpy as np
import pytest

import neuroquant as nq
from neuroquant.qubo import Bqm

from _gil import hold_the_gil, ticks_during


def random_model(vartype: str, n: int, m: int, seed: int) -> tuple[Bqm, dimod.BinaryQuadraticModel]:
    """The same random model built in both libraries from index arrays (repeats and self-loops)."""
    rng = np.random.default_rng(seed)
    linear = rng.uniform(-5, 5, n)
    rows = rng.integers(0, n, m)
    cols = rng.integers(0, n, m)
    biases = rng.uniform(-5, 5, m)
    ours = Bqm(n, vartype)
    ours.add_linear_from_array(linear)
    ours.add_quadratic_from_arrays(rows, cols, biases)
    ours.add_offset(1.25)
    theirs = dimod.BinaryQuadraticModel(vartype)
    theirs.add_linear_from_array(linear)
    for r, c, b in zip(rows.tolist(), cols.tolist(), biases.tolist()):
        if r == c:  # dimod's add_quadratic rejects self-loops; fold them as from_qubo does
            if vartype == "BINARY":
                theirs.add_linear(r, b)
            else:
                theirs.offset += b
        else:
            theirs.add_quadratic(r, c, b)
    theirs.offset += 1.25
    return ours, theirs


def random_samples(vartype: str, rows: int, n: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    bits = rng.integers(0, 2, size=(rows, n), dtype=np.int8)
    return bits if vartype == "BINARY" else (2 * bits - 1).astype(np.int8)


def assert_same_model(ours: Bqm, theirs: dimod.BinaryQuadraticModel) -> None:
    assert ours.vartype is theirs.vartype
    assert list(ours.variables) == list(theirs.variables)
    assert ours.num_interactions == theirs.num_interactions
    assert ours.offset == pytest.approx(theirs.offset, abs=1e-12)
    for v, b in theirs.linear.items():
        assert ours.get_linear(v) == pytest.approx(b, abs=1e-12)
    for (u, v), b in theirs.quadratic.items():
        assert ours.get_quadratic(u, v) == pytest.approx(b, abs=1e-12)


@pytest.mark.parametrize("vartype", ["SPIN", "BINARY"])
@pytest.mark.parametrize("n,m", [(1, 0), (5, 12), (40, 300)])
def test_energies_match_dimod(vartype: str, n: int, m: int) -> None:
    ours, theirs = random_model(vartype, n, m, seed=n + m)
    assert_same_model(ours, theirs)
    samples = random_samples(vartype, 64, n, seed=3)
    expected = theirs.energies((samples, range(n)))
    np.testing.assert_allclose(ours.energies(samples), expected, rtol=1e-12, atol=1e-12)
    assert ours.energy(samples[7]) == pytest.approx(expected[7], rel=1e-12, abs=1e-12)


def test_labels_follow_dimod() -> None:
    ours, theirs = Bqm("SPIN"), dimod.BQM("SPIN")
    for m in (ours, theirs):
        m.add_linear("a", 1.0)
        m.add_quadratic("a", ("t", 1), -2.0)
        m.add_quadratic(7, "a", 0.5)
        m.set_linear(7, 3.0)
        m.add_variable()  # generated label: its index (3) if free
        m.add_variable("z", 1.5)
    assert_same_model(ours, theirs)
    assert "a" in ours and "b" not in ours and 3 in ours
    sample = {"a": 1, ("t", 1): -1, 7: 1, 3: -1, "z": 1}
    assert ours.energy(sample) == pytest.approx(theirs.energy(sample))
    order = ["z", 7, "a", 3, ("t", 1)]
    arr = np.array([[sample[v] for v in order], [1, 1, 1, 1, 1]], dtype=np.int8)
    np.testing.assert_allclose(ours.energies((arr, order)), theirs.energies((arr, order)))
    np.testing.assert_allclose(ours.energies([sample, sample]), [theirs.energy(sample)] * 2)
    # Generated labels avoid taken integers, as in dimod.
    a, b = Bqm("SPIN"), dimod.BQM("SPIN")
    a.add_variable(1)
    b.add_variable(1)
    assert a.add_variable() == b.add_variable() == 0
    assert ours.linear == dict(theirs.linear)
    assert ours.quadratic == {k: v for k, v in ours.quadratic.items()}  # a dict of labels


def test_construction_forms_match_dimod() -> None:
    m = np.array([[1.0, 0, 2], [0, 0, 0], [3, 0, 4]])
    assert_same_model(Bqm(m, "BINARY"), dimod.BQM(m, "BINARY"))
    assert_same_model(Bqm(4, "SPIN"), dimod.BQM(4, "SPIN"))
    assert_same_model(Bqm(np.int64(4), "SPIN"), dimod.BQM(4, "SPIN"))  # numpy integers count too
    lin, quad = {"a": 1.0, "b": 2.0}, {("a", "b"): 3.0, ("b", "c"): -1.0}
    assert_same_model(Bqm(lin, quad, 0.5, "SPIN"), dimod.BQM(lin, quad, 0.5, "SPIN"))
    assert_same_model(Bqm(lin, quad, vartype="BINARY"), dimod.BQM(lin, quad, 0.0, "BINARY"))
    q = {(0, 0): 1.0, (0, 1): 2.0, (1, 0): 3.0, ("x", "x"): -1.0}
    assert_same_model(Bqm.from_qubo(q, 2.0), dimod.BQM.from_qubo(q, 2.0))
    h, j = {"a": 1.0}, {("a", "b"): -1.0}
    assert_same_model(Bqm.from_ising(h, j, 1.0), dimod.BQM.from_ising(h, j, 1.0))
    assert_same_model(Bqm.from_ising([1.0, 2.0], {(0, 1): 1.0}), dimod.BQM.from_ising([1.0, 2.0], {(0, 1): 1.0}))
    # vartype is dimod's own object, so it compares as dimod's does (not equal to the string).
    assert Bqm(dimod.SPIN).vartype is dimod.BQM(dimod.SPIN).vartype is dimod.SPIN
    assert (Bqm("SPIN").vartype == "SPIN") == (dimod.BQM("SPIN").vartype == "SPIN")
    assert Bqm("SPIN").vartype.name == dimod.BQM("SPIN").vartype.name == "SPIN"


@pytest.mark.parametrize("vartype", ["SPIN", "BINARY"])
def test_dimod_round_trips(vartype: str) -> None:
    _, theirs = random_model(vartype, 12, 40, seed=5)
    theirs.relabel_variables({i: f"v{i}" for i in range(0, 12, 2)})
    ours = Bqm.from_dimod_bqm(theirs)
    assert_same_model(ours, theirs)
    assert Bqm(theirs) == ours  # dimod models are accepted by the constructor
    back = ours.to_dimod()
    assert isinstance(back, dimod.BinaryQuadraticModel)
    dimod.testing.assert_bqm_almost_equal(back, theirs, places=12)
    linear, (r, c, b), offset, labels = ours.to_numpy_vectors(return_labels=True)
    dl, (dr, dc, db), doff, dlabels = theirs.to_numpy_vectors(return_labels=True)
    assert labels == list(dlabels) and offset == pytest.approx(doff)
    np.testing.assert_allclose(linear, dl)
    mine = {(min(x, y), max(x, y)): z for x, y, z in zip(r, c, b)}
    theirs_pairs = {(min(x, y), max(x, y)): z for x, y, z in zip(dr, dc, db)}
    assert mine.keys() == theirs_pairs.keys()
    order = list(reversed(labels))
    lin2, _, _ = ours.to_numpy_vectors(variable_order=order)
    np.testing.assert_allclose(lin2, theirs.to_numpy_vectors(variable_order=order)[0])


@pytest.mark.parametrize("vartype,target", [("SPIN", "BINARY"), ("BINARY", "SPIN")])
def test_change_vartype_qubo_and_ising_match_dimod(vartype: str, target: str) -> None:
    ours, theirs = random_model(vartype, 12, 40, seed=11)
    converted = ours.change_vartype(target, inplace=False)
    assert ours.vartype is theirs.vartype is dimod.Vartype[vartype]
    assert_same_model(converted, theirs.change_vartype(target, inplace=False))
    q, off = ours.to_qubo()
    dq, doff = theirs.to_qubo()
    assert off == pytest.approx(doff)
    assert {frozenset(k): v for k, v in q.items()} == pytest.approx({frozenset(k): v for k, v in dq.items()})
    h, j, off = ours.to_ising()
    dh, dj, doff = theirs.to_ising()
    assert off == pytest.approx(doff) and h == pytest.approx(dh)
    assert {frozenset(k): v for k, v in j.items()} == pytest.approx({frozenset(k): v for k, v in dj.items()})
    same = ours.change_vartype(target)  # in place returns self
    assert same is ours and ours == converted


def test_transformations_match_dimod() -> None:
    ours, theirs = random_model("SPIN", 10, 30, seed=8)
    labels = {i: ("n", i) for i in range(10)}
    ours.relabel_variables(labels)
    theirs.relabel_variables(labels)
    for m in (ours, theirs):
        m.fix_variable(("n", 3), -1)
        m.fix_variables({("n", 0): 1, ("n", 9): -1})
    assert_same_model(ours, theirs)
    for m in (ours, theirs):
        m.scale(-0.5)
    assert_same_model(ours, theirs)
    assert ours.normalize(2.0, (-0.5, 1.0)) == pytest.approx(theirs.normalize(2.0, (-0.5, 1.0)))
    assert_same_model(ours, theirs)
    assert ours.degrees() == dict(theirs.degrees())
    np.testing.assert_array_equal(ours.degrees(array=True), theirs.degrees(array=True))
    assert ours.maximum_energy_delta() == pytest.approx(theirs.maximum_energy_delta())
    swapped = ours.relabel_variables({("n", 1): ("n", 2), ("n", 2): ("n", 1)}, inplace=False)
    assert swapped.variables[0] == ("n", 2)
    ints, mapping = ours.relabel_variables_as_integers(inplace=False)
    assert ints.variables == list(range(7)) and mapping[0] == ("n", 1)
    u, v = next(iter(theirs.quadratic))
    ours.remove_interaction(u, v)
    theirs.remove_interaction(u, v)
    assert_same_model(ours, theirs)


def test_sample_dtypes_and_layouts() -> None:
    bqm, _ = random_model("BINARY", 6, 10, seed=5)
    s8 = random_samples("BINARY", 20, 6, seed=6)
    want = bqm.energies(s8)
    for arr in (s8.astype(np.int16), s8.astype(np.int32), s8.astype(np.int64), s8.astype(np.uint8), s8.astype(bool)):
        np.testing.assert_array_equal(bqm.energies(arr), want)
    np.testing.assert_array_equal(bqm.energies(s8.tolist()), want)
    wide = np.zeros((20, 12), dtype=np.int8)
    wide[:, ::2] = s8
    np.testing.assert_array_equal(bqm.energies(wide[:, ::2]), want)  # non-contiguous view
    np.testing.assert_array_equal(bqm.energies(np.asfortranarray(s8)), want)
    assert bqm.energies(s8[0]).shape == (1,)
    empty = Bqm("SPIN")
    empty.offset = 2.0
    np.testing.assert_array_equal(empty.energies(np.zeros((3, 0), dtype=np.int8)), [2.0, 2.0, 2.0])


def test_large_batches_release_the_gil() -> None:
    n = 400
    bqm = Bqm(n, "SPIN")
    iu = np.triu_indices(n, 1)
    bqm.add_quadratic_from_arrays(iu[0], iu[1], np.ones(len(iu[0])))
    samples = random_samples("SPIN", 6000, n, seed=1)
    assert ticks_during(hold_the_gil) == 0  # the negative control
    assert ticks_during(lambda: bqm.energies(samples)) > 0


def test_pickle_and_bytes_round_trip() -> None:
    bqm, _ = random_model("SPIN", 9, 30, seed=2)
    bqm.relabel_variables({0: "a", 5: ("b", 1)})
    for back in (pickle.loads(pickle.dumps(bqm)), copy.deepcopy(bqm), copy.copy(bqm), bqm.copy()):
        assert back == bqm and back is not bqm
        assert type(back) is Bqm and back.variables == bqm.variables
    data = bqm.to_bytes()
    assert data[:8] == b"NQMODEL\x00"
    plain = Bqm.from_bytes(data)  # the container holds indices, not labels
    assert plain.variables == list(range(9)) and plain.energy([1] * 9) == bqm.energy([1] * 9)
    with pytest.raises(nq.FormatError, match="truncated"):
        Bqm.from_bytes(data[:-9])
    with pytest.raises(nq.FormatError, match="magic"):
        Bqm.from_bytes(b"DIMODBQM" + data[8:])


# ---- SPEC §5: bad input is rejected with a clear error and changes nothing ----


@pytest.fixture
def model() -> Bqm:
    bqm = Bqm({"a": 1.0, "b": -1.0, "c": 0.5}, {("a", "b"): 2.0}, 0.25, "SPIN")
    return bqm


@pytest.mark.parametrize(
    "call,exc,match",
    [
        (lambda b: b.add_linear("a", float("nan")), nq.NonFiniteError, "`bias`"),
        (lambda b: b.add_linear("new", float("nan")), nq.NonFiniteError, "`bias`"),
        (lambda b: b.add_quadratic("x", "y", float("inf")), nq.NonFiniteError, "`bias`"),
        (lambda b: setattr(b, "offset", float("-inf")), nq.NonFiniteError, "`offset`"),
        (lambda b: b.add_linear_from_array([0.0, np.nan, 0.0]), nq.NonFiniteError, "element 1"),
        (lambda b: b.add_linear_from({"a": 1.0, "q": np.nan}), nq.NonFiniteError, "`bias`"),
        (lambda b: b.add_quadratic_from({("a", "q"): 1.0, ("q", "r"): np.nan}), nq.NonFiniteError, "`biases`"),
        # A failure inside the core after new labels were staged: the new variables are removed.
        (lambda b: b.add_linear_from([("q", 1.0), ("a", 1.7e308), ("a", 1.7e308)]), nq.NonFiniteError, "variable 0"),
        (lambda b: b.add_quadratic_from([("q", "r", 1.0), ("a", "b", 1.7e308), ("b", "a", 1.7e308)]), nq.NonFiniteError, "overflow"),
        (lambda b: b.add_quadratic_from_arrays([0, 1], [2, 2], [1.0, np.nan]), nq.NonFiniteError, "`biases`"),
        (lambda b: b.get_linear("zz"), nq.InvalidArgumentError, "unknown variable 'zz'"),
        (lambda b: b.get_quadratic("a", "c"), nq.InvalidArgumentError, "no interaction"),
        (lambda b: b.remove_interaction("a", "c"), nq.InvalidArgumentError, "no interaction"),
        (lambda b: b.add_quadratic_from_arrays([0, 1], [1, 5], [1.0, 1.0]), nq.IndexOutOfRangeError, "`cols`"),
        (lambda b: b.add_quadratic_from_arrays([0, -1], [1, 2], [1.0, 1.0]), nq.IndexOutOfRangeError, "index -1"),
        (lambda b: b.add_quadratic_from_arrays([0], [1, 2], [1.0]), nq.DimensionMismatchError, "`cols`"),
        (lambda b: b.energies(np.ones((2, 4), dtype=np.int8)), nq.DimensionMismatchError, "`samples`"),
        (lambda b: b.energy([1, 1]), nq.DimensionMismatchError, "`samples`"),
        # dimod: ValueError "unknown variable 'c'"; ours names the missing label too.
        (lambda b: b.energy({"a": 1, "b": 1}), nq.InvalidArgumentError, "`samples`: missing variable 'c'"),
        (lambda b: b.energy({"a": 1, "b": 1, "zz": 1}), nq.InvalidArgumentError, "missing variable 'c'"),
        (lambda b: b.energies(([[1, 1, 1]], ["a", "b", "b"])), nq.InvalidArgumentError, "twice"),
        (lambda b: b.energies([[1, 0, 1]]), nq.InvalidArgumentError, "variable 'b' has value 0"),
        (lambda b: b.energies([[1, 1, 1], [1, 1, 300]]), nq.InvalidArgumentError, "sample 1, variable 'c'"),
        (lambda b: b.energies(np.full((2, 3), 0.5)), nq.InvalidArgumentError, "not an exact spin or binary value"),
        (lambda b: b.energies(np.ones((2, 3, 1), dtype=np.int8)), nq.InvalidArgumentError, "shape"),
        (lambda b: b.change_vartype("ISING"), nq.InvalidArgumentError, "vartype"),
        (lambda b: b.add_variables(2**40), nq.LimitExceededError, "num_variables"),
        (lambda b: b.set_quadratic("a", "a", 1.0), nq.InvalidArgumentError, "distinct"),
        (lambda b: b.fix_variable("a", 0), nq.InvalidArgumentError, "value 0"),
        (lambda b: b.fix_variables({"a": 1, "zz": 1}), nq.InvalidArgumentError, "unknown variable"),
        (lambda b: b.relabel_variables({"a": "b"}), nq.InvalidArgumentError, "more than once"),
        (lambda b: b.scale(float("nan")), nq.NonFiniteError, "`scalar`"),
        (lambda b: b.normalize((0.0, 1.0)), nq.InvalidArgumentError, "low < 0 < high"),
    ],
)
def test_bad_input_is_rejected_and_changes_nothing(model: Bqm, call, exc, match: str) -> None:  # type: ignore[no-untyped-def]
    before = pickle.dumps(model)
    with pytest.raises(exc, match=match) as info:
        call(model)
    assert isinstance(info.value, nq.NeuroquantError)
    assert isinstance(info.value, ValueError)
    assert pickle.dumps(model) == before


def test_unhashable_labels_change_nothing(model: Bqm) -> None:
    before = pickle.dumps(model)
    with pytest.raises(TypeError):
        model.add_linear(["unhashable"], 1.0)
    assert pickle.dumps(model) == before


def test_constructor_rejects_bad_arguments() -> None:
    with pytest.raises(nq.InvalidArgumentError, match="vartype"):
        Bqm("QUBIT")
    with pytest.raises(nq.InvalidArgumentError, match="vartype"):
        Bqm(3)
    with pytest.raises(nq.InvalidArgumentError, match="vartype"):
        Bqm()
    with pytest.raises(nq.InvalidArgumentError, match="negative"):
        Bqm(-1, "SPIN")
    with pytest.raises(nq.InvalidArgumentError, match="square"):
        Bqm(np.ones((2, 3)), "SPIN")
    with pytest.raises(nq.NonFiniteError, match="matrix"):
        Bqm(np.array([[0.0, np.nan], [0.0, 0.0]]), "SPIN")


def test_version_matches_the_workspace() -> None:
    root = pathlib.Path(__file__).resolve().parents[2]
    cargo = tomllib.loads((root / "Cargo.toml").read_text())
    assert nq.__version__ == cargo["workspace"]["package"]["version"]


def test_exception_hierarchy() -> None:
    assert issubclass(nq.IndexOutOfRangeError, IndexError)
    assert issubclass(nq.IndexOutOfRangeError, nq.InvalidArgumentError)
    assert issubclass(nq.FormatError, nq.NeuroquantError)
    assert issubclass(nq.StoppedError, nq.NeuroquantError)
    assert nq.NeuroquantError.__module__ == "neuroquant"
