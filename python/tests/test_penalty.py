"""Constraint penalties by label: brute force over every assignment of small models against the
constraint evaluated directly here (zero exactly when feasible), automatic strengths making the
minimum feasible, dimod's add_linear_equality_constraint as an oracle, slack labels, and SPEC §5
bad input (clear class and message, model unchanged)."""

import itertools
import math
import pickle

import dimod
import numpy as np
import pytest

import neuroquant as nq
from neuroquant.qubo import Bqm, PenaltyReport


def table(n: int, vartype: str) -> np.ndarray:
    """Every assignment of n variables, one per row (row k is the binary expansion of k)."""
    bits = ((np.arange(2**n)[:, None] >> np.arange(n)) & 1).astype(np.int8)
    return bits if getattr(vartype, "name", vartype) == "BINARY" else (2 * bits - 1).astype(np.int8)


def as_binary(rows: np.ndarray, vartype: str) -> np.ndarray:
    return rows if getattr(vartype, "name", vartype) == "BINARY" else (rows + 1) // 2


def random_objective(vartype: str, labels: list, seed: int) -> Bqm:
    rng = np.random.default_rng(seed)
    bqm = Bqm(vartype)
    for v in labels:
        bqm.add_linear(v, float(rng.integers(-5, 6)))
    for u, v in itertools.combinations(labels, 2):
        if rng.random() < 0.5:
            bqm.add_quadratic(u, v, float(rng.integers(-5, 6)))
    return bqm


def penalty_values(before: Bqm, after: Bqm) -> tuple[np.ndarray, np.ndarray]:
    """(binary values of the original variables, penalty minimised over the slack variables) for
    every assignment of the original variables."""
    n, k = before.num_variables, after.num_variables - before.num_variables
    assert after.variables[:n] == before.variables
    full = table(n + k, after.vartype)
    added = after.energies(full) - before.energies(full[:, :n])
    # Row index = x + 2^n z: minimise over the slack bits z.
    per_x = added.reshape(2**k, 2**n).min(axis=0)
    return as_binary(full[: 2**n, :n], after.vartype), per_x


LABELS = ["a", ("b", 1), 7, "d", "e"]


@pytest.mark.parametrize("vartype", ["BINARY", "SPIN"])
def test_equality_is_the_square_of_the_residual(vartype: str) -> None:
    before = random_objective(vartype, LABELS, seed=1)
    after = before.copy()
    coeffs = {"a": 2.0, ("b", 1): -1.0, 7: 3.0, "d": 1.0}
    report = after.add_equality(coeffs, 3.0, strength=2.5)
    x, added = penalty_values(before, after)
    lhs = sum(c * x[:, LABELS.index(v)] for v, c in coeffs.items())
    np.testing.assert_allclose(added, 2.5 * (lhs - 3.0) ** 2, rtol=0, atol=1e-9)
    assert np.all((added == 0) == (lhs == 3.0))
    assert report.strength == 2.5 and not report.auto_strength
    assert report.resolution == 1.0 and report.min_violation_penalty == 2.5
    assert report.slack_variables == () and not report.always_satisfied


def test_equality_matches_dimod() -> None:
    """dimod adds lagrange * (Σ c x + constant)² to a BINARY model: the same as rhs = -constant."""
    terms = [("a", 5.0), ("b", -2.0), ("c", 0.5), ("a", 1.0)]
    ours, theirs = Bqm("BINARY"), dimod.BQM("BINARY")
    for m in (ours, theirs):
        m.add_linear("a", 1.0)
        m.add_quadratic("a", "b", -1.5)
    ours.add_equality(terms, 3.0, strength=10.0)
    theirs.add_linear_equality_constraint(terms, lagrange_multiplier=10.0, constant=-3.0)
    assert ours.variables == list(theirs.variables)
    assert ours.offset == pytest.approx(theirs.offset)
    assert ours.linear == pytest.approx(dict(theirs.linear))
    assert {frozenset(k): v for k, v in ours.quadratic.items()} == pytest.approx(
        {frozenset(k): v for k, v in theirs.quadratic.items()}
    )


