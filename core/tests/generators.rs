//! Problem generators against answers computed independently in the test: max-cut by enumerating
//! cuts, number partitioning by enumerating splits, knapsack by dynamic programming, colouring by
//! backtracking and by enumerating colourings, TSP by enumerating permutations. Each model's
//! ground state (brute force over every assignment) must equal the domain optimum and decode to
//! a feasible answer; the decoders' energy parts must add up to the model's energy on every
//! assignment. SPEC §5 bad input.

use neuroquant::ErrorKind;
use neuroquant::qubo::generators::*;
use neuroquant::qubo::{Bqm, Vartype};
use proptest::prelude::*;

/// Every assignment of `n` variables in `vt`, row-major, variable 0 in the lowest bit.
fn assignments(vt: Vartype, n: usize) -> Vec<i8> {
    let [lo, hi] = vt.values();
    (0..1u32 << n)
        .flat_map(|m| (0..n).map(move |i| if m >> i & 1 == 1 { hi } else { lo }))
        .collect()
}

/// The energies of every assignment of `bqm` (at most 16 variables) and the lowest one with its
/// sample.
fn ground_state(bqm: &Bqm) -> (Vec<i8>, Vec<f64>, f64, Vec<i8>) {
    let n = bqm.num_variables();
    assert!(n <= 16, "{n} variables is too many to enumerate");
    let xs = assignments(bqm.vartype(), n);
    let e = bqm.energies_vec(&xs).unwrap();
    let k = (0..e.len()).fold(0, |b, i| if e[i] < e[b] { i } else { b });
    let best = xs[k * n..(k + 1) * n].to_vec();
    let min = e[k];
    (xs, e, min, best)
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * (1.0 + a.abs().max(b.abs()))
}

fn rejected<T: std::fmt::Debug>(r: neuroquant::Result<T>, kind: ErrorKind, needle: &str) {
    let e = r.expect_err("bad input must be rejected");
    assert_eq!(e.kind(), kind, "{e}");
    assert!(
        e.to_string().contains(needle),
        "'{e}' does not mention '{needle}'"
    );
}

// ---------------------------------------------------------------- max-cut

/// Independent oracle: the best cut by enumerating every side assignment.
fn best_cut(n: usize, edges: &[(u32, u32, f64)]) -> f64 {
    (0..1u32 << n)
        .map(|m| {
            edges
                .iter()
                .filter(|(u, v, _)| (m >> u & 1) != (m >> v & 1))
                .map(|e| e.2)
                .sum::<f64>()
        })
        .fold(f64::MIN, f64::max)
}

