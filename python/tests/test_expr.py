"""neuroquant.qubo expressions against PyQUBO 1.5.0 (the oracle: QUBO/Ising dicts, offsets,
decoded constraints) and against direct evaluation of the expression (brute force over every
assignment), plus SPEC §5 bad input."""

from __future__ import annotations

import itertools
import math
import os
import random
import sys
from typing import Any, Callable

import numpy as np
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

ATOL = 1e-9


def pyqubo() -> Any:
    return pytest.importorskip(
        "pyqubo", reason="pyqubo (the oracle) is not installed: pip install -r python/requirements-dev.txt"
    )


def canonical(label: str) -> frozenset[str]:
    """An auxiliary 'a * b * c' stands for the product of its base variables, whatever the
    nesting and order PyQUBO or we chose: compare by that set."""
    return frozenset(label.split(" * "))


def norm_qubo(q: dict[tuple[Any, Any], float]) -> dict[frozenset[frozenset[str]], float]:
    out: dict[frozenset[frozenset[str]], float] = {}
    for (u, v), b in q.items():
        key = frozenset({canonical(u), canonical(v)})
        out[key] = out.get(key, 0.0) + b
    return {k: b for k, b in out.items() if b != 0.0}


def assert_same_dict(ours: dict[Any, float], theirs: dict[Any, float]) -> None:
    assert ours.keys() == theirs.keys()
    for k, b in theirs.items():
        assert ours[k] == pytest.approx(b, rel=1e-12, abs=ATOL), k


def tsp(mod: Any, n: int, dist: np.ndarray) -> Any:
    """PyQUBO's TSP formulation; `mod` is pyqubo or neuroquant.qubo."""
    x = mod.Array.create("c", (n, n), "BINARY")
    time_const = 0.0
    for i in range(n):
        time_const += mod.Constraint((sum(x[i, j] for j in range(n)) - 1) ** 2, label=f"time{i}")
    city_const = 0.0
    for j in range(n):
        city_const += mod.Constraint((sum(x[i, j] for i in range(n)) - 1) ** 2, label=f"city{j}")
    distance = 0.0
    for i in range(n):
        for j in range(n):
            for k in range(n):
                distance += float(dist[i, j]) * x[k, i] * x[(k + 1) % n, j]
    return distance + mod.Placeholder("A") * (time_const + city_const)


# --- PyQUBO as the oracle ---------------------------------------------------------------------


def test_tsp_with_placeholder_matches_pyqubo() -> None:
    pq = pyqubo()
    rng = np.random.default_rng(1)
    n = 5
    dist = rng.integers(1, 20, size=(n, n)).astype(float)
    ours, theirs = tsp(nq.qubo, n, dist).compile(), tsp(pq, n, dist).compile()
    assert sorted(ours.variables) == sorted(theirs.variables)
    assert ours.placeholders == ["A"]
    for a in [0.5, 7.0]:
        q, off = ours.to_qubo(feed_dict={"A": a})
        pq_q, pq_off = theirs.to_qubo(feed_dict={"A": a})
        assert_same_dict(norm_qubo(q), norm_qubo(pq_q))
        assert off == pytest.approx(pq_off, abs=ATOL)
        h, j, off = ours.to_ising(feed_dict={"A": a})
        pq_h, pq_j, pq_off = theirs.to_ising(feed_dict={"A": a})
        assert_same_dict({k: v for k, v in h.items() if v != 0}, {k: v for k, v in pq_h.items() if v != 0})
        assert_same_dict(norm_qubo(j), norm_qubo(pq_j))
        assert off == pytest.approx(pq_off, abs=ATOL)
    # index_label: indices into `variables`
    qi, _ = ours.to_qubo(index_label=True, feed_dict={"A": 2.0})
    q, _ = ours.to_qubo(feed_dict={"A": 2.0})
    names = ours.variables
    assert {(names[u], names[v]): b for (u, v), b in qi.items()} == q