@pytest.mark.parametrize("vartype", ["BINARY", "SPIN"])
@pytest.mark.parametrize("sense,rhs", [("<=", 4.0), (">=", 2.0), ("<=", 4.5), ("ge", -1.0), ("le", 0.0)])
def test_inequality_penalty_is_zero_exactly_when_feasible(vartype: str, sense: str, rhs: float) -> None:
    before = random_objective(vartype, LABELS[:4], seed=2)
    after = before.copy()
    coeffs = {"a": 3.0, ("b", 1): -2.0, 7: 2.0, "d": 1.0}
    report = after.add_inequality(coeffs, rhs, sense=sense, strength=1.5)
    x, added = penalty_values(before, after)
    lhs = sum(c * x[:, LABELS.index(v)] for v, c in coeffs.items())
    feasible = lhs <= rhs if sense in ("<=", "le") else lhs >= rhs
    violation = np.where(feasible, 0.0, np.abs(lhs - rhs))
    assert np.all((np.abs(added) < 1e-9) == feasible)
    # An assignment violating by e pays at least strength · e² whatever the slack holds.
    assert np.all(added[~feasible] >= 1.5 * np.ceil(violation[~feasible]) ** 2 - 1e-9)
    assert np.all(added[~feasible] >= report.min_violation_penalty - 1e-9)
    k = len(report.slack_variables)
    assert report.slack_variables == tuple(("slack", 4, i) for i in range(k))
    assert after.variables[4:] == list(report.slack_variables)
    # The slack weights cover exactly [0, upper]: every subset sum is a reachable slack value.
    sums = {sum(c for c, bit in zip(report.slack_coefficients, bits) if bit) for bits in itertools.product([0, 1], repeat=k)}
    assert sums == set(range(int(sum(report.slack_coefficients)) + 1))


def brute_counts(before: Bqm, after: Bqm, variables: list) -> tuple[np.ndarray, np.ndarray]:
    x, added = penalty_values(before, after)
    ones = sum(x[:, before.variables.index(v)] for v in variables)
    return ones, added


@pytest.mark.parametrize("vartype", ["BINARY", "SPIN"])
def test_cardinality_penalties_match_their_formulas(vartype: str) -> None:
    group = ["a", ("b", 1), 7, "d"]
    base = random_objective(vartype, LABELS, seed=3)
    m = len(group)
    cases = [
        (lambda b: b.add_at_most_one(group, strength=2.0), lambda s: 2.0 * s * (s - 1) / 2),
        (lambda b: b.add_exactly_one(group, strength=2.0), lambda s: 2.0 * (s - 1) ** 2),
        (lambda b: b.add_k_hot(group, 2, strength=2.0), lambda s: 2.0 * (s - 2) ** 2),
        (lambda b: b.add_at_least_all_but_one(group, strength=2.0), lambda s: 2.0 * (m - s) * (m - s - 1) / 2),
    ]
    for add, formula in cases:
        after = base.copy()
        report = add(after)
        ones, added = brute_counts(base, after, group)
        np.testing.assert_allclose(added, formula(ones), rtol=0, atol=1e-9)
        assert report.strength == 2.0 and report.resolution is None and report.min_violation_penalty == 2.0


@pytest.mark.parametrize("vartype", ["BINARY", "SPIN"])
def test_pairwise_penalties_match_their_formulas(vartype: str) -> None:
    base = random_objective(vartype, LABELS, seed=4)
    for name, formula in (("add_less_equal", lambda x, y: x - x * y), ("add_greater_equal", lambda x, y: y - x * y)):
        after = base.copy()
        getattr(after, name)("a", 7, strength=3.0)
        x, added = penalty_values(base, after)
        xa, x7 = x[:, 0], x[:, 2]
        np.testing.assert_allclose(added, 3.0 * formula(xa, x7), rtol=0, atol=1e-9)


def constrained_optimum(objective: Bqm, feasible) -> float:  # type: ignore[no-untyped-def]
    rows = table(objective.num_variables, objective.vartype)
    e = objective.energies(rows)
    ok = feasible(as_binary(rows, objective.vartype))
    return float(e[ok].min())


@pytest.mark.parametrize("vartype", ["BINARY", "SPIN"])
@pytest.mark.parametrize("seed", range(4))
def test_automatic_strength_makes_every_minimiser_feasible(vartype: str, seed: int) -> None:
    objective = random_objective(vartype, LABELS, seed=10 + seed)
    coeffs = {"a": 2.0, ("b", 1): 3.0, 7: -1.0, "d": 2.0, "e": 1.0}
    idx = {v: i for i, v in enumerate(LABELS)}

    def lhs(x: np.ndarray) -> np.ndarray:
        return sum(c * x[:, idx[v]] for v, c in coeffs.items())

    for add, feasible in (
        (lambda b: b.add_equality(coeffs, 3.0), lambda x: lhs(x) == 3.0),
        (lambda b: b.add_inequality(coeffs, 2.0), lambda x: lhs(x) <= 2.0),
        (lambda b: b.add_exactly_one(["a", 7, "e"]), lambda x: x[:, 0] + x[:, 2] + x[:, 4] == 1),
        (lambda b: b.add_less_equal("d", "a"), lambda x: x[:, 3] <= x[:, 0]),
    ):
        model = objective.copy()
        report = add(model)
        assert report.auto_strength
        n = objective.num_variables
        rows = table(model.num_variables, vartype)
        e = model.energies(rows)
        best = rows[np.flatnonzero(np.isclose(e, e.min(), rtol=0, atol=1e-9))]
        assert np.all(feasible(as_binary(best[:, :n], vartype)))
        assert e.min() == pytest.approx(constrained_optimum(objective, feasible), abs=1e-9)


