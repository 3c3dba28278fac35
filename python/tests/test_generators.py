"""Problem generators against brute force: the exact ground state of each model (every assignment
evaluated with Bqm.energies, instances of at most 16 variables) decodes to the optimum found by
enumerating cuts, partitions, selections (DP), colourings, permutations and schedules here;
decode totals equal the model energy on every assignment; pickling; SPEC §5 bad input."""

import itertools
import pickle

import numpy as np
import pytest

import neuroquant as nq
from neuroquant.qubo import (
    Bqm,
    graph_coloring,
    hvac,
    knapsack,
    max_cut,
    number_partitioning,
    read_edge_list,
    tsp,
)

from _gil import hold_the_gil, ticks_during


def table(n: int, vartype: str = "BINARY") -> np.ndarray:
    bits = ((np.arange(2**n)[:, None] >> np.arange(n)) & 1).astype(np.int8)
    return bits if getattr(vartype, "name", vartype) == "BINARY" else (2 * bits - 1).astype(np.int8)


def ground_states(bqm: Bqm) -> tuple[np.ndarray, np.ndarray, float]:
    """(every assignment, its energy, the minimum), by enumeration."""
    assert bqm.num_variables <= 16
    rows = table(bqm.num_variables, bqm.vartype)
    e = bqm.energies(rows)
    return rows, e, float(e.min())


def minimisers(bqm: Bqm) -> np.ndarray:
    rows, e, best = ground_states(bqm)
    return rows[np.abs(e - best) <= 1e-9]


# ---- max-cut ----


def random_graph(n: int, m: int, seed: int) -> list[tuple[int, int, float]]:
    rng = np.random.default_rng(seed)
    edges = []
    while len(edges) < m:
        u, v = rng.integers(0, n, 2)
        if u != v:
            edges.append((int(u), int(v), float(rng.integers(-3, 6))))
    return edges


@pytest.mark.parametrize("seed", range(3))
def test_max_cut_ground_state_is_a_maximum_cut(seed: int) -> None:
    n, edges = 11, random_graph(11, 25, seed)
    mc = max_cut(n, edges)
    rows, e, best = ground_states(mc.bqm)
    cuts = sum(w * (rows[:, u] != rows[:, v]) for u, v, w in edges)
    np.testing.assert_allclose(-e, cuts, rtol=0, atol=1e-9)  # cut = -energy everywhere
    for gs in minimisers(mc.bqm)[:3]:
        cut = mc.decode(gs)
        assert cut.cut_value == cuts.max()
        assert cut.cut_edges == sum(gs[u] != gs[v] for u, v, _ in edges)
        np.testing.assert_array_equal(cut.side, gs)
    assert mc.bqm.variables == list(range(n)) and mc.num_nodes == n


def test_max_cut_edge_forms_agree() -> None:
    edges = random_graph(6, 9, 7)
    arr = np.array(edges)
    rows, cols, weights = arr[:, 0].astype(np.int64), arr[:, 1].astype(np.int32), arr[:, 2]
    text = f"6 {len(edges)}\n" + "".join(f"{u + 1} {v + 1} {w}\n" for u, v, w in edges)
    reference = max_cut(6, edges).bqm
    for g in (
        max_cut(6, arr),
        max_cut(6, (rows, cols, weights)),
        max_cut(6, [list(e) for e in edges]),
        max_cut(read_edge_list(text.encode())),
        max_cut(*read_edge_list(text.encode())),
    ):
        assert g.bqm == reference
    unweighted = max_cut(6, (rows, cols)).bqm
    assert unweighted == max_cut(6, [(u, v) for u, v, _ in edges]).bqm == max_cut(6, arr[:, :2].astype(int)).bqm
    assert unweighted == max_cut(6, [(u, v, 1.0) for u, v, _ in edges]).bqm


# ---- number partitioning ----


