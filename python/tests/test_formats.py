"""Model files against dimod (the oracle): our files read by dimod and dimod's files read by us,
with labels, energies equal, DIMODBQM byte for byte; qbsolv and edge lists against independent
parsers written here; SPEC §5 bad input (clear class and message, nothing changed or written)."""

import json
import pathlib
import pickle

import dimod
import dimod.serialization.coo
import numpy as np
import pytest

import neuroquant as nq
from neuroquant.qubo import Bqm, max_cut, read_edge_list

SHARED = pathlib.Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "qubo"

LABEL_SETS = {
    "range": None,
    "strings": ["a", "b", "c", "d", "e", "f"],
    "ints": [7, 3, -2, 100, 0, 5],
    "tuples": [("x", 0), ("x", 1), ("y", (0, "z")), (), ("w", 2.5), ("x", -1)],
    "mixed": ["a", 1, 2.5, ("t", 1), "b", -3],
}


def model_pair(vartype: str, labels: list | None, seed: int = 1) -> tuple[Bqm, dimod.BinaryQuadraticModel]:
    """The same random model in both libraries, labels in the same order."""
    rng = np.random.default_rng(seed)
    n = 6
    linear = rng.uniform(-3, 3, n)
    rows, cols = np.triu_indices(n, 1)
    keep = rng.random(len(rows)) < 0.6
    rows, cols = rows[keep], cols[keep]
    biases = rng.uniform(-3, 3, len(rows))
    ours = Bqm.from_numpy_vectors(linear, (rows, cols, biases), 0.75, vartype, variable_order=labels)
    theirs = dimod.BQM.from_numpy_vectors(linear, (rows, cols, biases), 0.75, vartype, variable_order=labels)
    return ours, theirs


def assert_same(ours: Bqm, theirs: dimod.BinaryQuadraticModel, offset: bool = True, order: bool = True) -> None:
    """Same model; `order=False` when only the variable order may differ (dimod's JSON sorts
    sortable labels)."""
    assert ours.vartype is theirs.vartype
    if order:
        assert ours.variables == list(theirs.variables)
    else:
        assert sorted(map(repr, ours.variables)) == sorted(map(repr, theirs.variables))
    if offset:
        assert ours.offset == theirs.offset
        assert ours.linear == dict(theirs.linear)
        assert {frozenset(k): v for k, v in ours.quadratic.items()} == {
            frozenset(k): v for k, v in theirs.quadratic.items()
        }
    rng = np.random.default_rng(0)
    bits = rng.integers(0, 2, size=(32, len(ours)), dtype=np.int8)
    samples = bits if ours.vartype.name == "BINARY" else 2 * bits - 1
    want = theirs.energies((samples, ours.variables))
    got = ours.energies((samples, ours.variables))
    if not offset:  # COO has no offset, and prints biases with %f
        np.testing.assert_allclose(got - ours.offset + theirs.offset, want, rtol=0, atol=1e-5)
    else:
        np.testing.assert_allclose(got, want, rtol=0, atol=1e-12)  # summation order differs


@pytest.mark.parametrize("vartype", ["SPIN", "BINARY"])
@pytest.mark.parametrize("labels", list(LABEL_SETS), ids=list(LABEL_SETS))
def test_dimodbqm_is_byte_identical_and_round_trips(vartype: str, labels: str) -> None:
    ours, theirs = model_pair(vartype, LABEL_SETS[labels])
    data = ours.to_buffer("dimodbqm")
    assert data == theirs.to_file().read()
    assert_same(ours, dimod.BQM.from_file(data))
    assert_same(Bqm.from_buffer(theirs.to_file().read(), "DIMODBQM"), theirs)


@pytest.mark.parametrize("vartype", ["SPIN", "BINARY"])
@pytest.mark.parametrize("labels", list(LABEL_SETS), ids=list(LABEL_SETS))
def test_dimod_json_round_trips(vartype: str, labels: str) -> None:
    ours, theirs = model_pair(vartype, LABEL_SETS[labels])
    text = ours.to_buffer("dimod_json")
    assert json.loads(text) == json.loads(json.dumps(theirs.to_serializable()))
    theirs_text = json.dumps(theirs.to_serializable()).encode()
    assert_same(Bqm.from_buffer(theirs_text, "dimod-json"), theirs, order=False)
    if labels != "tuples":  # dimod's from_serializable cannot read its own tuple labels back
        assert_same(ours, dimod.BQM.from_serializable(json.loads(text)), order=False)


