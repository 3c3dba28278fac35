"""neuroquant.qubo.Bqm against dimod (the oracle), plus SPEC §5 bad input and pickling."""

import copy
import pathlib
import pickle
import threading
import tomllib

import dimod
import numpy as np
import pytest

import neuroquant as nq
from neuroquant.qubo import Bqm


def random_model(vartype: str, n: int, m: int, seed: int) -> tuple[Bqm, dimod.BinaryQuadraticModel]:
    rng = np.random.default_rng(seed)
    linear = rng.uniform(-5, 5, n)
    rows = rng.integers(0, n, m).astype(np.uint32)
    cols = rng.integers(0, n, m).astype(np.uint32)
    biases = rng.uniform(-5, 5, m)
    ours = Bqm(vartype, n)
    ours.add_linear_from_array(linear)
    ours.add_quadratic_from_arrays(rows, cols, biases)
    ours.add_offset(1.25)
    theirs = dimod.BinaryQuadraticModel(vartype)
    theirs.add_variables_from({i: float(b) for i, b in enumerate(linear)})
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


@pytest.mark.parametrize("vartype", ["SPIN", "BINARY"])
@pytest.mark.parametrize("n,m", [(1, 0), (5, 12), (40, 300)])
def test_energies_match_dimod(vartype: str, n: int, m: int) -> None:
    ours, theirs = random_model(vartype, n, m, seed=n + m)
    samples = random_samples(vartype, 64, n, seed=3)
    expected = theirs.energies((samples, range(n)))
    np.testing.assert_allclose(ours.energies(samples), expected, rtol=1e-12, atol=1e-12)
    assert ours.energy(samples[7]) == pytest.approx(expected[7], rel=1e-12, abs=1e-12)
    assert ours.num_interactions == theirs.num_interactions
    for (u, v), b in theirs.quadratic.items():
        assert ours.get_quadratic(u, v) == pytest.approx(b, rel=1e-12, abs=1e-12)
    np.testing.assert_allclose(ours.linear, [theirs.linear[i] for i in range(n)], rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("vartype,target", [("SPIN", "BINARY"), ("BINARY", "SPIN")])
def test_change_vartype_matches_dimod(vartype: str, target: str) -> None:
    ours, theirs = random_model(vartype, 12, 40, seed=11)
    converted = ours.change_vartype(target, inplace=False)
    assert ours.vartype == vartype and converted.vartype == target
    dimod_converted = theirs.change_vartype(target, inplace=False)
    np.testing.assert_allclose(converted.linear, [dimod_converted.linear[i] for i in range(12)], atol=1e-12)
    assert converted.offset == pytest.approx(dimod_converted.offset, abs=1e-12)
    rows, cols, biases = converted.quadratic_arrays()
    for r, c, b in zip(rows.tolist(), cols.tolist(), biases.tolist()):
        assert b == pytest.approx(dimod_converted.quadratic[r, c], abs=1e-12)
    same = ours.change_vartype(target)  # in place returns self
    assert same is ours and ours == converted
    # dimod's Vartype enum is accepted too.
    assert Bqm(dimod.SPIN).vartype == "SPIN"


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
    bqm = Bqm("SPIN", n)
    iu = np.triu_indices(n, 1)
    bqm.add_quadratic_from_arrays(iu[0], iu[1], np.ones(len(iu[0])))
    samples = random_samples("SPIN", 3000, n, seed=1)
    ticks = 0
    worker = threading.Thread(target=bqm.energies, args=(samples,))
    worker.start()
    while worker.is_alive():  # only advances while the worker runs without the GIL
        ticks += 1
    worker.join()
    assert ticks > 1000


def test_pickle_and_bytes_round_trip() -> None:
    bqm, _ = random_model("SPIN", 9, 30, seed=2)
    for back in (pickle.loads(pickle.dumps(bqm)), copy.deepcopy(bqm), bqm.copy(), Bqm.from_bytes(bqm.to_bytes())):
        assert back == bqm and back is not bqm
        assert type(back) is Bqm
    data = bqm.to_bytes()
    assert data[:8] == b"NQMODEL\x00"
    with pytest.raises(nq.FormatError, match="truncated"):
        Bqm.from_bytes(data[:-9])
    with pytest.raises(nq.FormatError, match="magic"):
        Bqm.from_bytes(b"DIMODBQM" + data[8:])


# ---- SPEC §5: bad input is rejected with a clear error and changes nothing ----


@pytest.fixture
def model() -> Bqm:
    bqm = Bqm("SPIN", 3)
    bqm.add_linear_from_array([1.0, -1.0, 0.5])
    bqm.add_quadratic(0, 1, 2.0)
    bqm.offset = 0.25
    return bqm


@pytest.mark.parametrize(
    "call,exc,match",
    [
        (lambda b: b.add_linear(0, float("nan")), nq.NonFiniteError, "`bias`"),
        (lambda b: b.add_quadratic(0, 2, float("inf")), nq.NonFiniteError, "`bias`"),
        (lambda b: setattr(b, "offset", float("-inf")), nq.NonFiniteError, "`offset`"),
        (lambda b: b.add_linear_from_array([0.0, np.nan, 0.0]), nq.NonFiniteError, "element 1"),
        (lambda b: b.add_quadratic_from_arrays([0, 1], [2, 2], [1.0, np.nan]), nq.NonFiniteError, "`biases`"),
        (lambda b: b.add_linear(3, 1.0), nq.IndexOutOfRangeError, "index 3"),
        (lambda b: b.add_linear(-1, 1.0), nq.IndexOutOfRangeError, "index -1"),
        (lambda b: b.add_quadratic(0, 2**40, 1.0), nq.IndexOutOfRangeError, "`v`"),
        (lambda b: b.get_quadratic(0, 2), nq.InvalidArgumentError, "no interaction"),
        (lambda b: b.add_quadratic_from_arrays([0, 1], [1, 5], [1.0, 1.0]), nq.IndexOutOfRangeError, "`cols`"),
        (lambda b: b.add_quadratic_from_arrays([0], [1, 2], [1.0]), nq.DimensionMismatchError, "`cols`"),
        (lambda b: b.add_linear_from_array([1.0]), nq.DimensionMismatchError, "`biases`"),
        (lambda b: b.energies(np.ones((2, 4), dtype=np.int8)), nq.DimensionMismatchError, "`samples`"),
        (lambda b: b.energy([1, 1]), nq.DimensionMismatchError, "`samples`"),
        (lambda b: b.energies([[1, 0, 1]]), nq.InvalidArgumentError, "variable 1 has value 0"),
        (lambda b: b.energies([[1, 1, 1], [1, 1, 300]]), nq.InvalidArgumentError, "sample 1, variable 2"),
        (lambda b: b.energies(np.ones((2, 3))), nq.InvalidArgumentError, "dtype"),
        (lambda b: b.energies(np.ones((2, 3, 1), dtype=np.int8)), nq.InvalidArgumentError, "shape"),
        (lambda b: b.change_vartype("ISING"), nq.InvalidArgumentError, "vartype"),
        (lambda b: b.add_variables(2**40), nq.LimitExceededError, "num_variables"),
        (lambda b: b.set_quadratic(1, 1, 1.0), nq.InvalidArgumentError, "distinct"),
    ],
)
def test_bad_input_is_rejected_and_changes_nothing(model: Bqm, call, exc, match: str) -> None:  # type: ignore[no-untyped-def]
    before = model.to_bytes()
    with pytest.raises(exc, match=match) as info:
        call(model)
    assert isinstance(info.value, nq.NeuroquantError)
    assert isinstance(info.value, ValueError)
    assert model.to_bytes() == before


def test_constructor_rejects_bad_vartypes() -> None:
    with pytest.raises(nq.InvalidArgumentError, match="vartype"):
        Bqm("QUBIT")
    with pytest.raises(nq.InvalidArgumentError, match="vartype"):
        Bqm(3)


def test_version_matches_the_workspace() -> None:
    root = pathlib.Path(__file__).resolve().parents[2]
    cargo = tomllib.loads((root / "Cargo.toml").read_text())
    assert nq.__version__ == cargo["workspace"]["package"]["version"]


def test_exception_hierarchy() -> None:
    assert issubclass(nq.IndexOutOfRangeError, IndexError)
    assert issubclass(nq.IndexOutOfRangeError, nq.InvalidArgumentError)
    assert issubclass(nq.FormatError, nq.NeuroquantError)
    assert nq.NeuroquantError.__module__ == "neuroquant"