def test_number_partitioning_ground_state_is_the_best_split() -> None:
    numbers = [4.0, 7.0, 1.0, 9.0, 3.0, 6.0, 2.5, 5.5, 8.0, 11.0]
    np_ = number_partitioning(numbers)
    rows, e, best = ground_states(np_.bqm)
    diff = (rows * np.array(numbers)).sum(axis=1)  # spins: Σ a s = plus − minus
    np.testing.assert_allclose(e, diff**2, rtol=0, atol=1e-9)
    assert best == pytest.approx(np.min(diff**2), abs=1e-9)
    p = np_.decode(minimisers(np_.bqm)[0])
    assert p.difference**2 == pytest.approx(best, abs=1e-9)
    assert sorted(p.plus.tolist() + p.minus.tolist()) == list(range(len(numbers)))
    assert p.sum_plus == sum(numbers[i] for i in p.plus)
    np.testing.assert_array_equal(np_.numbers, numbers)


# ---- knapsack ----


def knapsack_dp(values: list[float], weights: list[int], capacity: int) -> float:
    best = [0.0] * (capacity + 1)
    for v, w in zip(values, weights):
        for c in range(capacity, w - 1, -1):
            best[c] = max(best[c], best[c - w] + v)
    return best[capacity]


@pytest.mark.parametrize(
    "values,weights,capacity,scale",
    [
        ([6.0, 5.0, 8.0, 9.0, 6.0, 7.0], [2, 3, 6, 7, 5, 4], 9, 1.0),
        ([3.0, -1.0, 4.0, 5.0, 2.0], [1, 2, 3, 4, 2], 6, 1.0),
        ([4.0, 2.0, 7.0, 3.0], [1, 3, 5, 2], 7, 0.5),  # weights 0.5, 1.5, 2.5, 1.0: resolution 0.5
    ],
)
def test_knapsack_ground_state_is_the_dp_optimum(values: list, weights: list, capacity: int, scale: float) -> None:
    k = knapsack(values, [w * scale for w in weights], capacity * scale + 0.2 * scale)
    assert k.resolution == scale
    rows, e, best = ground_states(k.bqm)
    optimum = knapsack_dp(values, weights, capacity)
    assert best == pytest.approx(-optimum, abs=1e-9)
    for gs in minimisers(k.bqm):
        s = k.decode(gs)
        assert s.feasible and s.value == pytest.approx(optimum) and s.penalty == pytest.approx(0.0, abs=1e-9)
    for row, energy in zip(rows[::7], e[::7]):  # decode accounts for the whole energy
        s = k.decode(row)
        assert -s.value + s.penalty == pytest.approx(energy, abs=1e-9)
        assert s.feasible == (s.weight <= k.capacity)
    n = len(values)
    assert k.bqm.variables[:n] == list(range(n))
    assert k.bqm.variables[n:] == list(k.slack_variables) == [("slack", i) for i in range(len(k.slack_variables))]
    assert k.penalty.slack_variables == k.slack_variables and k.penalty.auto_strength
    assert k.strength > k.strength_bound == max(values) / scale**2


# ---- graph colouring ----


def colouring_energy(rows: np.ndarray, n: int, k: int, edges: list, a: float, b: float) -> np.ndarray:
    x = rows.reshape(len(rows), n, k).astype(float)
    one_hot = ((x.sum(axis=2) - 1) ** 2).sum(axis=1)
    conflicts = sum((x[:, u, :] * x[:, v, :]).sum(axis=1) for u, v in edges)
    return a * one_hot + b * conflicts


