"""Side by side with dimod 0.12.23: model files as dimod reads and writes them (issue 10, file
items): COO integers are labels, `from_file` / `to_file` take paths, open files and bytes, the
format is sniffed when nothing names it, and a missing file is a FileNotFoundError."""

from __future__ import annotations

import io
import pathlib

import dimod
import numpy as np
import pytest
from dimod.serialization import coo

import neuroquant as nq
from neuroquant.qubo import Bqm


def same(theirs: dimod.BQM, ours: Bqm, offset: bool = True) -> None:
    assert list(ours.variables) == list(theirs.variables)
    assert dict(ours.linear) == dict(theirs.linear)
    assert {frozenset(k): v for k, v in ours.quadratic.items()} == {
        frozenset(k): v for k, v in theirs.quadratic.items()
    }
    assert ours.vartype is theirs.vartype
    if offset:
        assert ours.offset == theirs.offset


SPARSE = "# vartype=BINARY\n3 10 2.0\n99 99 1.5\n10 10 -1\n10 3 0.5\n"


def test_coo_with_sparse_integer_labels_reads_as_dimod() -> None:
    theirs = coo.loads(SPARSE)
    ours = Bqm.from_buffer(SPARSE.encode(), "coo")
    assert ours.num_variables == theirs.num_variables == 3  # not 100
    same(theirs, ours)
    # Written back as dimod writes it (sorted labels), and read again the same.
    assert ours.to_buffer("coo").decode() == coo.dumps(theirs, vartype_header=True) + "\n"
    same(coo.loads(ours.to_buffer("coo").decode()), Bqm.from_buffer(ours.to_buffer("coo"), "coo"))
    # Labels 0..n in another order keep dimod's order too.
    shuffled = "# vartype=SPIN\n2 2 1.0\n0 1 -1.0\n"
    same(coo.loads(shuffled), Bqm.from_buffer(shuffled.encode(), "coo"))


def test_coo_refuses_labels_dimod_cannot_write() -> None:
    ours = Bqm({"a": 1.0, 3: 2.0}, {}, 0.0, "SPIN")
    with pytest.raises(ValueError):
        coo.dumps(ours.to_dimod())
    with pytest.raises(nq.InvalidArgumentError, match='non-negative integer labels only, got label "a"'):
        ours.to_buffer("coo")


@pytest.mark.parametrize("vartype", ["SPIN", "BINARY"])
def test_to_file_and_from_file_take_what_dimod_takes(vartype: str, tmp_path: pathlib.Path) -> None:
    theirs = dimod.BQM({"a": 1.0, 2: -0.5, ("t", 1): 0.25}, {("a", 2): 1.5}, 0.75, vartype)
    ours = Bqm.from_dimod_bqm(theirs)
    # to_file() with no target returns a file object at its start, as dimod's does, with the
    # same bytes; each library reads the other's.
    mine, yours = ours.to_file(), theirs.to_file()
    assert mine.read() == yours.read()
    mine.seek(0)
    yours.seek(0)
    same(theirs, Bqm.from_file(yours))
    same(dimod.BQM.from_file(mine), ours)
    # bytes, bytearray and memoryview, as dimod's from_file accepts them.
    data = theirs.to_file().read()
    for form in (data, bytearray(data), memoryview(data)):
        same(dimod.BQM.from_file(form), Bqm.from_file(form))
    # An open binary file as target, and a path; no extension: the magic bytes decide.
    with open(tmp_path / "model", "wb") as f:
        assert ours.to_file(f) is None
    with open(tmp_path / "model", "rb") as f:
        same(dimod.BQM.from_file(f), Bqm.from_file(tmp_path / "model"))
    with open(tmp_path / "model", "rb") as f:
        same(theirs, Bqm.from_file(f))
    # The other formats are sniffed from their first bytes too.
    for fmt in ("dimod_json", "neuroquant", "qbsolv", "coo"):
        model = ours.relabel_variables_as_integers(inplace=False)[0] if fmt in ("neuroquant", "qbsolv", "coo") else ours
        blob = model.to_buffer(fmt)
        back = Bqm.from_file(io.BytesIO(blob))
        assert back == Bqm.from_buffer(blob, fmt)
    # ignore_labels writes 0..n, as dimod's keyword does.
    same(dimod.BQM.from_file(theirs.to_file(ignore_labels=True)), Bqm.from_file(ours.to_file(ignore_labels=True)))
    # Text files hold text formats.
    (tmp_path / "m.coo").write_text(coo.dumps(theirs.relabel_variables_as_integers(inplace=False)[0], True))
    with open(tmp_path / "m.coo") as text:
        assert Bqm.from_file(text).num_variables == 3


def test_a_missing_file_is_a_file_not_found_error(tmp_path: pathlib.Path) -> None:
    missing = tmp_path / "nothing.bqm"
    with pytest.raises(FileNotFoundError):
        with open(missing, "rb") as f:  # what a dimod user writes
            dimod.BQM.from_file(f)
    with pytest.raises(FileNotFoundError, match="nothing.bqm") as info:
        Bqm.from_file(missing)
    assert isinstance(info.value, nq.IoError) and isinstance(info.value, nq.FileNotFoundIoError)
    with pytest.raises(nq.InvalidArgumentError, match="`source`"):
        Bqm.from_file(3.5)  # type: ignore[arg-type]


def test_dense_spin_matrix_puts_the_diagonal_in_the_offset() -> None:
    m = np.array([[1.0, 2.0, 0.0], [0.5, 3.0, -1.0], [0.0, 0.0, -0.5]])
    for vartype in ("SPIN", "BINARY"):
        theirs, ours = dimod.BQM(m, vartype), Bqm(m, vartype)
        same(theirs, ours)
        samples = np.array([[1, -1, 1], [-1, -1, 1]] if vartype == "SPIN" else [[1, 0, 1], [0, 1, 1]], dtype=np.int8)
        np.testing.assert_allclose(ours.energies(samples), theirs.energies(samples))
        # E(x) = x^T M x, the quadratic form the matrix states.
        np.testing.assert_allclose(ours.energies(samples), [x @ m @ x for x in samples.astype(float)])