@pytest.mark.parametrize("vartype", ["SPIN", "BINARY"])
def test_coo_round_trips(vartype: str) -> None:
    ours, theirs = model_pair(vartype, None)
    text = ours.to_buffer("coo").decode()
    # COO has no offset, and dimod numbers variables in order of appearance (so do we).
    assert_same(ours, dimod.serialization.coo.loads(text), offset=False, order=False)
    dumped = dimod.serialization.coo.dumps(theirs, vartype_header=True)
    read = Bqm.from_buffer(dumped.encode(), "coo")
    assert read.variables == list(dimod.serialization.coo.loads(dumped).variables)
    assert_same(read, theirs, offset=False, order=False)
    headerless = dimod.serialization.coo.dumps(theirs).encode()
    assert_same(Bqm.from_buffer(headerless, "coo", vartype=vartype), theirs, offset=False, order=False)
    with pytest.raises(nq.InvalidArgumentError, match="vartype"):
        Bqm.from_buffer(headerless, "coo")


def parse_qbsolv(text: str) -> tuple[int, dict[tuple[int, int], float]]:
    """An independent qbsolv reader: `p qubo 0 maxNodes nNodes nLinks`, then `i j v` lines."""
    n, q = 0, {}
    for line in text.splitlines():
        words = line.split()
        if not words or words[0].startswith("c"):
            continue
        if words[0] == "p":
            n = int(words[3])
            continue
        i, j, v = int(words[0]), int(words[1]), float(words[2])
        key = (min(i, j), max(i, j))
        q[key] = q.get(key, 0.0) + v
    return n, q


def qubo_energies(n: int, q: dict[tuple[int, int], float], x: np.ndarray) -> np.ndarray:
    m = np.zeros((n, n))
    for (i, j), v in q.items():
        m[i, j] += v
    return np.einsum("si,ij,sj->s", x.astype(float), m, x.astype(float))


def test_qbsolv_against_an_independent_parser(tmp_path: pathlib.Path) -> None:
    ours, _ = model_pair("BINARY", None)
    text = ours.to_buffer("qbsolv").decode()
    n, q = parse_qbsolv(text)
    x = np.random.default_rng(2).integers(0, 2, size=(40, n), dtype=np.int8)
    np.testing.assert_allclose(qubo_energies(n, q, x) + ours.offset, ours.energies(x), rtol=0, atol=1e-12)
    # A SPIN model is written as its BINARY equivalent.
    spin = ours.change_vartype("SPIN", inplace=False)
    back = Bqm.from_buffer(spin.to_buffer("qbsolv"), "qbsolv")
    assert back.vartype.name == "BINARY"
    np.testing.assert_allclose(back.energies(x), ours.energies(x), rtol=0, atol=1e-9)
    path = tmp_path / "model.qubo"
    ours.to_file(path)
    assert Bqm.from_file(path) == ours


def test_beasley_file_matches_an_independent_parse() -> None:
    path = SHARED / "beasley" / "bqp50_1.qubo"
    if not path.exists():
        pytest.skip(f"{path} is absent (../shared/data is not checked out here)")
    bqm = Bqm.from_file(str(path))
    n, q = parse_qbsolv(path.read_text())
    assert (bqm.vartype.name, bqm.num_variables) == ("BINARY", n)
    assert bqm.num_interactions == sum(1 for i, j in q if i != j)
    x = np.random.default_rng(3).integers(0, 2, size=(200, n), dtype=np.int8)
    np.testing.assert_allclose(bqm.energies(x), qubo_energies(n, q, x), rtol=1e-12, atol=1e-9)
    # dimod reads our DIMODBQM file of it to the same energies.
    theirs = dimod.BQM.from_file(bqm.to_buffer("dimodbqm"))
    np.testing.assert_allclose(theirs.energies((x, range(n))), bqm.energies(x), rtol=0, atol=1e-9)


@pytest.mark.parametrize("suffix,format", [(".bqm", "dimodbqm"), (".json", "dimod_json"), (".nq", "neuroquant"), (".COO", "coo"), (".qubo", "qbsolv")])
def test_files_infer_the_format_from_the_extension(tmp_path: pathlib.Path, suffix: str, format: str) -> None:
    labels = LABEL_SETS["tuples"] if format in ("dimodbqm", "dimod_json") else None
    ours, _ = model_pair("BINARY", labels)
    path = tmp_path / f"model{suffix}"
    ours.to_file(path)
    assert path.read_bytes() == ours.to_buffer(format)
    back = Bqm.from_file(path)
    assert back == Bqm.from_file(str(path), format=format)
    assert set(back.variables) == set(ours.variables)  # dimod's JSON sorts the labels
    x = np.random.default_rng(4).integers(0, 2, size=(16, len(ours)), dtype=np.int8)
    by_label = [dict(zip(ours.variables, row.tolist())) for row in x]
    shift, tol = (ours.offset, 1e-5) if format == "coo" else (0.0, 1e-12)  # COO: no offset, %f
    np.testing.assert_allclose(back.energies(by_label) + shift, ours.energies(x), rtol=0, atol=tol)