@pytest.mark.parametrize(
    "n,edges,k",
    [
        (4, [(0, 1), (1, 2), (2, 3), (3, 0), (0, 2)], 3),  # colourable: chromatic number 3
        (3, [(0, 1), (1, 2), (0, 2)], 2),  # a triangle with two colours: one conflict at best
        (5, [(0, 1), (1, 2), (2, 3), (3, 4), (4, 0)], 3),  # odd cycle, 15 variables
    ],
)
def test_graph_coloring_ground_state_has_the_fewest_conflicts(n: int, edges: list, k: int) -> None:
    g = graph_coloring(n, edges, k)
    rows, e, best = ground_states(g.bqm)
    np.testing.assert_allclose(
        e, colouring_energy(rows, n, k, edges, g.one_hot_strength, g.conflict_strength), rtol=0, atol=1e-9
    )
    fewest = min(sum(c[u] == c[v] for u, v in edges) for c in itertools.product(range(k), repeat=n))
    assert best == pytest.approx(g.conflict_strength * fewest)
    for gs in minimisers(g.bqm):
        c = g.decode(gs)
        assert len(c.invalid_nodes) == 0 and len(c.conflicts) == fewest
        assert c.valid == (fewest == 0)
        for u, v, colour in c.conflicts.tolist():
            assert c.colors[u] == c.colors[v] == colour
    assert g.bqm.variables == [(v, c) for v in range(n) for c in range(k)]
    assert g.variable(n - 1, k - 1) == n * k - 1
    assert g.one_hot_strength > g.one_hot_bound


# ---- TSP ----


def test_tsp_ground_state_is_the_shortest_tour() -> None:
    rng = np.random.default_rng(3)
    d = rng.integers(1, 10, size=(4, 4)).astype(float)  # asymmetric
    np.fill_diagonal(d, 0.0)
    t = tsp(d)
    rows, e, best = ground_states(t.bqm)
    lengths = {p: sum(d[p[i], p[(i + 1) % 4]] for i in range(4)) for p in itertools.permutations(range(4))}
    shortest = min(lengths.values())
    assert best == pytest.approx(shortest)
    for gs in minimisers(t.bqm):
        tour = t.decode(gs)
        assert tour.valid and tour.length == pytest.approx(shortest) and tour.penalty == 0.0
        assert lengths[tuple(tour.tour.tolist())] == shortest
    # Every permutation's energy is its length; decode splits every energy exactly.
    for p, length in lengths.items():
        sample = np.zeros(16, dtype=np.int8)
        for pos, city in enumerate(p):
            sample[t.variable(city, pos)] = 1
        assert t.bqm.energy(sample) == pytest.approx(length)
    for row, energy in zip(rows[::97], e[::97]):
        tour = t.decode(row)
        assert tour.objective + tour.penalty == pytest.approx(energy, abs=1e-9)
    assert t.bqm.variables[5] == (1, 1) and t.strength > t.strength_bound == d.max()


# ---- HVAC ----


def hvac_costs(schedule: np.ndarray, data: dict, comfort: str) -> tuple[float, float]:
    """Energy and comfort cost of a Z × T schedule, from the definitions (independent of the core)."""
    p, q, w = (np.asarray(data[k], float) for k in ("rated_power_kw", "delivered_kwh", "comfort_weight"))
    price, hours = np.asarray(data["price_per_kwh"], float), data.get("slot_hours", 1.0)
    e0 = np.asarray(data.get("initial_imbalance_kwh", np.zeros(len(p))), float)
    d = np.asarray(data["demand_kwh"], float)
    energy = float((price[None, :] * p[:, None] * hours * schedule).sum())
    delivered = q[:, None] * schedule
    if comfort == "per_slot":
        b = delivered - d
        comfort_cost = float((w[:, None] * b**2).sum())
    elif comfort == "horizon":
        total_demand = d if d.ndim == 1 else d.sum(axis=1)
        b = e0 + delivered.sum(axis=1) - total_demand
        comfort_cost = float((w * b**2).sum())
    else:
        b = e0[:, None] + np.cumsum(delivered - d, axis=1)
        comfort_cost = float((w[:, None] * b**2).sum())
    return energy, comfort_cost


HVAC = dict(
    rated_power_kw=[2.0, 3.0],
    delivered_kwh=[1.0, 1.5],
    comfort_weight=[1.0, 0.8],
    demand_kwh=np.array([[1.0, 0.5, 1.5], [1.5, 1.5, 0.0]]),
    price_per_kwh=[0.3, 0.1, 0.2],
    peak_limit_kw=[4.0, 5.0, 3.0],
    initial_imbalance_kwh=[0.5, -1.0],
)


