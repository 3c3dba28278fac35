"""Pickling and bytes of expressions, arrays, compiled models and decoded samples (SPEC §2, §4).

Oracles: reloaded expressions compile to energies equal to direct evaluation of the expression
(brute force over every assignment) and to PyQUBO's QUBO for the same formulation; reloaded
objects bind to the same ``Bqm`` as the originals; the same holds in a process started with
``spawn`` (nothing shared but the pickle). Custom condition callables travel as ordinary pickled
objects: a module-level function by reference, a lambda failing exactly as pickling it alone.
"""

from __future__ import annotations

import itertools
import json
import multiprocessing
import os
import pickle
import random
import struct
import time
from typing import Any

import pytest

import neuroquant as nq
from neuroquant.qubo import (
    Array,
    Binary,
    Condition,
    Constraint,
    DecodedSample,
    Expr,
    Model,
    Num,
    Placeholder,
    Spin,
    SubH,
)
from test_expr import ATOL, assert_same_dict, norm_qubo, pyqubo, random_expression, tsp

PROTOCOLS = range(pickle.HIGHEST_PROTOCOL + 1)


def at_most_one(value: float) -> bool:
    """A custom condition defined at module level: pickles by reference."""
    return value <= 1.0


def roundtrip(obj: Any, protocol: int = pickle.HIGHEST_PROTOCOL) -> Any:
    return pickle.loads(pickle.dumps(obj, protocol=protocol))


def header(data: bytes) -> dict[str, Any]:
    """The container's JSON header, read by the documented layout (ARCHITECTURE.md)."""
    assert data[:8] == b"NQMODEL\0"
    (hlen,) = struct.unpack("<I", data[12:16])
    return dict(json.loads(data[16 : 16 + hlen]))


def sample_expressions() -> list[Any]:
    x, s, a = Binary("x"), Spin("s"), Placeholder("A")
    return [
        x,
        s,
        Num(2.5),
        a,
        Constraint((x + s - 1) ** 2, label="c", condition=Condition.at_most(1.0, atol=0.5)),
        Constraint(x * s, label="eq", condition=Condition.equal(-1.0)),
        Constraint(x - 1, label="ge", condition=Condition.at_least(0.0, atol=1e-9)),
        Constraint(x + s, label="default"),
        SubH(2 * x * s, label="h"),
        x + 0,  # an Expr whose root is a variable: stays an Expr
        a * (x + s) ** 3 - 0.25 * x * s + 7,
        x * Binary("y") * Binary("z") + a * SubH(x + 1, "k"),
    ]


@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_every_expression_class_pickles_to_itself(protocol: int) -> None:
    feed = {"A": -1.5}
    for obj in sample_expressions():
        back = roundtrip(obj, protocol)
        assert type(back) is type(obj)
        assert repr(back) == repr(obj)
        for attr in ("label", "value"):
            if hasattr(obj, attr):
                assert getattr(back, attr) == getattr(obj, attr)
        if isinstance(obj, (Constraint, SubH)):
            assert repr(back.expr) == repr(obj.expr)
        if isinstance(obj, Constraint):
            assert repr(back.condition) == repr(obj.condition)
        model, again = obj.compile(), back.compile()
        f = {k: v for k, v in feed.items() if k in model.placeholders}
        assert again.variables == model.variables
        assert again.to_bqm(feed_dict=f) == model.to_bqm(feed_dict=f)


@pytest.mark.parametrize("seed", range(25))
def test_reloaded_random_expressions_equal_direct_evaluation(seed: int) -> None:
    rng = random.Random(seed)
    expr, f = random_expression(rng, 4)
    if not isinstance(expr, Expr):
        pytest.skip("the expression folded to a plain number")
    for back in (roundtrip(expr), Expr.from_bytes(expr.to_bytes())):
        assert repr(back) == repr(expr)
        model = back.compile(strength=1e6)
        feed = {p: float(rng.randint(-2, 2)) for p in model.placeholders}
        assert model.to_bqm(feed_dict=feed) == expr.compile(strength=1e6).to_bqm(feed_dict=feed)
        names = [v for v in model.variables if " * " not in v]
        for values in itertools.product([0, 1], repeat=len(names)):
            x = dict(zip(names, values))
            spins = {k: (2 * v - 1 if k.startswith("s") else v) for k, v in x.items()}
            assert model.energy(x, "BINARY", feed) == pytest.approx(f(spins, feed), abs=1e-6)