def test_dominate_strength_covers_several_constraints() -> None:
    objective = random_objective("BINARY", LABELS, seed=21)
    w = sum(abs(b) for b in objective.linear.values()) + sum(abs(b) for b in objective.quadratic.values())
    model = objective.copy()
    r1 = model.add_exactly_one(["a", ("b", 1), 7], objective_range=w)
    r2 = model.add_at_most_one(["d", "e", "a"], objective_range=w)
    assert r1.strength == r2.strength == 1 + w and r1.auto_strength

    def feasible(x: np.ndarray) -> np.ndarray:
        return (x[:, 0] + x[:, 1] + x[:, 2] == 1) & (x[:, 3] + x[:, 4] + x[:, 0] <= 1)

    rows = table(5, "BINARY")
    e = model.energies(rows)
    assert np.all(feasible(rows[np.isclose(e, e.min(), rtol=0, atol=1e-9)]))
    assert e.min() == pytest.approx(constrained_optimum(objective, feasible))


def test_new_labels_become_variables_in_order_of_appearance() -> None:
    bqm = Bqm("BINARY")
    bqm.add_variable("a")
    bqm.add_equality([("x", 1.0), ("a", 1.0), (("y", 2), 1.0), ("x", 1.0)], 2.0, strength=1.0)
    assert bqm.variables == ["a", "x", ("y", 2)]
    bqm.add_k_hot([0, 1, 2], 1, strength=1.0)
    assert bqm.variables == ["a", "x", ("y", 2), 0, 1, 2]
    report = bqm.add_inequality({"x": 1.0, "z": 2.0}, 2.0, strength=1.0)
    assert bqm.variables[6] == "z" and report.slack_variables == (("slack", 7, 0), ("slack", 7, 1))


def test_slack_labels_stay_unique_after_variables_are_removed() -> None:
    bqm = Bqm("BINARY")
    r1 = bqm.add_inequality({"a": 1.0, "b": 1.0, "c": 1.0}, 2.0, strength=1.0)
    assert r1.slack_variables == (("slack", 3, 0), ("slack", 3, 1))
    bqm.fix_variables({"a": 0, "b": 1})  # variables c, ("slack", 3, 0), ("slack", 3, 1) remain
    r2 = bqm.add_inequality({"c": 1.0, ("slack", 3, 0): 1.0, ("slack", 3, 1): 1.0}, 2.0, strength=1.0)
    # The new slack starts at index 3, whose labels are taken: the least free k is used.
    assert r2.slack_variables == (("slack", 0, 0), ("slack", 0, 1))
    assert len(set(bqm.variables)) == bqm.num_variables


def test_always_satisfied_constraints_add_nothing() -> None:
    bqm = random_objective("BINARY", LABELS, seed=5)
    before = pickle.dumps(bqm)
    report = bqm.add_inequality({"a": 1.0, "d": 2.0}, 3.0, strength=1.0)
    assert report.always_satisfied and report.slack_variables == ()
    assert pickle.dumps(bqm) == before
    assert bqm.add_at_most_one(["a"]).always_satisfied


def test_reports_are_frozen_values_that_pickle() -> None:
    bqm = Bqm("SPIN")
    report = bqm.add_inequality({"a": 0.5, "b": 1.5}, 1.0)
    assert isinstance(report, PenaltyReport)
    assert pickle.loads(pickle.dumps(report)) == report
    assert report.resolution == 0.5 and report.min_violation_penalty == pytest.approx(report.strength * 0.25)
    assert report.strength == pytest.approx((1 + 0) / 0.25)  # empty objective: W = 0
    with pytest.raises(AttributeError):
        report.strength = 1.0  # type: ignore[misc]
    assert "slack_variables=(('slack', 2, 0), ('slack', 2, 1))" in repr(report)
    assert report != PenaltyReport(1.0, False, None, None, (), (), False)


# ---- SPEC §5: bad input is rejected with a clear error and changes nothing ----


@pytest.fixture
def model() -> Bqm:
    return Bqm({"a": 1.0, "b": -1.0, "c": 0.5}, {("a", "b"): 2.0}, 0.25, "BINARY")