@pytest.mark.parametrize("comfort", ["cumulative", "per_slot", "horizon"])
def test_hvac_ground_state_is_the_constrained_optimum(comfort: str) -> None:
    data = dict(HVAC)
    if comfort == "horizon":
        data["demand_kwh"] = data["demand_kwh"].sum(axis=1)  # horizon totals
    h = hvac(**data, comfort=comfort)
    z, t = 2, 3
    assert h.bqm.variables[: z * t] == [(i, j) for i in range(z) for j in range(t)]
    assert list(h.slack_variables) == h.bqm.variables[z * t :]
    assert [s.constrained for s in h.peak_slots] == [True, False, True]
    assert h.peak_slots[0].slack_variables == tuple(("slack", 0, i) for i in range(3))
    rows, e, best = ground_states(h.bqm)
    # The constrained optimum by enumerating schedules.
    p, limit = np.array(HVAC["rated_power_kw"]), np.array(HVAC["peak_limit_kw"])
    optimum = np.inf
    for bits in itertools.product([0, 1], repeat=z * t):
        s = np.array(bits).reshape(z, t)
        if np.all((p[:, None] * s).sum(axis=0) <= limit):
            optimum = min(optimum, sum(hvac_costs(s, data, comfort)))
    assert best == pytest.approx(optimum, abs=1e-9)
    for gs in minimisers(h.bqm):
        sol = h.decode(gs)
        assert sol.feasible and sol.violations == () and sol.penalty == pytest.approx(0.0, abs=1e-9)
        energy, comfort_cost = hvac_costs(sol.schedule, data, comfort)
        assert (sol.energy_cost, sol.comfort_cost) == (pytest.approx(energy), pytest.approx(comfort_cost))
        np.testing.assert_array_equal(sol.schedule, gs[: z * t].reshape(z, t))
    for row, energy in zip(rows[::5], e[::5]):  # decode totals equal the model energy
        sol = h.decode(row)
        assert sol.total == pytest.approx(energy, abs=1e-9)
        assert sol.energy_cost + sol.comfort_cost + sol.penalty == pytest.approx(sol.total)
        power = (p[:, None] * sol.schedule).sum(axis=0)
        np.testing.assert_allclose(sol.slot_power_kw, power)
        assert [v.slot for v in sol.violations] == [i for i in range(t) if power[i] > limit[i]]
    assert h.variable(1, 2) == 5 and h.peak_strength > h.peak_strength_bound


def short_runs(s: np.ndarray, m: int, before: list[int]) -> int:
    """Runs that start and stop within the horizon after fewer than m slots, and locked units
    (on for fewer than m slots before it) switched off too early -- from the definition."""
    count = 0
    for z, row in enumerate(s):
        padded = [1] * before[z] + list(row)
        t = 0
        while t < len(padded):
            if padded[t]:
                length = next((k for k in range(t, len(padded)) if not padded[k]), len(padded)) - t
                if t + length < len(padded) and length < m:
                    count += 1
                t += length
            else:
                t += 1
    return count


