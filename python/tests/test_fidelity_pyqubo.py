"""Side by side with PyQUBO 1.5.0: the same expression code on pyqubo and on neuroquant.qubo gives
the same model (issue 10, expression items)."""

from __future__ import annotations

from typing import Any

import dimod
import pyqubo
import pytest

import neuroquant as nq
from neuroquant import qubo as nqq


def norm(q: dict[tuple[Any, Any], float]) -> dict[frozenset[Any], float]:
    out: dict[frozenset[Any], float] = {}
    for (u, v), b in q.items():
        key = frozenset({u, v})
        out[key] = out.get(key, 0.0) + b
    return {k: b for k, b in out.items() if b != 0.0}


def same_qubo(ours: tuple[dict, float], theirs: tuple[dict, float]) -> None:
    assert norm(ours[0]) == pytest.approx(norm(theirs[0]))
    assert ours[1] == pytest.approx(theirs[1])


def test_feed_dict_ignores_names_the_model_does_not_use() -> None:
    models = [(m.Placeholder("A") * m.Binary("x") + m.Binary("y") + 1.0).compile() for m in (pyqubo, nqq)]
    feed = {"A": 2.0, "B": 3.0, "unused": -1.0}
    same_qubo(models[1].to_qubo(feed_dict=feed), models[0].to_qubo(feed_dict=feed))
    theirs, ours = models[0].to_bqm(feed_dict=feed), models[1].to_bqm(feed_dict=feed)
    assert dict(ours.linear) == dict(theirs.linear) and ours.offset == theirs.offset
    # A placeholder without a value is an error in both, naming it.
    with pytest.raises(ValueError, match="A"):
        models[0].to_bqm(feed_dict={"B": 1.0})
    with pytest.raises(nq.InvalidArgumentError, match='placeholder "A" has no value'):
        models[1].to_bqm(feed_dict={"B": 1.0})
    assert isinstance(theirs, dimod.BQM)
