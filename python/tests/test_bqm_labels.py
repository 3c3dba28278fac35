"""Single-label mutators are all or nothing like the bulk ones: a call that fails leaves no new
label behind, and messages name labels and the caller's values."""

from __future__ import annotations

import dimod
import pytest

import neuroquant as nq
from neuroquant.qubo import Bqm


def _state(b: Bqm) -> tuple:
    return (list(b.variables), dict(b.linear), dict(b.quadratic), b.offset)


def test_set_quadratic_on_one_label_adds_nothing_and_names_it() -> None:
    b = Bqm("SPIN")
    with pytest.raises(nq.InvalidArgumentError, match="label 'a' appears twice") as info:
        b.set_quadratic("a", "a", 1.0)
    assert "(0, 0)" not in str(info.value)
    assert _state(b) == ([], {}, {}, 0.0)


def test_overflowing_self_loop_leaves_no_new_variable() -> None:
    b = Bqm("SPIN")
    b.add_offset(1.7e308)
    before = _state(b)
    # add_quadratic(u, u) raises before anything is added, as dimod's does.
    theirs = dimod.BQM("SPIN")
    with pytest.raises(ValueError, match="'n' cannot have an interaction with itself"):
        theirs.add_quadratic("n", "n", 1.0)
    with pytest.raises(nq.InvalidArgumentError, match="'n' cannot have an interaction with itself"):
        b.add_quadratic("n", "n", 1.0)
    assert _state(b) == before and list(theirs.variables) == []
    # The bulk builders fold self-loops (a SPIN one goes to the offset, which overflows here).
    with pytest.raises(nq.NonFiniteError):
        b.add_quadratic_from({("n", "n"): 1.7e308})
    assert _state(b) == before


def test_failed_linear_updates_leave_no_new_variable() -> None:
    b = Bqm({"a": 1.0}, {}, 0.0, "BINARY")
    b.set_linear("a", 1.7e308)
    before = _state(b)
    with pytest.raises(nq.NonFiniteError):
        b.add_linear("a", 1.7e308)
    assert _state(b) == before
    # A new variable with a bad bias is rejected before it is added.
    with pytest.raises(nq.NonFiniteError):
        b.add_variable("z", float("inf"))
    assert _state(b) == before


def test_fix_variable_reports_the_callers_value() -> None:
    b = Bqm({"a": 1.0, "b": 2.0}, {("a", "b"): 1.0}, 0.0, "SPIN")
    with pytest.raises(nq.InvalidArgumentError, match="300") as info:
        b.fix_variable("a", 300)
    assert "127" not in str(info.value)
    assert list(b.variables) == ["a", "b"]