def test_pickled_model_matches_pyqubo_and_the_original() -> None:
    pq = pyqubo()
    dist = [[float((3 * i + 5 * j) % 7 + 1) for j in range(4)] for i in range(4)]
    import numpy as np

    ours = tsp(nq.qubo, 4, np.array(dist)).compile(strength=7.0)
    theirs = tsp(pq, 4, np.array(dist)).compile(strength=7.0)
    back = roundtrip(ours)
    assert type(back) is Model
    assert (back.variables, back.placeholders, back.strength) == (ours.variables, ours.placeholders, 7.0)
    for a in (0.5, 3.0):
        assert back.to_bqm(feed_dict={"A": a}) == ours.to_bqm(feed_dict={"A": a})
        q, off = back.to_qubo(feed_dict={"A": a})
        pq_q, pq_off = theirs.to_qubo(feed_dict={"A": a})
        assert_same_dict(norm_qubo(q), norm_qubo(pq_q))
        assert off == pytest.approx(pq_off, abs=ATOL)
    # Pickling is deterministic: the same model gives the same bytes.
    assert pickle.dumps(back) == pickle.dumps(ours)


def test_shared_subexpressions_pickle_once() -> None:
    # 2**40 leaves in 41 nodes: an exponential writer or reader would never finish.
    e = Binary("x")
    for _ in range(40):
        e = e + e
    data = pickle.dumps(e)
    assert len(data) < 4096
    assert header(e.to_bytes())["meta"]["num_nodes"] == 41
    t = time.perf_counter()
    back = pickle.loads(data)
    assert time.perf_counter() - t < 2.0  # generous: the machine is shared
    assert back.compile().to_qubo() == ({("x", "x"): 2.0**40}, 0.0)
    # PyQUBO style: one one-hot penalty referenced by 100 constraints is stored once.
    x = Array.create("x", 200, "BINARY")
    one_hot = (x.sum() - 1) ** 2
    h = sum(Placeholder(f"A{k}") * Constraint(one_hot, label=f"c{k}") for k in range(100))
    assert isinstance(h, Expr)
    nodes = header(h.to_bytes())["meta"]["num_nodes"]
    assert nodes < 200 + 4 + 4 * 100 + 100, nodes


def test_deep_chains_pickle_without_recursion() -> None:
    # Horner chain p_{k+1} = p_k * x + 1, 100 000 deep: p_N = (N + 1) x + 1.
    x = Binary("x")
    p = x + 1
    for _ in range(100_000):
        p = p * x + 1
    back = roundtrip(p)
    assert back.compile().to_qubo() == ({("x", "x"): 100_001.0}, 1.0)


def test_arrays_and_views_pickle_with_their_elements() -> None:
    a = Array.create("q", (2, 3), "SPIN")
    for arr in (a, a[1], a[:, 1:], a.T, Array([[Binary("u"), 2.0], [Spin("v"), Binary("u") * 3]])):
        back = roundtrip(arr)
        assert type(back) is Array
        assert back.shape == arr.shape and repr(back) == repr(arr)
        flat = lambda t: [t[i] for i in itertools.product(*map(range, t.shape))]  # noqa: E731
        assert [type(e) for e in flat(back)] == [type(e) for e in flat(arr)]
        assert back.sum().compile().to_bqm() == arr.sum().compile().to_bqm()
    # Elements keep their class and labels, so PyQUBO-style code works on the reloaded array.
    back = roundtrip(a)
    assert isinstance(back[1, 2], Spin) and back[1, 2].label == "q[1][2]"