@pytest.mark.parametrize(
    "call,exc,match",
    [
        (lambda b: b.add_equality({"a": 1.0, "new": math.nan}, 1.0), nq.NonFiniteError, "`terms`: element 1"),
        (lambda b: b.add_equality({"a": 1.0, "new": 1.0}, math.inf), nq.NonFiniteError, "`rhs`"),
        (lambda b: b.add_equality({"a": 1.0, "new": 1.0}, 5.0), nq.InvalidArgumentError, "no assignment satisfies"),
        (lambda b: b.add_equality({"a": 2.0, "new": 2.0}, 1.0), nq.InvalidArgumentError, "multiple of 2"),
        (lambda b: b.add_equality({"a": 1 / 3, "new": 1.0}, 1.0), nq.InvalidArgumentError, "`resolution`"),
        (lambda b: b.add_equality({"a": 0.3, "new": 1.0}, 1.0, resolution=0.2), nq.InvalidArgumentError, "not a multiple"),
        (lambda b: b.add_equality({"a": 1.0}, 1.0, strength=-1.0), nq.InvalidArgumentError, "`strength`"),
        (lambda b: b.add_equality({"a": 1.0}, 1.0, strength=math.nan), nq.InvalidArgumentError, "`strength`"),
        (lambda b: b.add_equality({"a": 1.0}, 1.0, strength=1.0, objective_range=2.0), nq.InvalidArgumentError, "not both"),
        (lambda b: b.add_equality({"a": 1.0}, 1.0, objective_range=-2.0), nq.InvalidArgumentError, "objective_range"),
        (lambda b: b.add_equality({"a": 1.0}, 1.0, resolution=0.0), nq.InvalidArgumentError, "`resolution`"),
        (lambda b: b.add_equality([("a", 1.0, 2.0)], 1.0), nq.InvalidArgumentError, "`terms`"),
        (lambda b: b.add_inequality({"a": 1.0, "new": 1.0}, 3.0, sense="=="), nq.InvalidArgumentError, "`sense`"),
        (lambda b: b.add_inequality({"a": 1.0, "new": 1.0}, -1.0), nq.InvalidArgumentError, "no assignment satisfies"),
        (lambda b: b.add_inequality({"a": 1.0, "new": 1.0}, 3.0, sense=">="), nq.InvalidArgumentError, "no assignment"),
        (lambda b: b.add_inequality({"a": 1.0, "new": float("-inf")}, 1.0), nq.NonFiniteError, "`terms`"),
        (lambda b: b.add_less_equal("a", "a"), nq.InvalidArgumentError, "'a' appears twice"),
        (lambda b: b.add_greater_equal("new", "new"), nq.InvalidArgumentError, "'new' appears twice"),
        (lambda b: b.add_less_equal("a", "new", strength=0.0), nq.InvalidArgumentError, "`strength`"),
        (lambda b: b.add_at_most_one(["a", "new", "a"]), nq.InvalidArgumentError, "`variables`: label 'a' appears twice"),
        (lambda b: b.add_exactly_one(["x", "y", "x"]), nq.InvalidArgumentError, "'x' appears twice"),
        (lambda b: b.add_k_hot(["a", "new"], 3), nq.InvalidArgumentError, "`k`: no assignment"),
        (lambda b: b.add_k_hot(["a", "new"], -1), nq.InvalidArgumentError, "`k`: must be >= 0"),
        (lambda b: b.add_k_hot([], 1), nq.InvalidArgumentError, "`k`"),
        (lambda b: b.add_at_least_all_but_one(["a", "new"], strength=math.inf), nq.InvalidArgumentError, "`strength`"),
    ],
)
def test_bad_input_is_rejected_and_changes_nothing(model: Bqm, call, exc, match: str) -> None:  # type: ignore[no-untyped-def]
    before = pickle.dumps(model)
    with pytest.raises(exc, match=match) as info:
        call(model)
    assert isinstance(info.value, nq.NeuroquantError) and isinstance(info.value, ValueError)
    assert pickle.dumps(model) == before


def test_unhashable_labels_change_nothing(model: Bqm) -> None:
    before = pickle.dumps(model)
    with pytest.raises(TypeError):
        model.add_equality([("new", 1.0), (["unhashable"], 1.0)], 1.0)
    with pytest.raises(TypeError):
        model.add_at_most_one(["new", {"x": 1}])
    assert pickle.dumps(model) == before


def test_penalties_on_a_spin_model_read_binary_values() -> None:
    """x = (s + 1) / 2: the penalty has the same value on the same assignment in either vartype."""
    spin, binary = Bqm("SPIN"), Bqm("BINARY")
    for m in (spin, binary):
        m.add_inequality({"a": 2.0, "b": 1.0, "c": 1.0}, 2.0, strength=1.5)
    rows = table(spin.num_variables, "SPIN")
    np.testing.assert_allclose(spin.energies(rows), binary.energies((rows + 1) // 2), rtol=0, atol=1e-12)