def test_number_partitioning_with_spins_matches_pyqubo() -> None:
    pq = pyqubo()
    numbers = [4.0, 7.0, 1.5, 9.0, 3.0, 2.25]
    s_ours = Array.create("s", len(numbers), "SPIN")
    s_pq = pq.Array.create("s", len(numbers), "SPIN")
    ours = (sum(a * s_ours[i] for i, a in enumerate(numbers)) ** 2).compile()
    theirs = (sum(a * s_pq[i] for i, a in enumerate(numbers)) ** 2).compile()
    h, j, off = ours.to_ising()
    pq_h, pq_j, pq_off = theirs.to_ising()
    assert_same_dict({k: v for k, v in h.items() if abs(v) > ATOL}, {k: v for k, v in pq_h.items() if abs(v) > ATOL})
    assert_same_dict(norm_qubo(j), norm_qubo(pq_j))
    assert off == pytest.approx(pq_off)
    q, off = ours.to_qubo()
    pq_q, pq_off = theirs.to_qubo()
    assert_same_dict(norm_qubo(q), norm_qubo(pq_q))
    assert off == pytest.approx(pq_off)


@pytest.mark.parametrize(
    "build",
    [
        lambda B: B("a") * B("b") * B("c") + 2 * B("a"),
        lambda B: B("a") * B("b") * B("c") * B("d") * B("e"),
        lambda B: B("x4") * B("x3") * B("x5") + B("x2") * B("x4") * B("x1") * B("x5"),
        lambda B: B("a") * B("c") * B("d") + B("b") * B("c") * B("d") + B("a") * B("b"),
        lambda B: 3 * B("a") * B("b") * B("c") - B("a") * B("b") * B("d") + 2 * B("a") * B("b") * B("e") + B("c"),
    ],
)
def test_higher_order_terms_match_pyqubo(build: Callable[[Any], Any]) -> None:
    pq = pyqubo()
    ours, theirs = build(Binary).compile(strength=5.0), build(pq.Binary).compile(strength=5.0)
    assert {canonical(v) for v in ours.variables} == {canonical(v) for v in theirs.variables}
    q, off = ours.to_qubo()
    pq_q, pq_off = theirs.to_qubo()
    assert_same_dict(norm_qubo(q), norm_qubo(pq_q))
    assert off == pq_off


def test_quadratic_terms_keep_their_pair_unlike_pyqubo() -> None:
    # a*b*c + 3*a*b: PyQUBO rewrites 3ab as 3z; we keep 3ab, so only the cubic coefficient
    # bounds the strength. The two QUBOs differ by exactly 3(ab - z).
    pq = pyqubo()
    build = lambda B: B("a") * B("b") * B("c") + 3 * B("a") * B("b")  # noqa: E731
    q, _ = build(Binary).compile(strength=5.0).to_qubo()
    pq_q, _ = build(pq.Binary).compile(strength=5.0).to_qubo()
    ours, theirs = norm_qubo(q), norm_qubo(pq_q)
    ab = frozenset({frozenset({"a"}), frozenset({"b"})})
    z = frozenset({frozenset({"a", "b"})})
    assert ours[ab] - theirs[ab] == 3.0
    assert theirs[z] - ours[z] == 3.0
    assert {k: v for k, v in ours.items() if k not in (ab, z)} == {k: v for k, v in theirs.items() if k not in (ab, z)}


def constrained(mod: Any) -> Any:
    x = mod.Array.create("x", 4, "BINARY")
    s = mod.Spin("s")
    return (
        mod.Constraint((x[0] + x[1] + x[2] - 1) ** 2, label="one_hot")
        + mod.Placeholder("P") * mod.Constraint(x[2] + x[3] - 1, label="sum", condition=lambda v: v <= 0)
        + mod.SubH(2 * x[0] - x[3] * s, label="cost")
        + 0.5 * s * x[1]
    )