def test_decoded_samples_pickle_with_their_model_once() -> None:
    model = tsp(nq.qubo, 4, __import__("numpy").ones((4, 4))).compile()
    rng = random.Random(2)
    names = [v for v in model.variables if " * " not in v]
    decoded = [
        model.decode_sample({v: rng.randint(0, 1) for v in names}, "BINARY", feed_dict={"A": 2.0})
        for _ in range(3)
    ]
    for d, back in zip(decoded, roundtrip(decoded)):
        assert type(back) is DecodedSample
        assert back.sample == d.sample and back.energy == d.energy and back.vartype == d.vartype
        assert back.constraints() == d.constraints() and back.subh == d.subh
        assert back.array("c", (1, 2)) == d.array("c", (1, 2))
        assert repr(back) == repr(d)
    # The model travels once for the whole list, not once per sample.
    one, three = len(pickle.dumps(decoded[:1])), len(pickle.dumps(decoded))
    assert three - one < len(pickle.dumps(model)) / 2


def test_custom_conditions_travel_as_pickled_callables() -> None:
    x, y = Binary("x"), Binary("y")
    c = Constraint(x + y, label="mine", condition=at_most_one)
    h = 2 * x + Placeholder("P") * c
    for obj in (c, h, h.compile()):
        back = roundtrip(obj)
        assert type(back) is type(obj)
    back = roundtrip(c)
    assert back.condition is at_most_one
    model = roundtrip(h.compile())
    for sx, sy in itertools.product([0, 1], repeat=2):
        d = model.decode_sample({"x": sx, "y": sy}, "BINARY", feed_dict={"P": 1.0})
        assert d.constraints() == {"mine": (sx + sy <= 1, float(sx + sy))}
    # The portable bytes cannot hold a callable: the error names the constraint.
    with pytest.raises(nq.InvalidArgumentError, match="'mine'|\"mine\""):
        h.to_bytes()
    data = h.__reduce__()[1][0]
    with pytest.raises(nq.InvalidArgumentError, match="\"mine\""):
        Expr.from_bytes(data)


def test_a_lambda_condition_fails_as_pickle_fails_for_the_lambda() -> None:
    lam = lambda v: v <= 1  # noqa: E731
    try:
        pickle.dumps(lam)
    except Exception as e:  # noqa: BLE001 - whatever pickle raises for a lambda
        expected = e
    else:
        pytest.fail("a lambda pickled")
    c = Constraint(Binary("x"), label="lam", condition=lam)
    for obj in (c, c + Spin("s"), (c * 2).compile()):
        with pytest.raises(type(expected)) as info:
            pickle.dumps(obj)
        assert str(info.value) == str(expected)


def test_conditions_pickle() -> None:
    for c in (Condition.equal(1.0, atol=0.5), Condition.at_most(2.0), Condition.at_least(-1.0, atol=1e-9)):
        back = roundtrip(c)
        assert type(back) is Condition and repr(back) == repr(c)
        assert [back(v) for v in (-2.0, 1.0, 2.5)] == [c(v) for v in (-2.0, 1.0, 2.5)]