def test_hvac_min_run_ground_state_is_the_constrained_optimum() -> None:
    data = dict(HVAC, min_run_slots=2, initial_run_slots=[1, 0], peak_limit_kw=[5.0, 5.0, 3.0])
    h = hvac(**data)
    z, t = 2, 3
    # `variables` is dimod's Variables (issue 10), which cannot slice tuple labels (dimod raises): read a list.
    assert list(h.bqm.variables)[-z * t :] == [("start", i, j) for i in range(z) for j in range(t)]
    assert h.min_run_strength > h.min_run_strength_bound > 0
    _, _, best = ground_states(h.bqm)
    p, limit = np.array(HVAC["rated_power_kw"]), np.array(data["peak_limit_kw"])
    optimum, unconstrained = np.inf, np.inf
    for bits in itertools.product([0, 1], repeat=z * t):
        s = np.array(bits).reshape(z, t)
        cost = sum(hvac_costs(s, data, "cumulative"))
        if np.all((p[:, None] * s).sum(axis=0) <= limit):
            unconstrained = min(unconstrained, cost)
            if short_runs(s, 2, [1, 0]) == 0:
                optimum = min(optimum, cost)
    assert optimum > unconstrained  # the constraint binds on this instance
    assert best == pytest.approx(optimum, abs=1e-9)
    for gs in minimisers(h.bqm):
        sol = h.decode(gs)
        assert sol.feasible and sol.min_run_violations == () and sol.min_run_penalty == pytest.approx(0.0, abs=1e-9)
    # A schedule with a locked unit off and a short run: both reported, both paid.
    x = np.zeros(len(h.bqm.variables), dtype=np.int8)
    x[h.variable(1, 0)] = 1
    sol = h.decode(x)
    assert {(v.zone, v.locked) for v in sol.min_run_violations} == {(0, True), (1, False)}
    assert sol.min_run_penalty >= 2 * h.min_run_strength
    assert sol.total == pytest.approx(h.bqm.energy(x)) and not sol.feasible
    again = pickle.loads(pickle.dumps(h))
    assert again.bqm.variables == h.bqm.variables and again.min_run_strength == h.min_run_strength


# ---- decode inputs, pickling, objects ----


def test_decode_accepts_mappings_and_array_likes() -> None:
    g = graph_coloring(2, [(0, 1)], 2)
    sample = [1, 0, 0, 1]
    want = g.decode(np.array(sample, dtype=np.int8))
    assert g.decode(sample) == want
    assert g.decode(dict(zip(g.bqm.variables, sample))) == want
    assert g.decode(np.array(sample, dtype=bool)) == want
    dimod = pytest.importorskip("dimod")
    ss = dimod.SampleSet.from_samples(dict(zip(g.bqm.variables, sample)), "BINARY", 0.0)
    assert g.decode(ss.first.sample) == want  # a dimod sample-set row


def generators() -> list:
    return [
        max_cut(4, [(0, 1, 2.0), (1, 2, 1.0), (2, 3, -1.0)]),
        number_partitioning([3.0, 1.0, 2.0]),
        knapsack([6.0, 5.0, 4.0], [3.0, 2.0, 2.0], 4.0, strength=20.0),
        graph_coloring(3, [(0, 1), (1, 2)], 2, one_hot_strength=5.0),
        tsp(np.array([[0.0, 1.0, 2.0], [1.0, 0.0, 3.0], [2.0, 3.0, 0.0]])),
        hvac(**HVAC, comfort="per_slot", peak_strength=40.0),
    ]


@pytest.mark.parametrize("g", generators(), ids=lambda g: type(g).__name__)
def test_generators_pickle_by_rebuilding(g) -> None:  # type: ignore[no-untyped-def]
    back = pickle.loads(pickle.dumps(g))
    assert type(back) is type(g) and back.bqm == g.bqm and back.bqm is not g.bqm
    assert g.bqm is g.bqm  # one model object per generator
    sample = np.random.default_rng(0).integers(0, 2, g.bqm.num_variables).astype(np.int8)
    if g.bqm.vartype.name == "SPIN":
        sample = 2 * sample - 1
    result = g.decode(sample)
    assert back.decode(sample) == result
    assert pickle.loads(pickle.dumps(result)) == result
    assert repr(result).startswith(type(result).__name__ + "(")
    with pytest.raises(AttributeError):
        g.bqm = None


def test_generator_attributes() -> None:
    mc, np_, k, gc, t, h = generators()
    rows, cols, weights = mc.edges
    assert rows.tolist() == [0, 1, 2] and weights.tolist() == [2.0, 1.0, -1.0]
    assert k.strength == 20.0 and not k.penalty.auto_strength and k.capacity == 4.0
    assert gc.one_hot_strength == 5.0 and gc.conflict_strength == 1.0 and gc.num_colors == 2
    np.testing.assert_array_equal(gc.edges[0], [0, 1])
    np.testing.assert_array_equal(t.distances, [[0.0, 1.0, 2.0], [1.0, 0.0, 3.0], [2.0, 3.0, 0.0]])
    assert (h.num_zones, h.num_slots, h.peak_strength, h.power_resolution_kw) == (2, 3, 40.0, 1.0)