def test_decode_sample_matches_pyqubo() -> None:
    pq = pyqubo()
    ours, theirs = constrained(nq.qubo).compile(), constrained(pq).compile()
    rng = random.Random(5)
    for _ in range(20):
        sample = {f"x[{i}]": rng.randint(0, 1) for i in range(4)}
        sample["s"] = rng.choice([-1, 1])
        binary = {k: (v + 1) // 2 if k == "s" else v for k, v in sample.items()}
        feed = {"P": rng.choice([0.5, 2.0, -1.0])}
        d = ours.decode_sample(binary, vartype="BINARY", feed_dict=feed)
        e = theirs.decode_sample(binary, vartype="BINARY", feed_dict=feed)
        assert d.energy == pytest.approx(e.energy, abs=ATOL)
        assert d.constraints() == e.constraints()
        assert d.constraints(only_broken=True) == e.constraints(only_broken=True)
        assert d.subh == pytest.approx(e.subh)
        assert ours.energy(binary, "BINARY", feed) == pytest.approx(e.energy, abs=ATOL)
        # The same sample in SPIN form (all variables as spins).
        spins = {k: 2 * v - 1 for k, v in binary.items()}
        ds = ours.decode_sample(spins, vartype="SPIN", feed_dict=feed)
        es = theirs.decode_sample(spins, vartype="SPIN", feed_dict=feed)
        assert ds.energy == pytest.approx(es.energy, abs=ATOL)
        assert ds.constraints() == es.constraints()
        assert ds.sample == spins and ds.vartype == "SPIN"


def test_decode_sampleset_matches_pyqubo() -> None:
    pq = pyqubo()
    import dimod

    ours, theirs = constrained(nq.qubo).compile(), constrained(pq).compile()
    feed = {"P": 1.5}
    bqm = dimod.BinaryQuadraticModel.from_qubo(*theirs.to_qubo(feed_dict=feed))
    ss = dimod.ExactSolver().sample(bqm)
    d = ours.decode_sampleset(ss, feed_dict=feed)
    e = theirs.decode_sampleset(ss, feed_dict=feed)
    assert len(d) == len(e) == 32
    np.testing.assert_allclose([x.energy for x in d], [x.energy for x in e], atol=ATOL)
    np.testing.assert_allclose([x.energy for x in d], sorted(ss.record.energy), atol=ATOL)
    by_sample = {tuple(sorted(x.sample.items())): x for x in e}
    for x in d:
        y = by_sample[tuple(sorted(x.sample.items()))]
        assert x.constraints() == y.constraints() and x.subh == pytest.approx(y.subh)
    spin_ss = ss.change_vartype("SPIN", inplace=False)
    np.testing.assert_allclose([x.energy for x in ours.decode_sampleset(spin_ss, feed_dict=feed)], [x.energy for x in d])


# --- brute force against direct evaluation ---------------------------------------------------


def random_expression(rng: random.Random, depth: int) -> tuple[Any, Callable[[dict[str, int], dict[str, float]], float]]:
    """A random expression and an independent evaluator of it (plain Python arithmetic)."""
    r = rng.random()
    if depth == 0 or r < 0.25:
        kind = rng.choice(["b", "b", "s", "n", "p"])
        if kind == "b":
            name = f"b{rng.randrange(3)}"
            return Binary(name), lambda x, p, name=name: x[name]
        if kind == "s":
            name = f"s{rng.randrange(2)}"
            return Spin(name), lambda x, p, name=name: x[name]
        if kind == "n":
            v = float(rng.randint(-3, 3))
            return Num(v), lambda x, p, v=v: v
        name = f"P{rng.randrange(2)}"
        return Placeholder(name), lambda x, p, name=name: p[name]
    op = rng.choice(["+", "-", "*", "*", "pow", "sum", "c"])
    a, fa = random_expression(rng, depth - 1)
    if op == "pow":
        k = rng.randint(0, 3)
        return a**k, lambda x, p: fa(x, p) ** k
    if op == "c":
        return Constraint(a, label=f"c{rng.randrange(10**9)}"), fa
    if op == "sum":
        parts = [random_expression(rng, depth - 1) for _ in range(rng.randint(1, 4))]
        return sum(e for e, _ in parts), lambda x, p: sum(f(x, p) for _, f in parts)
    b, fb = random_expression(rng, depth - 1)
    if op == "+":
        return a + b, lambda x, p: fa(x, p) + fb(x, p)
    if op == "-":
        return a - b, lambda x, p: fa(x, p) - fb(x, p)
    return a * b, lambda x, p: fa(x, p) * fb(x, p)


@pytest.mark.parametrize("seed", range(40))
def test_energies_equal_direct_evaluation(seed: int) -> None:
    rng = random.Random(seed)
    expr, f = random_expression(rng, 4)
    if not isinstance(expr, Expr):
        pytest.skip("the expression folded to a plain number")
    model = expr.compile(strength=1e6)
    feed = {p: float(rng.randint(-2, 2)) for p in model.placeholders}
    names = [v for v in model.variables if " * " not in v]
    aux = [v for v in model.variables if " * " in v]
    for values in itertools.product([0, 1], repeat=len(names)):
        x = dict(zip(names, values))
        spins = {k: (2 * v - 1 if k.startswith("s") else v) for k, v in x.items()}
        want = f(spins, feed)
        assert model.energy(x, "BINARY", feed) == pytest.approx(want, abs=1e-6)
        # Any other value of the auxiliaries costs at least as much (strength large enough).
        if aux and len(aux) <= 4:
            for zs in itertools.product([0, 1], repeat=len(aux)):
                assert model.energy({**x, **dict(zip(aux, zs))}, "BINARY", feed) >= want - 1e-6


def test_to_bqm_energies_equal_the_expression() -> None:
    # The labelled Bqm from to_bqm against direct evaluation of the expression.
    a, b, c, s = Binary("a"), Binary("b"), Binary("c"), Spin("s")
    expr = (a + b + c - 1) ** 2 + Placeholder("K") * a * b * c * s + 3 * s
    model = expr.compile(strength=50.0)
    bqm = model.to_bqm(feed_dict={"K": -2.0})
    assert isinstance(bqm, nq.qubo.Bqm) and bqm.vartype.name == "BINARY" and bqm.variables == model.variables
    indexed = model.to_bqm(index_label=True, feed_dict={"K": -2.0})
    assert indexed.variables == list(range(len(model.variables)))
    for bits in itertools.product([0, 1], repeat=4):
        x = dict(zip("abcs", bits))
        sv = 2 * x["s"] - 1
        want = (x["a"] + x["b"] + x["c"] - 1) ** 2 - 2.0 * x["a"] * x["b"] * x["c"] * sv + 3 * sv
        full = dict(x)
        for v in model.variables:
            if " * " in v:  # auxiliary = product of its factors
                full[v] = math.prod(x[f] for f in canonical(v))
        assert bqm.energy(full) == pytest.approx(want)
        assert indexed.energy([full[v] for v in model.variables]) == pytest.approx(want)
        assert model.energy(x, "BINARY", {"K": -2.0}) == pytest.approx(want)


def test_to_bqm_matches_pyqubo_through_dimod() -> None:
    pq = pyqubo()
    dist = np.arange(16, dtype=float).reshape(4, 4) % 5 + 1
    ours = tsp(nq.qubo, 4, dist).compile().to_bqm(feed_dict={"A": 3.0}).to_dimod()
    theirs = tsp(pq, 4, dist).compile().to_bqm(feed_dict={"A": 3.0})
    assert ours.vartype == theirs.vartype and set(ours.variables) == set(theirs.variables)
    assert ours.offset == pytest.approx(theirs.offset)
    for v, bias in theirs.linear.items():
        assert ours.linear[v] == pytest.approx(bias, abs=ATOL)
    assert ours.num_interactions == theirs.num_interactions
    for (u, v), bias in theirs.quadratic.items():
        assert ours.quadratic[u, v] == pytest.approx(bias, abs=ATOL)


# --- the Python surface -----------------------------------------------------------------------


def test_array_indexing_sum_and_dot() -> None:
    x = Array.create("x", (2, 3), "BINARY")
    assert x.shape == (2, 3) and x.ndim == 2 and x.size == 6 and len(x) == 2
    assert isinstance(x[1, 2], Binary) and x[1, 2].label == "x[1][2]"
    assert x[1][2] is x[1, 2] and x[-1, -1] is x[1, 2]
    assert [e.label for e in x[:, 1]] == ["x[0][1]", "x[1][1]"]
    assert [e.label for e in x[0, ::-1]] == ["x[0][2]", "x[0][1]", "x[0][0]"]
    assert x.T.shape == (3, 2) and x.T[2, 1] is x[1, 2]
    assert [len(row) for row in x] == [3, 3]
    s = Array.create("s", 3, vartype="SPIN")
    assert isinstance(s[0], Spin) and s[2].label == "s[2]"
    # sum and dot give the same models as writing the sums out.
    w = np.array([1.0, -2.0, 0.5])
    q1, _ = (x.sum() + x[0].dot(w) + x.dot(w)[1]).compile().to_qubo()
    manual = sum(x[i, j] for i in range(2) for j in range(3)) + sum(w[j] * x[0, j] for j in range(3)) + sum(w[j] * x[1, j] for j in range(3))
    q2, _ = manual.compile().to_qubo()
    assert q1 == pytest.approx(q2)
    col = x.sum(axis=0)
    assert isinstance(col, Array) and col.shape == (3,)
    q3, _ = col[1].compile().to_qubo()
    assert q3 == {("x[0][1]", "x[0][1]"): 1.0, ("x[1][1]", "x[1][1]"): 1.0}
    inner = x[0].dot(x[1])
    assert inner.compile().to_qubo()[0] == {(f"x[0][{j}]", f"x[1][{j}]"): 1.0 for j in range(3)}
    m = Array([[Binary("p"), 2.0], [Binary("q"), Binary("r")]])
    assert m.shape == (2, 2)
    assert m.dot([1.0, 1.0])[0].compile().to_qubo() == ({("p", "p"): 1.0}, 2.0)


def test_expression_building_is_linear_and_deep_trees_work() -> None:
    # sum() of 200k terms (one `+` each) and a 100k-deep chain compile without recursion.
    x = Array.create("x", 1000, "BINARY")
    h = sum(x[i % 1000] * (i % 7) for i in range(200_000))
    assert isinstance(h, Expr)
    q, _ = h.compile().to_qubo()
    assert q[("x[3]", "x[3]")] == sum(i % 7 for i in range(3, 200_000, 1000))
    p: Expr = Binary("y") + 1
    for _ in range(100_000):
        p = p * Binary("y") + 1
    bqm = p.compile().to_bqm()
    assert bqm.linear == {"y": 100_001.0} and bqm.offset == 1.0


def test_constraint_conditions_and_subh() -> None:
    a, b = Binary("a"), Binary("b")
    h = (
        Constraint(a + b, "le1", condition=Condition.at_most(1))
        + Constraint(a + b, "ge1", condition=Condition.at_least(1.0))
        + Constraint(a - b, "eq", condition=Condition.equal(0.0, atol=0.5))
        + Constraint(a * b, "custom", condition=lambda v: v > 0.5)
        + Constraint(a + b - 1, "default")
        + SubH(3 * a, "cost")
    )
    d = h.compile().decode_sample({"a": 1, "b": 1}, vartype="BINARY")
    assert d.constraints() == {
        "le1": (False, 2.0),
        "ge1": (True, 2.0),
        "eq": (True, 0.0),
        "custom": (True, 1.0),
        "default": (False, 1.0),
    }
    assert d.constraints(only_broken=True) == {"le1": (False, 2.0), "default": (False, 1.0)}
    assert d.subh == {"le1": 2.0, "ge1": 2.0, "eq": 0.0, "custom": 1.0, "default": 1.0, "cost": 3.0}
    assert d.energy == 2 + 2 + 0 + 1 + 1 + 3
    assert isinstance(d, DecodedSample) and d.vartype == "BINARY"
    c = Constraint(a, "c", condition=Condition.at_most(2.0))
    assert c.label == "c" and repr(c.condition) == "Condition.at_most(2.0, atol=0.0)" and c.condition(2.0)
    assert repr(c.expr) == "Binary('a')"
    # A failing custom condition propagates its exception.
    bad = Constraint(a, "bad", condition=lambda v: 1 / 0).compile()
    with pytest.raises(ZeroDivisionError):
        bad.decode_sample({"a": 1}, "BINARY")


def test_decoded_sample_array_and_missing_auxiliaries() -> None:
    x = Array.create("x", (2, 2), "BINARY")
    model = (x[0, 0] * x[0, 1] * x[1, 1] + x[1, 0]).compile(strength=4.0)
    assert model.strength == 4.0 and len(model.variables) == 5
    d = model.decode_sample({"x[0][0]": 1, "x[0][1]": 1, "x[1][0]": 0, "x[1][1]": 1}, "BINARY")
    assert d.energy == 1.0 and d.array("x", (1, 1)) == 1 and d.array("x", (1, 0)) == 0
    assert d.sample["x[0][0] * x[0][1]"] == 1  # filled in as the product it stands for
    wrong = model.decode_sample({**d.sample, "x[0][0] * x[0][1]": 0}, "BINARY")
    assert wrong.energy > d.energy  # a wrong auxiliary pays the penalty


def test_operators_and_reprs() -> None:
    a, b = Binary("a"), Spin("b")
    assert repr(2 * a + b) == "(2 * Binary('a') + Spin('b'))"
    assert repr(a - 1) == "(Binary('a') + -1)"
    assert repr((a + b) ** 2) == "(Binary('a') + Spin('b'))**2"
    assert repr(-a) == "-1 * Binary('a')" and repr(a / 4) == "0.25 * Binary('a')"
    assert (+a) is a and sum([a]) is not None
    assert Num(2.5).value == 2.5 and Placeholder("A").label == "A" and b.label == "b"
    assert repr(Constraint(a, "c")) == "Constraint(Binary('a'), label='c')"
    assert repr(SubH(a, "h")) == "SubH(Binary('a'), label='h')"
    assert isinstance(a, Expr) and isinstance(a + 1, Expr)
    assert repr(a.compile()).startswith("Model(num_variables=1")
    assert isinstance(a.compile(), Model)
    assert (a**0).compile().to_qubo() == ({}, 1.0)
    assert (np.float64(2.0) * a).compile().to_qubo() == ({("a", "a"): 2.0}, 0.0)
    assert (a ** np.int64(3)).compile().to_qubo() == ({("a", "a"): 1.0}, 0.0)
    q, off = (b * b + b).compile().to_qubo()  # s² = 1, s = 2x - 1
    assert q == {("b", "b"): 2.0} and off == 0.0


# --- bad input (SPEC §5) ----------------------------------------------------------------------


def test_bad_input_raises_neuroquant_errors() -> None:
    a, b = Binary("a"), Binary("b")
    with pytest.raises(nq.NonFiniteError, match="NaN"):
        a * float("nan")
    with pytest.raises(nq.NonFiniteError):
        a + float("inf")
    with pytest.raises(nq.NonFiniteError):
        Num(float("nan"))
    with pytest.raises(nq.NonFiniteError):
        a / 1e-320
    with pytest.raises(ZeroDivisionError):
        a / 0
    for k in [2.0, 0.5, -1, 2**40]:
        with pytest.raises(nq.InvalidArgumentError, match="exponent"):
            a**k
    with pytest.raises(TypeError):
        2 / a  # type: ignore[operator]
    with pytest.raises(TypeError):
        a + "x"  # type: ignore[operator]
    with pytest.raises(nq.InvalidArgumentError, match='"q" is used both as BINARY and as SPIN'):
        (Binary("q") + Spin("q")).compile()
    with pytest.raises(nq.InvalidArgumentError, match='"c"'):
        (Constraint(a, "c") + Constraint(b, "c")).compile()
    with pytest.raises(nq.InvalidArgumentError, match="strength"):
        a.compile(strength=0.0)
    with pytest.raises(nq.NonFiniteError):
        a.compile(strength=float("nan"))
    with pytest.raises(nq.InvalidArgumentError, match="auxiliary"):
        (Binary("a * b") + a * b * Binary("c")).compile()
    with pytest.raises(nq.InvalidArgumentError, match="condition"):
        Constraint(a, "c", condition=3)  # type: ignore[arg-type]

    model = (Placeholder("A") * a + b).compile()
    with pytest.raises(nq.InvalidArgumentError, match='placeholder "A" has no value'):
        model.to_qubo()
    # Names the model does not use are ignored, as PyQUBO ignores them.
    assert model.to_qubo(feed_dict={"A": 1.0, "B": 2.0}) == model.to_qubo(feed_dict={"A": 1.0})
    with pytest.raises(nq.NonFiniteError, match="feed_dict"):
        model.to_bqm(feed_dict={"A": float("nan")})
    with pytest.raises(nq.InvalidArgumentError, match="feed_dict"):
        model.to_qubo(feed_dict={"A": "x"})
    big = (Placeholder("A") ** 2 * a).compile()
    with pytest.raises(nq.NonFiniteError, match='"a"'):
        big.to_qubo(feed_dict={"A": 1e200})
    feed = {"A": 1.0}
    with pytest.raises(nq.InvalidArgumentError, match='"b" has no value'):
        model.energy({"a": 1}, "BINARY", feed)
    with pytest.raises(nq.InvalidArgumentError, match='"z" is not a variable'):
        model.energy({"a": 1, "b": 0, "z": 1}, "BINARY", feed)
    with pytest.raises(nq.InvalidArgumentError, match="BINARY"):
        model.energy({"a": 2, "b": 0}, "BINARY", feed)
    with pytest.raises(nq.InvalidArgumentError, match="SPIN"):
        model.decode_sample({"a": 0, "b": 1}, "SPIN", feed)
    with pytest.raises(nq.InvalidArgumentError, match="not an integer"):
        model.energy({"a": 0.5, "b": 0}, "BINARY", feed)
    with pytest.raises(nq.InvalidArgumentError, match="label"):
        model.energy({0: 1, "b": 0}, "BINARY", feed)  # type: ignore[dict-item]
    with pytest.raises(nq.InvalidArgumentError, match="mapping"):
        model.energy([1, 0], "BINARY", feed)  # type: ignore[arg-type]
    with pytest.raises(nq.InvalidArgumentError, match="vartype"):
        model.energy({"a": 1, "b": 0}, "ISING", feed)

    x = Array.create("x", (2, 3), "BINARY")
    with pytest.raises(nq.IndexOutOfRangeError):
        x[2, 0]
    with pytest.raises(IndexError):
        x[0, -4]
    with pytest.raises(nq.InvalidArgumentError, match="indices"):
        x[0, 0, 0]
    with pytest.raises(nq.InvalidArgumentError):
        x["a"]  # type: ignore[index]
    with pytest.raises(nq.InvalidArgumentError, match="shape"):
        Array.create("y", (2, -1), "BINARY")
    with pytest.raises(nq.LimitExceededError):
        Array.create("y", (2**20, 2**20), "BINARY")
    with pytest.raises(nq.DimensionMismatchError):
        x.dot([1.0, 2.0])
    with pytest.raises(nq.InvalidArgumentError, match="axis"):
        x.sum(axis=2)


def test_errors_leave_the_model_usable() -> None:
    model = (Placeholder("A") * Binary("a")).compile()
    with pytest.raises(nq.InvalidArgumentError):
        model.to_qubo()
    assert model.to_qubo(feed_dict={"A": 2.0}) == ({("a", "a"): 2.0}, 0.0)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc/self/statm")
def test_repeated_compiles_do_not_grow_memory() -> None:
    # pyqubo#215: memory grew on every compile. Warm up, then 300 compiles + binds.
    def rss() -> int:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")

    h = tsp(nq.qubo, 8, np.ones((8, 8)))
    for _ in range(30):
        h.compile().to_qubo(feed_dict={"A": 1.0})
    before = rss()
    for _ in range(300):
        h.compile().to_qubo(feed_dict={"A": 1.0})
    assert rss() - before < 4 << 20