def test_bytes_api_and_bad_input() -> None:
    x, s = Binary("x"), Spin("s")
    # from_bytes gives the most specific class of the root.
    assert type(Expr.from_bytes(x.to_bytes())) is Binary
    assert type(Expr.from_bytes((x + 0).to_bytes())) is Binary
    assert type(Expr.from_bytes(SubH(x, "h").to_bytes())) is SubH
    assert type(Expr.from_bytes((x + s).to_bytes())) is Expr
    data = (x * s + 1).to_bytes()
    meta = header(data)
    assert meta["kind"] == "expr" and meta["kind_version"] == 1 and meta["meta"]["num_nodes"] == 5
    for cut in (0, 15, 16, len(data) // 2, len(data) - 1):
        with pytest.raises(nq.FormatError):
            Expr.from_bytes(data[:cut])
    with pytest.raises(nq.FormatError, match="expected a `expr` model"):
        Expr.from_bytes(nq.qubo.Bqm(2, "SPIN").to_bytes())
    # node_kind[0] (the first byte of the data section) set to an unknown kind: the error says where.
    (hlen,) = struct.unpack("<I", data[12:16])
    corrupt = bytearray(data)
    corrupt[16 + hlen] = 0x7F
    with pytest.raises(nq.FormatError, match=f"byte offset {16 + hlen}: node 0 has unknown kind 127"):
        Expr.from_bytes(bytes(corrupt))
    with pytest.raises(TypeError):
        Expr.from_bytes("not bytes")  # type: ignore[arg-type]
    # Restoring state that does not fit is refused with the argument named.
    with pytest.raises(nq.InvalidArgumentError, match="`data`"):
        Binary._from_pickle(data, [])  # type: ignore[attr-defined]
    with pytest.raises(nq.InvalidArgumentError, match="`conditions`"):
        Expr._from_pickle(data, [3])  # type: ignore[attr-defined]
    with pytest.raises(nq.DimensionMismatchError, match="`items`"):
        Array._from_pickle([x], (2,))  # type: ignore[attr-defined]
    model = (x * s).compile()
    with pytest.raises(nq.DimensionMismatchError, match="`values`"):
        DecodedSample._from_pickle(model, b"\x00", "BINARY", 0.0, [], [])  # type: ignore[attr-defined]
    with pytest.raises(nq.InvalidArgumentError, match="`values`"):
        DecodedSample._from_pickle(model, b"\x00\x02", "BINARY", 0.0, [], [])  # type: ignore[attr-defined]


def _in_child(items: tuple[Any, ...]) -> tuple[Any, ...]:
    """Runs in a spawned process: uses the unpickled objects and sends them back."""
    expr, model, array, decoded, custom = items
    feed = {"A": 2.0}
    d = custom.decode_sample({"x": 1, "y": 1}, "BINARY")
    return (
        expr.compile().to_qubo(feed_dict=feed),
        model.to_qubo(feed_dict=feed),
        array.sum().compile().to_qubo(),
        [(e.energy, e.constraints()) for e in decoded],
        d.constraints(),
        items,
        os.getpid(),
    )


def test_objects_cross_a_process_boundary() -> None:
    x, y = Binary("x"), Binary("y")
    expr = tsp(nq.qubo, 3, __import__("numpy").arange(9.0).reshape(3, 3))
    model = expr.compile()
    array = Array.create("a", (2, 2), "SPIN")
    decoded = [model.decode_sample({v: 1 for v in model.variables if " * " not in v}, "BINARY", {"A": 1.0})]
    custom = (x + Constraint(x + y, label="mine", condition=at_most_one)).compile()
    items = (expr, model, array, decoded, custom)
    with multiprocessing.get_context("spawn").Pool(1) as pool:
        got = pool.apply_async(_in_child, (items,)).get(timeout=300)
    feed = {"A": 2.0}
    assert got[0] == expr.compile().to_qubo(feed_dict=feed)
    assert got[1] == model.to_qubo(feed_dict=feed)
    assert got[2] == array.sum().compile().to_qubo()
    assert got[3] == [(e.energy, e.constraints()) for e in decoded]
    assert got[4] == {"mine": (False, 2.0)}
    assert got[6] != os.getpid()
    # And back again: what the child pickled is what we sent.
    e2, m2, a2, d2, c2 = got[5]
    assert m2.to_bqm(feed_dict=feed) == model.to_bqm(feed_dict=feed)
    assert repr(e2) == repr(expr) and repr(a2) == repr(array)
    assert d2[0].sample == decoded[0].sample
    assert c2.decode_sample({"x": 0, "y": 1}, "BINARY").constraints() == {"mine": (True, 1.0)}