# ---- SPEC §5: bad input names the argument ----


@pytest.mark.parametrize(
    "call,exc,match",
    [
        (lambda: max_cut(0, []), nq.InvalidArgumentError, "`num_nodes`: must be at least 1"),
        (lambda: max_cut(-1, []), nq.InvalidArgumentError, "`num_nodes`: must be >= 0"),
        (lambda: max_cut(3, [(0, 3)]), nq.IndexOutOfRangeError, "`edges`: index 3"),
        (lambda: max_cut(3, [(0, -1)]), nq.IndexOutOfRangeError, "index -1"),
        (lambda: max_cut(3, [(1, 1)]), nq.InvalidArgumentError, "self-loop"),
        (lambda: max_cut(3, [(0, 1, np.nan)]), nq.NonFiniteError, "`edges`"),
        (lambda: max_cut(3, [(0, 1.5)]), nq.InvalidArgumentError, "not an integer"),
        (lambda: max_cut(3, [(0, 1, 2, 3)]), nq.InvalidArgumentError, "edge 0 has 4 entries"),
        (lambda: max_cut(3, np.zeros((2, 4))), nq.InvalidArgumentError, "2 or 3 columns"),
        (lambda: max_cut(3, (np.array([0, 1]), np.array([1]))), nq.DimensionMismatchError, "`edges`"),
        (lambda: max_cut(3, (np.array([0.0]), np.array([1.0]))), nq.InvalidArgumentError, "dtype"),
        (lambda: max_cut(3), nq.InvalidArgumentError, "`edges`: is required"),
        (lambda: number_partitioning([]), nq.InvalidArgumentError, "`numbers`: must be at least 1"),
        (lambda: number_partitioning([1.0, np.inf]), nq.NonFiniteError, "`numbers`"),
        (lambda: number_partitioning([[1.0, 2.0]]), nq.InvalidArgumentError, "one-dimensional"),
        (lambda: number_partitioning(["a"]), nq.InvalidArgumentError, "`numbers`"),
        (lambda: knapsack([1.0, 2.0], [1.0], 1.0), nq.DimensionMismatchError, "`weights`"),
        (lambda: knapsack([1.0], [-1.0], 1.0), nq.InvalidArgumentError, "`weights`: element 0 is -1"),
        (lambda: knapsack([np.nan], [1.0], 1.0), nq.NonFiniteError, "`values`"),
        (lambda: knapsack([1.0], [1.0], -2.0), nq.InvalidArgumentError, "`capacity`"),
        (lambda: knapsack([1.0], [1.0], 1.0, strength=0.0), nq.InvalidArgumentError, "`strength`"),
        (lambda: knapsack([1.0], [1 / 3], 1.0), nq.InvalidArgumentError, "`resolution`"),
        (lambda: knapsack([1.0], [0.3], 1.0, resolution=0.2), nq.InvalidArgumentError, "not a multiple"),
        (lambda: graph_coloring(3, [(0, 1)], 0), nq.InvalidArgumentError, "`num_colors`"),
        (lambda: graph_coloring(3, [(0, 1, 2.0)], 2), nq.InvalidArgumentError, "unweighted"),
        (lambda: graph_coloring(3, [(0, 1)], 2, conflict_strength=-1.0), nq.InvalidArgumentError, "`conflict_strength`"),
        (lambda: tsp(np.ones((2, 3))), nq.InvalidArgumentError, "square"),
        (lambda: tsp(np.zeros((0, 0))), nq.InvalidArgumentError, "`num_cities`"),
        (lambda: tsp([[0.0, -1.0], [1.0, 0.0]]), nq.InvalidArgumentError, "`distances`: element 1 is -1"),
        (lambda: tsp([[0.0, np.nan], [1.0, 0.0]]), nq.NonFiniteError, "`distances`"),
        (lambda: tsp(np.ones(4)), nq.InvalidArgumentError, "two-dimensional"),
        (lambda: hvac(**{**HVAC, "delivered_kwh": [1.0]}), nq.DimensionMismatchError, "`delivered_kwh`"),
        (lambda: hvac(**{**HVAC, "demand_kwh": np.ones((3, 2))}), nq.DimensionMismatchError, r"shape \(3, 2\) does not match, expected \(2, 3\)"),
        (lambda: hvac(**{**HVAC, "demand_kwh": np.ones(2)}), nq.DimensionMismatchError, "`demand_kwh`"),
        (lambda: hvac(**HVAC, comfort="hourly"), nq.InvalidArgumentError, "`comfort`"),
        (lambda: hvac(**HVAC, slot_hours=0.0), nq.InvalidArgumentError, "`slot_hours`"),
        (lambda: hvac(**{**HVAC, "price_per_kwh": [0.1, -0.2, 0.3]}), nq.InvalidArgumentError, "`price_per_kwh`"),
        (lambda: hvac(**{**HVAC, "peak_limit_kw": [4.0, np.nan, 1.0]}), nq.NonFiniteError, "`peak_limit_kw`"),
        (lambda: hvac(**{**HVAC, "rated_power_kw": [2.0, 1 / 3]}), nq.InvalidArgumentError, "resolution"),
        (lambda: hvac(**HVAC, peak_strength=-1.0), nq.InvalidArgumentError, "`peak_strength`"),
    ],
)
def test_bad_generator_input_is_rejected(call, exc, match: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(exc, match=match) as info:
        call()
    assert isinstance(info.value, nq.NeuroquantError)


@pytest.mark.parametrize("g", generators(), ids=lambda g: type(g).__name__)
def test_bad_samples_are_rejected(g) -> None:  # type: ignore[no-untyped-def]
    n = g.bqm.num_variables
    wrong_value = 0 if g.bqm.vartype.name == "SPIN" else 2
    before = pickle.dumps(g.bqm)
    with pytest.raises(nq.DimensionMismatchError, match="`sample`"):
        g.decode(np.zeros(n + 1, dtype=np.int8))
    with pytest.raises(nq.InvalidArgumentError, match="`sample`"):
        g.decode(np.full(n, wrong_value, dtype=np.int8))
    with pytest.raises(nq.InvalidArgumentError, match="one sample"):
        g.decode(np.zeros((2, n), dtype=np.int8))
    # Float samples are read when exactly ±1/0 (as dimod reads them); others are refused.
    with pytest.raises(nq.InvalidArgumentError, match="not an exact spin or binary value"):
        g.decode(np.full(n, 0.5))
    labels = g.bqm.variables
    with pytest.raises(nq.InvalidArgumentError, match="missing variable"):
        g.decode({**{v: 1 for v in labels[1:]}, "other": 1})
    with pytest.raises(nq.DimensionMismatchError, match="`sample`"):
        g.decode({v: 1 for v in labels[1:]})
    assert pickle.dumps(g.bqm) == before


def test_index_accessors_reject_out_of_range() -> None:
    _, _, _, gc, t, h = generators()
    for call, match in (
        (lambda: gc.variable(3, 0), "`v`: index 3"),
        (lambda: gc.variable(0, -1), "`c`: index -1"),
        (lambda: t.variable(0, 3), "`position`"),
        (lambda: h.variable(2, 0), "`z`"),
        (lambda: h.variable(0, 3), "`t`"),
    ):
        with pytest.raises(nq.IndexOutOfRangeError, match=match):
            call()


# ---- the GIL is released around large builds ----


def test_large_builds_release_the_gil() -> None:
    assert ticks_during(hold_the_gil) == 0  # the negative control
    d = np.random.default_rng(1).uniform(1, 10, size=(40, 40))
    assert ticks_during(lambda: tsp(d)) > 0
    assert ticks_during(lambda: Bqm("BINARY").add_exactly_one(range(1500))) > 0
    big = tsp(d).bqm.to_buffer("dimodbqm")
    assert ticks_during(lambda: Bqm.from_buffer(big, "dimodbqm")) > 0