def test_label_conversion_follows_dimod() -> None:
    """Integral and real numbers become ints and floats, bools ints, tuples arrays (read back as
    tuples), as dimod's serialize_variable does."""
    bqm = Bqm("BINARY")
    for label in (np.int64(5), np.float64(2.5), ("a", (np.int32(1), True)), "s"):
        bqm.add_variable(label, 1.0)
    data = bqm.to_buffer("dimodbqm")
    theirs = dimod.BQM.from_file(data)
    assert list(theirs.variables) == [5, 2.5, ("a", (1, 1)), "s"]
    back = Bqm.from_buffer(data, "dimodbqm")
    assert back.variables == [5, 2.5, ("a", (1, 1)), "s"]
    assert type(back.variables[0]) is int and type(back.variables[1]) is float


def test_float_index_labels_count_as_indices() -> None:
    bqm = Bqm("SPIN")
    bqm.add_variable(0.0)
    bqm.add_variable(1.0)
    assert Bqm.from_buffer(bqm.to_buffer("qbsolv"), "qbsolv").num_variables == 2


def parse_edge_list(text: str) -> tuple[int, list[tuple[int, int, float]]]:
    lines = [l.split() for l in text.splitlines() if l.strip()]
    n = int(lines[0][0])
    return n, [(int(i) - 1, int(j) - 1, float(w)) for i, j, w in lines[1:]]


def test_edge_lists_read_from_paths_and_bytes(tmp_path: pathlib.Path) -> None:
    text = "4 4\n1 2 1\n2 3 -1.5\n\n3 4 2\n4 1 1\n"
    n, edges = parse_edge_list(text)
    path = tmp_path / "g.txt"
    path.write_text(text)
    for source in (str(path), path, text.encode(), bytearray(text.encode())):
        num_nodes, (rows, cols, weights) = read_edge_list(source)
        assert num_nodes == n
        assert list(zip(rows.tolist(), cols.tolist(), weights.tolist())) == edges
        assert rows.dtype == np.int64 and weights.dtype == np.float64
    mc = max_cut(read_edge_list(path))
    assert mc.num_nodes == 4 and mc.bqm.num_interactions == 4
    with pytest.raises(nq.FormatError, match="line 2"):
        read_edge_list(b"3 1\n1 1 1\n")  # self-loop
    with pytest.raises(nq.FormatError, match="out of range"):
        read_edge_list(b"3 1\n1 4 1\n")
    with pytest.raises(nq.FormatError, match="declares 2 edges"):
        read_edge_list(b"3 2\n1 2 1\n")
    with pytest.raises(nq.IoError):
        read_edge_list(tmp_path / "missing.txt")
    with pytest.raises(nq.InvalidArgumentError, match="`source`"):
        read_edge_list(3.5)  # type: ignore[arg-type]


def test_gset_g1_against_an_independent_parse() -> None:
    path = SHARED / "gset" / "G1.txt"
    if not path.exists():
        pytest.skip(f"{path} is absent (../shared/data is not checked out here)")
    n, edges = parse_edge_list(path.read_text())
    num_nodes, (rows, cols, weights) = read_edge_list(path)
    assert num_nodes == n == 800 and len(rows) == len(edges) == 19176
    assert list(zip(rows.tolist(), cols.tolist(), weights.tolist())) == edges
    mc = max_cut(num_nodes, (rows, cols, weights))
    side = np.random.default_rng(5).integers(0, 2, size=n, dtype=np.int8)
    cut = sum(w for i, j, w in edges if side[i] != side[j])
    assert mc.decode(side).cut_value == cut == -mc.bqm.energy(side)


# ---- SPEC §5: bad input names the argument and changes nothing ----


@pytest.fixture
def labelled() -> Bqm:
    return Bqm({"a": 1.0, ("t", 1): -2.0, 3: 0.5}, {("a", 3): 1.5}, 0.25, "SPIN")