fn graph(max_nodes: usize) -> impl Strategy<Value = (usize, Vec<(u32, u32, f64)>)> {
    (2..=max_nodes).prop_flat_map(|n| {
        let edge = (0..n as u32, 0..n as u32, -3.0..5.0f64).prop_filter("no self-loops", |e| e.0 != e.1);
        (Just(n), prop::collection::vec(edge, 0..3 * n))
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn max_cut_ground_state_is_the_best_cut((n, edges) in graph(10)) {
        let mc = max_cut(n, &edges).unwrap();
        let (xs, e, min, best) = ground_state(mc.bqm());
        let want = best_cut(n, &edges);
        prop_assert!(close(-min, want), "ground {} vs best cut {}", -min, want);
        prop_assert!(close(mc.decode(&best).unwrap().cut_value, want));
        for (x, &e) in xs.chunks(n).zip(&e).step_by(7) {
            prop_assert!(close(mc.decode(x).unwrap().cut_value, -e));
        }
    }
}

#[test]
fn max_cut_known_graphs() {
    // Complete graph K_n with unit weights: ⌊n²/4⌋. Cycle C_n: n (even) or n − 1 (odd).
    for n in 2..=9usize {
        let k: Vec<_> = (0..n as u32)
            .flat_map(|u| (u + 1..n as u32).map(move |v| (u, v, 1.0)))
            .collect();
        let (_, _, min, best) = ground_state(max_cut(n, &k).unwrap().bqm());
        assert_eq!(-min, (n * n / 4) as f64);
        let cycle: Vec<_> = (0..n as u32).map(|u| (u, (u + 1) % n as u32, 1.0)).collect();
        let mc = max_cut(n, &cycle).unwrap();
        let (_, _, min, best_c) = ground_state(mc.bqm());
        let want = if n % 2 == 0 { n } else { n - 1 };
        assert_eq!(-min, want as f64, "C_{n}");
        assert_eq!(mc.decode(&best_c).unwrap().cut_edges, want);
        assert_eq!(best.len(), n);
    }
    // Repeated edges add up; an isolated graph has cut 0.
    let mc = max_cut(2, &[(0, 1, 1.5), (1, 0, 2.0)]).unwrap();
    assert_eq!(mc.bqm().energy(&[0i8, 1]).unwrap(), -3.5);
    assert_eq!(max_cut(3, &[]).unwrap().bqm().num_interactions(), 0);
}

#[test]
fn max_cut_bad_input() {
    use ErrorKind::*;
    rejected(max_cut(0, &[]), InvalidArgument, "`num_nodes`");
    rejected(max_cut(3, &[(0, 3, 1.0)]), IndexOutOfRange, "`edges`");
    rejected(
        max_cut(3, &[(0, 1, 1.0), (2, 2, 1.0)]),
        InvalidArgument,
        "self-loop",
    );
    rejected(max_cut(3, &[(0, 1, f64::NAN)]), NonFinite, "`edges`");
    let mc = max_cut(3, &[(0, 1, 1.0)]).unwrap();
    rejected(mc.decode(&[0i8, 1]), DimensionMismatch, "`sample`");
    rejected(mc.decode(&[0i8, 1, -1]), InvalidArgument, "`sample`");
}

// ---------------------------------------------------------------- number partitioning

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn partition_ground_state_is_the_best_split(numbers in prop::collection::vec(-20.0..50.0f64, 1..=10)) {
        let np = number_partitioning(&numbers).unwrap();
        prop_assert_eq!(np.bqm().vartype(), Vartype::Spin);
        let n = numbers.len();
        let want = (0..1u32 << n)
            .map(|m| numbers.iter().enumerate().map(|(i, a)| if m >> i & 1 == 1 { *a } else { -*a }).sum::<f64>().powi(2))
            .fold(f64::MAX, f64::min);
        let (_, _, min, best) = ground_state(np.bqm());
        let scale: f64 = numbers.iter().map(|a| a * a).sum::<f64>() * n as f64;
        prop_assert!((min - want).abs() <= 1e-9 * (1.0 + scale), "{} vs {}", min, want);
        let p = np.decode(&best).unwrap();
        prop_assert!((p.difference.powi(2) - want).abs() <= 1e-9 * (1.0 + scale));
        prop_assert_eq!(p.plus.len() + p.minus.len(), n);
    }
}

#[test]
fn perfect_partitions_have_zero_energy() {
    let np = number_partitioning(&[4.0, 5.0, 6.0, 7.0, 8.0]).unwrap();
    let (_, _, min, best) = ground_state(np.bqm());
    assert_eq!(min, 0.0);
    let p = np.decode(&best).unwrap();
    assert_eq!((p.sum_plus, p.sum_minus, p.difference), (15.0, 15.0, 0.0));
    rejected(number_partitioning(&[]), ErrorKind::InvalidArgument, "`numbers`");
    rejected(
        number_partitioning(&[1.0, f64::INFINITY]),
        ErrorKind::NonFinite,
        "`numbers`",
    );
    rejected(
        number_partitioning(&[1.0, 1e200, 1e200]),
        ErrorKind::NonFinite,
        "overflows",
    );
    rejected(
        np.decode(&[0i8, 1, 1, 1, 1]),
        ErrorKind::InvalidArgument,
        "`sample`",
    );
}

// ---------------------------------------------------------------- knapsack

/// Independent oracle: 0/1 knapsack by dynamic programming over integer weights.
fn knapsack_dp(values: &[f64], weights: &[u32], capacity: u32) -> f64 {
    let mut best = vec![0.0f64; capacity as usize + 1];
    for (&v, &w) in values.iter().zip(weights) {
        for c in (w as usize..=capacity as usize).rev() {
            best[c] = best[c].max(best[c - w as usize] + v);
        }
    }
    best[capacity as usize]
}

fn check_knapsack(values: &[f64], weights: &[u32], capacity: u32, unit: f64) {
    let w: Vec<f64> = weights.iter().map(|&w| w as f64 * unit).collect();
    let k = knapsack(values, &w, capacity as f64 * unit, None, None).unwrap();
    assert!(k.strength() > k.strength_bound());
    let want = knapsack_dp(values, weights, capacity);
    let n = values.len();
    let (xs, e, min, best) = ground_state(k.bqm());
    assert!(
        close(-min, want),
        "ground {} vs DP {want} ({values:?}, {weights:?}, {capacity})",
        -min
    );
    let s = k.decode(&best).unwrap();
    assert!(s.feasible && close(s.value, want) && s.penalty.abs() < 1e-9);
    assert!(s.weight <= capacity as f64 * unit + 1e-9);
    // Energy = −value + penalty on every assignment; zero penalty only when feasible.
    for (x, &e) in xs.chunks(k.bqm().num_variables()).zip(&e) {
        let s = k.decode(x).unwrap();
        assert!(
            close(-s.value + s.penalty, e),
            "{x:?}: {} + {} vs {e}",
            -s.value,
            s.penalty
        );
        let direct: f64 = (0..n).filter(|&i| x[i] == 1).map(|i| w[i]).sum();
        assert_eq!(s.feasible, direct <= capacity as f64 * unit + 1e-9);
        if s.penalty < 1e-9 * (1.0 + k.strength()) {
            assert!(s.feasible);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn knapsack_ground_state_is_the_dp_optimum(
        items in prop::collection::vec((0.0..20.0f64, 0u32..8), 1..=6),
        capacity in 0u32..20,
        unit in prop_oneof![Just(1.0), Just(0.5), Just(0.1), Just(3.0)],
    ) {
        let values: Vec<f64> = items.iter().map(|i| i.0).collect();
        let weights: Vec<u32> = items.iter().map(|i| i.1).collect();
        // Keep the slack small enough to enumerate: items + ⌊log₂ capacity⌋ + 1 <= 16.
        check_knapsack(&values, &weights, capacity, unit);
    }
}

#[test]
fn textbook_knapsack() {
    // values 60/100/120, weights 10/20/30, capacity 50 → 220 (items 1 and 2); resolution 10.
    let k = knapsack(&[60.0, 100.0, 120.0], &[10.0, 20.0, 30.0], 50.0, None, None).unwrap();
    assert_eq!(k.resolution(), 10.0);
    assert_eq!(k.slack_variables(), 3..6); // slack in [0, 5] units: weights 1, 2, 2
    assert_eq!(k.strength_bound(), 120.0 / 100.0);
    assert!(k.penalty().auto_strength);
    assert!(
        !knapsack(&[1.0], &[1.0], 0.5, Some(2.0), None)
            .unwrap()
            .penalty()
            .auto_strength
    );
    let (_, _, min, best) = ground_state(k.bqm());
    assert_eq!(min, -220.0);
    assert_eq!(k.decode(&best).unwrap().items, vec![1, 2]);
    // A capacity every selection respects adds no slack.
    let k = knapsack(&[1.0, 2.0], &[1.0, 1.0], 5.0, None, None).unwrap();
    assert!(k.slack_variables().is_empty() && k.penalty().always_satisfied);
    // A strength below the bound can make the ground state overweight.
    let k = knapsack(&[10.0, 10.0], &[1.0, 1.0], 1.0, Some(1.0), None).unwrap();
    let (_, _, _, best) = ground_state(k.bqm());
    assert!(!k.decode(&best).unwrap().feasible);
}

#[test]
fn knapsack_bad_input() {
    use ErrorKind::*;
    rejected(knapsack(&[], &[], 1.0, None, None), InvalidArgument, "`values`");
    rejected(
        knapsack(&[1.0], &[1.0, 2.0], 1.0, None, None),
        DimensionMismatch,
        "`weights`",
    );
    rejected(
        knapsack(&[f64::NAN], &[1.0], 1.0, None, None),
        NonFinite,
        "`values`",
    );
    rejected(
        knapsack(&[1.0], &[-1.0], 1.0, None, None),
        InvalidArgument,
        "`weights`",
    );
    rejected(
        knapsack(&[1.0], &[1.0], -1.0, None, None),
        InvalidArgument,
        "`capacity`",
    );
    rejected(
        knapsack(&[1.0], &[1.0], f64::INFINITY, None, None),
        NonFinite,
        "`capacity`",
    );
    rejected(
        knapsack(&[1.0], &[1.0], 1.0, Some(0.0), None),
        InvalidArgument,
        "`strength`",
    );
    rejected(
        knapsack(&[1.0], &[0.3], 1.0, None, Some(0.2)),
        InvalidArgument,
        "resolution",
    );
    rejected(
        knapsack(&[1.0], &[1.0 / 3.0], 1.0, None, None),
        InvalidArgument,
        "`resolution`",
    );
}

// ---------------------------------------------------------------- graph colouring

/// Independent oracle: whether a proper colouring exists, by backtracking.
fn colourable(n: usize, edges: &[(u32, u32)], k: usize) -> bool {
    fn go(v: usize, colour: &mut Vec<usize>, adj: &[Vec<usize>], k: usize) -> bool {
        if v == colour.len() {
            return true;
        }
        for c in 0..k {
            if adj[v].iter().all(|&u| u >= v || colour[u] != c) {
                colour[v] = c;
                if go(v + 1, colour, adj, k) {
                    return true;
                }
            }
        }
        false
    }
    let mut adj = vec![Vec::new(); n];
    for &(u, v) in edges {
        adj[u as usize].push(v as usize);
        adj[v as usize].push(u as usize);
    }
    go(0, &mut vec![0; n], &adj, k)
}

/// Independent oracle: the fewest conflicting edges over all K^n colourings.
fn fewest_conflicts(n: usize, edges: &[(u32, u32)], k: usize) -> usize {
    (0..k.pow(n as u32))
        .map(|m| {
            let colour = |v: u32| m / k.pow(v) % k;
            edges.iter().filter(|&&(u, v)| colour(u) == colour(v)).count()
        })
        .min()
        .unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn colouring_ground_state_has_the_fewest_conflicts(
        (n, k, edges) in (2usize..=5, 1usize..=3).prop_flat_map(|(n, k)| {
            let edge = (0..n as u32, 0..n as u32).prop_filter("no self-loops", |e| e.0 != e.1);
            (Just(n), Just(k), prop::collection::vec(edge, 0..=2 * n))
        }),
    ) {
        let g = graph_coloring(n, &edges, k, None, None).unwrap();
        let (xs, e, min, best) = ground_state(g.bqm());
        let fewest = fewest_conflicts(n, &edges, k);
        prop_assert_eq!(fewest == 0, colourable(n, &edges, k));
        prop_assert!(close(min, g.conflict_strength() * fewest as f64), "{} vs {}", min, fewest);
        let c = g.decode(&best).unwrap();
        prop_assert!(c.invalid_nodes.is_empty(), "the ground state must be one-hot");
        prop_assert_eq!(c.conflicts.len(), fewest);
        prop_assert_eq!(c.valid, fewest == 0);
        // Energy = A Σ (row − 1)² + B · conflicting (edge, colour) pairs, on every assignment.
        let a = g.one_hot_strength();
        for (x, &e) in xs.chunks(n * k).zip(&e).step_by(5) {
            let rows: f64 = x.chunks(k).map(|r| (r.iter().map(|&b| b as f64).sum::<f64>() - 1.0).powi(2)).sum();
            let pairs: usize = edges.iter().map(|&(u, v)| (0..k).filter(|&c| x[u as usize * k + c] == 1 && x[v as usize * k + c] == 1).count()).sum();
            prop_assert!(close(e, a * rows + g.conflict_strength() * pairs as f64));
        }
    }
}

#[test]
fn colouring_strengths_and_bad_input() {
    use ErrorKind::*;
    // A star with 3 leaves: Δ = 3, so A = 1.25 · 3.
    let g = graph_coloring(4, &[(0, 1), (0, 2), (0, 3)], 2, None, None).unwrap();
    assert_eq!(
        (g.one_hot_bound(), g.one_hot_strength(), g.conflict_strength()),
        (3.0, 3.75, 1.0)
    );
    assert_eq!(g.variable(2, 1).unwrap(), 5);
    rejected(g.variable(4, 0), IndexOutOfRange, "`v`");
    rejected(g.variable(0, 2), IndexOutOfRange, "`c`");
    let g = graph_coloring(2, &[], 2, None, Some(2.0)).unwrap();
    assert_eq!(g.one_hot_strength(), 1.0);
    rejected(
        graph_coloring(0, &[], 2, None, None),
        InvalidArgument,
        "`num_nodes`",
    );
    rejected(
        graph_coloring(2, &[], 0, None, None),
        InvalidArgument,
        "`num_colors`",
    );
    rejected(
        graph_coloring(2, &[(0, 2)], 2, None, None),
        IndexOutOfRange,
        "`edges`",
    );
    rejected(
        graph_coloring(2, &[(1, 1)], 2, None, None),
        InvalidArgument,
        "self-loop",
    );
    rejected(
        graph_coloring(2, &[], 2, Some(-1.0), None),
        InvalidArgument,
        "`one_hot_strength`",
    );
    rejected(
        graph_coloring(2, &[], 2, None, Some(f64::NAN)),
        InvalidArgument,
        "`conflict_strength`",
    );
    rejected(
        graph_coloring(1 << 20, &[], 1 << 10, None, None),
        LimitExceeded,
        "`num_colors`",
    );
}

// ---------------------------------------------------------------- TSP

/// Independent oracle: the shortest directed closed tour by enumerating permutations (city 0 first).
fn shortest_tour(n: usize, d: &[f64]) -> f64 {
    fn perms(rest: &mut Vec<usize>, k: usize, out: &mut Vec<Vec<usize>>) {
        if k == rest.len() {
            out.push(rest.clone());
        }
        for i in k..rest.len() {
            rest.swap(k, i);
            perms(rest, k + 1, out);
            rest.swap(k, i);
        }
    }
    let mut all = Vec::new();
    perms(&mut (1..n).collect(), 0, &mut all);
    all.iter()
        .map(|p| {
            let tour: Vec<usize> = std::iter::once(0).chain(p.iter().copied()).collect();
            (0..n)
                .map(|i| {
                    let (u, v) = (tour[i], tour[(i + 1) % n]);
                    if u == v { 0.0 } else { d[u * n + v] }
                })
                .sum::<f64>()
        })
        .fold(f64::MAX, f64::min)
}

fn check_tsp(n: usize, d: &[f64]) {
    let t = tsp(n, d, None).unwrap();
    let (xs, e, min, best) = ground_state(t.bqm());
    let want = shortest_tour(n, d);
    assert!(close(min, want), "ground {min} vs shortest tour {want}");
    let tour = t.decode(&best).unwrap();
    assert!(tour.valid);
    assert!(close(tour.length.unwrap(), want));
    let mut cities = tour.tour.clone().unwrap();
    cities.sort_unstable();
    assert_eq!(cities, (0..n as u32).collect::<Vec<_>>());
    // Energy = distance part + one-hot part, on every assignment; zero penalty iff a permutation.
    for (x, &e) in xs.chunks(n * n).zip(&e) {
        let tour = t.decode(x).unwrap();
        assert!(close(tour.objective + tour.penalty, e), "{x:?}");
        assert_eq!(tour.valid, tour.penalty == 0.0);
        if let Some(len) = tour.length {
            assert!(close(len, tour.objective));
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(12))]

    #[test]
    fn tsp_ground_state_is_the_shortest_tour(
        (n, d) in (1usize..=4).prop_flat_map(|n| (Just(n), prop::collection::vec(0.0..10.0f64, n * n))),
    ) {
        check_tsp(n, &d);
    }
}

#[test]
fn tsp_known_instance_and_bad_input() {
    use ErrorKind::*;
    // Four cities on a unit square (Euclidean): the perimeter, 4.
    let s = 2f64.sqrt();
    let d = [
        0.0, 1.0, s, 1.0, 1.0, 0.0, 1.0, s, s, 1.0, 0.0, 1.0, 1.0, s, 1.0, 0.0,
    ];
    check_tsp(4, &d);
    let t = tsp(4, &d, None).unwrap();
    assert_eq!((t.strength_bound(), t.strength()), (s, 1.25 * s));
    assert_eq!(t.bqm().num_variables(), 16);
    assert_eq!(t.variable(2, 3).unwrap(), 11);
    rejected(t.variable(4, 0), IndexOutOfRange, "`city`");
    rejected(t.variable(0, u32::MAX), IndexOutOfRange, "`position`");
    rejected(tsp(0, &[], None), InvalidArgument, "`num_cities`");
    rejected(tsp(2, &[0.0, 1.0, 1.0], None), DimensionMismatch, "`distances`");
    rejected(
        tsp(2, &[0.0, -1.0, 1.0, 0.0], None),
        InvalidArgument,
        "`distances`",
    );
    rejected(tsp(2, &[0.0, f64::NAN, 1.0, 0.0], None), NonFinite, "`distances`");
    rejected(
        tsp(2, &[0.0, 1.0, 1.0, 0.0], Some(f64::INFINITY)),
        InvalidArgument,
        "`strength`",
    );
    rejected(tsp(1000, &[], None), LimitExceeded, "`num_cities`");
    rejected(t.decode(&[0i8; 15]), DimensionMismatch, "`sample`");
}

/// Large models are merged in parallel inside the model builder; the result must not depend on
/// the number of threads (SPEC §6).
#[test]
fn large_builds_are_thread_count_independent() {
    let n = 24; // 2 · 24² · 23 pairs: above the parallel-merge threshold
    let d: Vec<f64> = (0..n * n).map(|i| ((i * 37) % 101) as f64 / 7.0).collect();
    let inp = HvacInput {
        rated_power_kw: (0..30).map(|z| 1.0 + (z % 4) as f64 * 0.5).collect(),
        delivered_kwh: vec![1.5; 30],
        comfort_weight: vec![0.7; 30],
        initial_imbalance_kwh: vec![],
        demand_kwh: (0..30 * 48).map(|i| (i % 5) as f64 * 0.4).collect(),
        price_per_kwh: (0..48).map(|t| 0.1 + (t % 7) as f64 * 0.03).collect(),
        peak_limit_kw: vec![20.0; 48],
        slot_hours: 0.5,
        comfort: ComfortModel::Cumulative,
        peak_strength: None,
        power_resolution_kw: None,
        ..Default::default()
    };
    let build = |threads: usize| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap()
            .install(|| {
                (
                    tsp(n, &d, None).unwrap().into_bqm(),
                    hvac(inp.clone()).unwrap().into_bqm(),
                )
            })
    };
    let (one, two) = (build(1), build(2));
    assert!(one.0.num_interactions() > 10_000 && one.1.num_interactions() > 30_000);
    assert_eq!(one, two);
}