@pytest.mark.parametrize(
    "call,exc,match",
    [
        (lambda b, p: b.to_file(p / "m.txt"), nq.InvalidArgumentError, r"extension.*\.bqm"),
        (lambda b, p: b.to_file(p / "noext"), nq.InvalidArgumentError, "`format`"),
        (lambda b, p: b.to_file(p / "m.bqm", format="mps"), nq.InvalidArgumentError, "not a format"),
        (lambda b, p: b.to_file(p / "m.qubo"), nq.InvalidArgumentError, "relabel_variables_as_integers"),
        (lambda b, p: b.to_file(p / "m.coo"), nq.InvalidArgumentError, 'non-negative integer labels only, got label "a"'),
        (lambda b, p: b.to_file(p / "m.nq"), nq.InvalidArgumentError, "index labels"),
        (lambda b, p: b.to_buffer("qbsolv"), nq.InvalidArgumentError, "qbsolv format holds index labels"),
        (lambda b, p: b.to_file(p / "missing" / "m.bqm"), nq.IoError, "missing"),
    ],
)
def test_bad_writes_change_nothing(labelled: Bqm, tmp_path: pathlib.Path, call, exc, match: str) -> None:  # type: ignore[no-untyped-def]
    before = pickle.dumps(labelled)
    with pytest.raises(exc, match=match) as info:
        call(labelled, tmp_path)
    assert isinstance(info.value, nq.NeuroquantError)
    assert pickle.dumps(labelled) == before
    assert list(tmp_path.iterdir()) == []  # nothing written


@pytest.mark.parametrize("label", [frozenset({1, 2}), 1 + 2j, float("nan"), 2**70, ("ok", b"bytes")])
def test_labels_without_a_file_form_are_rejected(label: object, tmp_path: pathlib.Path) -> None:
    bqm = Bqm("BINARY")
    bqm.add_variable("fine")
    bqm.add_variable(label)
    before = pickle.dumps(bqm)
    for format in ("dimodbqm", "dimod_json"):
        with pytest.raises(nq.InvalidArgumentError, match="cannot be stored") as info:
            bqm.to_buffer(format)
        assert repr(label) in str(info.value)
    with pytest.raises(nq.InvalidArgumentError):
        bqm.to_file(tmp_path / "m.bqm")
    assert pickle.dumps(bqm) == before and list(tmp_path.iterdir()) == []


def test_bad_reads_raise_clear_errors(tmp_path: pathlib.Path) -> None:
    ours, theirs = model_pair("SPIN", LABEL_SETS["mixed"])
    data = ours.to_buffer("dimodbqm")
    with pytest.raises(nq.FormatError, match="magic"):
        Bqm.from_buffer(b"NOTDIMOD" + data[8:], "dimodbqm")
    with pytest.raises(nq.FormatError):
        Bqm.from_buffer(data[:-20], "dimodbqm")
    with pytest.raises(nq.FormatError, match="version"):
        Bqm.from_buffer(data[:8] + bytes([9]) + data[9:], "dimodbqm")
    with pytest.raises(nq.InvalidArgumentError, match="BINARY"):
        Bqm.from_buffer(data, "dimodbqm", vartype="BINARY")
    with pytest.raises(nq.InvalidArgumentError, match="vartype"):
        Bqm.from_buffer(data, "dimodbqm", vartype="QUBIT")
    with pytest.raises(nq.FormatError, match="line 2"):
        Bqm.from_buffer(b"p qubo 0 2 1 0\n0 0 nan\n", "qbsolv")
    with pytest.raises(nq.FormatError):
        Bqm.from_buffer(b"{not json", "dimod_json")
    with pytest.raises(nq.InvalidArgumentError, match="`data`"):
        Bqm.from_buffer("text", "coo")  # type: ignore[arg-type]
    with pytest.raises(nq.InvalidArgumentError, match="not a format"):
        Bqm.from_buffer(data, "pickle")
    missing = tmp_path / "missing.bqm"
    with pytest.raises(nq.IoError, match="missing.bqm") as info:
        Bqm.from_file(missing)
    assert isinstance(info.value, OSError) and isinstance(info.value, FileNotFoundError)
    # An extension that names no format: the first bytes decide, else the format must be named.
    (tmp_path / "m.unknown").write_bytes(data)
    assert Bqm.from_file(tmp_path / "m.unknown") == ours
    (tmp_path / "m.txt").write_bytes(b"hello")
    with pytest.raises(nq.InvalidArgumentError, match="extension or its first bytes"):
        Bqm.from_file(tmp_path / "m.txt")
    assert Bqm.from_file(tmp_path / "m.unknown", format="dimodbqm") == ours
