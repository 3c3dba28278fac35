//! Constraint penalties against brute force: over every assignment of small models, the penalty
//! (minimised over its slack variables) is zero exactly on the assignments an independent direct
//! evaluation of the constraint calls feasible, and at least the reported least violation
//! elsewhere; with the automatic strength the minimum of objective + penalty is feasible and
//! equals the constrained optimum found by enumeration. Coefficients against dimod's own output;
//! SPIN models against the BINARY values; SPEC §5 bad input.

use neuroquant::ErrorKind;
use neuroquant::qubo::penalty::{PenaltyReport, Sense, Strength, objective_range_bound};
use neuroquant::qubo::{Bqm, Vartype};
use proptest::prelude::*;

/// Every BINARY assignment of `n` variables, row-major, variable 0 in the lowest bit.
fn assignments(n: usize) -> Vec<i8> {
    (0..1u32 << n)
        .flat_map(|m| (0..n).map(move |i| (m >> i & 1) as i8))
        .collect()
}

fn to_spins(x: &[i8]) -> Vec<i8> {
    x.iter().map(|&b| 2 * b - 1).collect()
}

/// Relative tolerance for energies built from coefficients of magnitude `scale`.
fn tol(scale: f64) -> f64 {
    1e-9 * (1.0 + scale)
}

/// A constraint evaluated directly on the first variables of an assignment.
#[derive(Debug, Clone)]
enum Constraint {
    Eq(Vec<u32>, Vec<f64>, f64),
    Ineq(Vec<u32>, Vec<f64>, Sense, f64),
    LessEqual(u32, u32),
    GreaterEqual(u32, u32),
    AtMostOne(Vec<u32>),
    KHot(Vec<u32>, usize),
    AtLeastAllButOne(Vec<u32>),
}

impl Constraint {
    fn holds(&self, x: &[i8]) -> bool {
        let lhs = |vars: &[u32], coeffs: &[f64]| -> f64 {
            vars.iter()
                .zip(coeffs)
                .map(|(&v, &a)| a * x[v as usize] as f64)
                .sum()
        };
        let count = |vars: &[u32]| vars.iter().filter(|&&v| x[v as usize] == 1).count();
        // Constraint data are multiples of a resolution >= 0.1 here, so 1e-9 separates exactly.
        match self {
            Constraint::Eq(v, a, b) => (lhs(v, a) - b).abs() < 1e-9,
            Constraint::Ineq(v, a, Sense::Le, b) => lhs(v, a) <= b + 1e-9,
            Constraint::Ineq(v, a, Sense::Ge, b) => lhs(v, a) >= b - 1e-9,
            Constraint::LessEqual(a, b) => x[*a as usize] <= x[*b as usize],
            Constraint::GreaterEqual(a, b) => x[*a as usize] >= x[*b as usize],
            Constraint::AtMostOne(v) => count(v) <= 1,
            Constraint::KHot(v, k) => count(v) == *k,
            Constraint::AtLeastAllButOne(v) => count(v) + 1 >= v.len(),
        }
    }

    fn add(&self, bqm: &mut Bqm, strength: Strength) -> neuroquant::Result<PenaltyReport> {
        match self {
            Constraint::Eq(v, a, b) => bqm.add_linear_equality(v, a, *b, strength, None),
            Constraint::Ineq(v, a, s, b) => bqm.add_linear_inequality(v, a, *s, *b, strength, None),
            Constraint::LessEqual(a, b) => bqm.add_less_equal(*a, *b, strength),
            Constraint::GreaterEqual(a, b) => bqm.add_greater_equal(*a, *b, strength),
            Constraint::AtMostOne(v) => bqm.add_at_most_one(v, strength),
            Constraint::KHot(v, k) => bqm.add_k_hot(v, *k, strength),
            Constraint::AtLeastAllButOne(v) => bqm.add_at_least_all_but_one(v, strength),
        }
    }
}

/// For every assignment `x` of the first `n` variables: the least energy over the remaining
/// (slack) variables of `bqm`, in `bqm`'s vartype.
fn min_over_slack(bqm: &Bqm, n: usize) -> Vec<f64> {
    let total = bqm.num_variables();
    assert!(total <= 16, "{total} variables is too many to enumerate");
    let mut samples = assignments(total);
    if bqm.vartype() == Vartype::Spin {
        samples = to_spins(&samples);
    }
    let e = bqm.energies_vec(&samples).unwrap();
    let mut best = vec![f64::INFINITY; 1 << n];
    for (m, &e) in e.iter().enumerate() {
        let x = m & ((1 << n) - 1);
        best[x] = best[x].min(e);
    }
    best
}

/// Checks the penalty of `c` alone on an empty model of `n` variables of vartype `vt`.
fn check_penalty_alone(c: &Constraint, n: usize, vt: Vartype, strength: f64) {
    let mut bqm = Bqm::with_variables(vt, n).unwrap();
    let report = match c.add(&mut bqm, Strength::Fixed(strength)) {
        Ok(r) => r,
        Err(e) => {
            // Only a constraint no assignment satisfies may be rejected.
            let xs = assignments(n);
            assert!(
                xs.chunks(n).all(|x| !c.holds(x)),
                "{c:?} rejected but satisfiable: {e}"
            );
            assert_eq!(e.kind(), ErrorKind::InvalidArgument);
            return;
        }
    };
    assert_eq!(report.strength, strength);
    assert_eq!(report.slack_variables.start as usize, n);
    assert_eq!(report.slack_variables.end as usize, bqm.num_variables());
    let gap = report
        .min_violation_penalty
        .expect("these constraints have a resolution");
    let best = min_over_slack(&bqm, n);
    for (m, x) in assignments(n).chunks(n).enumerate() {
        let scale = strength * 100.0;
        if c.holds(x) {
            assert!(
                best[m].abs() <= tol(scale),
                "{c:?} {vt}: feasible {x:?} pays {}",
                best[m]
            );
        } else {
            assert!(
                best[m] >= gap - tol(scale),
                "{c:?} {vt}: infeasible {x:?} pays {} < {gap}",
                best[m]
            );
        }
    }
    if report.always_satisfied {
        assert!(assignments(n).chunks(n).all(|x| c.holds(x)));
        assert_eq!(bqm, Bqm::with_variables(vt, n).unwrap());
    }
}

/// With an objective and the automatic strength, the minimum over everything is feasible and
/// equals the constrained optimum by enumeration.
fn check_auto_strength(objective: &Bqm, constraints: &[Constraint]) {
    let n = objective.num_variables();
    let xs = assignments(n);
    let f = objective.energies_vec(&xs).unwrap();
    let feasible: Vec<bool> = xs
        .chunks(n)
        .map(|x| constraints.iter().all(|c| c.holds(x)))
        .collect();
    let optimum = f
        .iter()
        .zip(&feasible)
        .filter(|(_, ok)| **ok)
        .map(|(e, _)| *e)
        .fold(f64::INFINITY, f64::min);
    let mut bqm = objective.clone();
    let strength = match constraints.len() {
        1 => Strength::Auto,
        _ => Strength::Dominate {
            objective_range: objective_range_bound(objective).unwrap(),
        },
    };
    for c in constraints {
        if c.add(&mut bqm, strength).is_err() {
            assert!(
                optimum.is_infinite(),
                "{c:?} rejected but the problem is feasible"
            );
            return;
        }
    }
    if optimum.is_infinite() {
        return; // infeasible, but not detectably so: nothing to compare
    }
    let best = min_over_slack(&bqm, n);
    let (arg, min) = best.iter().enumerate().fold(
        (0, f64::INFINITY),
        |(a, m), (i, &e)| if e < m { (i, e) } else { (a, m) },
    );
    let scale = objective_range_bound(&bqm).unwrap();
    assert!(
        feasible[arg],
        "minimiser {:?} is infeasible",
        &xs[arg * n..(arg + 1) * n]
    );
    assert!(
        (min - optimum).abs() <= tol(scale),
        "min {min} != constrained optimum {optimum}"
    );
}

fn objective_strategy(n: usize) -> impl Strategy<Value = Bqm> {
    (
        prop::collection::vec(-5.0..5.0f64, n),
        prop::collection::vec((0..n as u32, 0..n as u32, -5.0..5.0f64), 0..3 * n),
    )
        .prop_map(move |(lin, pairs)| {
            let mut bqm = Bqm::with_variables(Vartype::Binary, n).unwrap();
            bqm.add_linear_from(&lin).unwrap();
            for (u, v, b) in pairs {
                bqm.add_quadratic(u, v, b).unwrap();
            }
            bqm
        })
}

/// A random constraint on `n` variables; linear ones have coefficients that are integer multiples
/// of a unit in {0.1, 0.5, 1, 2}, and the rhs is near the range of the left-hand side.
fn constraint_strategy(n: usize) -> impl Strategy<Value = Constraint> {
    let unit = prop_oneof![Just(0.1), Just(0.5), Just(1.0), Just(2.0)];
    let terms = prop::collection::vec((0..n as u32, -4i32..=4), 1..=n + 1);
    let linear = (unit, terms, -12i32..=12, 0u8..4).prop_map(|(r, terms, b, kind)| {
        let vars: Vec<u32> = terms.iter().map(|t| t.0).collect();
        let coeffs: Vec<f64> = terms.iter().map(|t| t.1 as f64 * r).collect();
        match kind {
            0 => Constraint::Eq(vars, coeffs, b as f64 * r),
            1 => Constraint::Ineq(vars, coeffs, Sense::Le, b as f64 * r),
            2 => Constraint::Ineq(vars, coeffs, Sense::Ge, b as f64 * r),
            // A bound that is not a multiple of the unit: tightened by floor/ceil.
            _ => Constraint::Ineq(vars, coeffs, Sense::Le, (b as f64 + 0.37) * r),
        }
    });
    let subset = Just((0..n as u32).collect::<Vec<_>>()).prop_shuffle();
    let set = (subset, 0..=n).prop_map(|(v, k)| v[..k].to_vec());
    let pair = (0..n as u32, 0..n as u32).prop_filter("distinct", |(a, b)| a != b);
    prop_oneof![
        4 => linear,
        1 => pair.clone().prop_map(|(a, b)| Constraint::LessEqual(a, b)),
        1 => pair.prop_map(|(a, b)| Constraint::GreaterEqual(a, b)),
        1 => set.clone().prop_map(Constraint::AtMostOne),
        1 => (set.clone(), 0..=n).prop_map(|(v, k)| { let k = k.min(v.len()); Constraint::KHot(v, k) }),
        1 => set.prop_map(Constraint::AtLeastAllButOne),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn penalties_vanish_exactly_on_feasible_assignments(
        (n, c) in (2usize..=6).prop_flat_map(|n| (Just(n), constraint_strategy(n))),
        strength in 0.5..20.0f64,
        spin in any::<bool>(),
    ) {
        let vt = if spin { Vartype::Spin } else { Vartype::Binary };
        check_penalty_alone(&c, n, vt, strength);
    }

    #[test]
    fn auto_strength_gives_the_constrained_optimum(
        (obj, c) in (2usize..=6).prop_flat_map(|n| (objective_strategy(n), constraint_strategy(n))),
    ) {
        check_auto_strength(&obj, &[c]);
    }

    #[test]
    fn one_dominating_strength_serves_several_constraints(
        (obj, cs) in (2usize..=5).prop_flat_map(|n| (objective_strategy(n), prop::collection::vec(constraint_strategy(n), 2..=3))),
    ) {
        check_auto_strength(&obj, &cs);
    }

    /// The same penalty has the same value on the same assignment in both vartypes.
    #[test]
    fn spin_models_get_the_binary_penalty(
        (n, c) in (2usize..=5).prop_flat_map(|n| (Just(n), constraint_strategy(n))),
    ) {
        let mut bin = Bqm::with_variables(Vartype::Binary, n).unwrap();
        let mut spin = Bqm::with_variables(Vartype::Spin, n).unwrap();
        let (rb, rs) = (c.add(&mut bin, Strength::Fixed(3.0)), c.add(&mut spin, Strength::Fixed(3.0)));
        prop_assert_eq!(rb.is_ok(), rs.is_ok());
        if rb.is_ok() {
            prop_assert_eq!(rb.unwrap(), rs.unwrap());
            let xs = assignments(bin.num_variables());
            let eb = bin.energies_vec(&xs).unwrap();
            let es = spin.energies_vec(&to_spins(&xs)).unwrap();
            for (a, b) in eb.iter().zip(&es) {
                prop_assert!((a - b).abs() <= tol(100.0), "{} vs {}", a, b);
            }
        }
    }
}

/// The exact penalty formula `P (a·x − b)²`, checked assignment by assignment.
#[test]
fn equality_is_the_squared_residual() {
    let (vars, coeffs, rhs, p) = ([0u32, 2, 3], [1.5, -0.5, 2.0], 1.5, 4.0);
    let mut bqm = Bqm::with_variables(Vartype::Binary, 4).unwrap();
    let report = bqm
        .add_linear_equality(&vars, &coeffs, rhs, Strength::Fixed(p), None)
        .unwrap();
    assert_eq!(report.resolution, Some(0.5));
    assert_eq!(report.min_violation_penalty, Some(p * 0.25));
    for x in assignments(4).chunks(4) {
        let lhs: f64 = vars
            .iter()
            .zip(&coeffs)
            .map(|(&v, a)| a * x[v as usize] as f64)
            .sum();
        assert!((bqm.energy(x).unwrap() - p * (lhs - rhs).powi(2)).abs() < 1e-12);
    }
}

/// dimod 0.12.23: `add_linear_inequality_constraint([(0, 3), (1, 5), (2, 2)], 2.0, "c", ub=7)`.
#[test]
fn inequality_matches_dimod() {
    let mut bqm = Bqm::with_variables(Vartype::Binary, 3).unwrap();
    let report = bqm
        .add_linear_inequality(
            &[0, 1, 2],
            &[3.0, 5.0, 2.0],
            Sense::Le,
            7.0,
            Strength::Fixed(2.0),
            None,
        )
        .unwrap();
    assert_eq!(report.slack_variables, 3..6);
    assert_eq!(report.slack_coefficients, vec![1.0, 2.0, 4.0]);
    assert_eq!(bqm.linear(), &[-66.0, -90.0, -48.0, -26.0, -48.0, -80.0]);
    let dimod_pairs = [
        (0, 1, 60.0),
        (0, 2, 24.0),
        (1, 2, 40.0),
        (0, 3, 12.0),
        (1, 3, 20.0),
        (2, 3, 8.0),
        (0, 4, 24.0),
        (1, 4, 40.0),
        (2, 4, 16.0),
        (3, 4, 8.0),
        (0, 5, 48.0),
        (1, 5, 80.0),
        (2, 5, 32.0),
        (3, 5, 16.0),
        (4, 5, 32.0),
    ];
    assert_eq!(bqm.num_interactions(), dimod_pairs.len());
    for (u, v, b) in dimod_pairs {
        assert_eq!(bqm.quadratic(u, v).unwrap(), Some(b), "({u}, {v})");
    }
    assert_eq!(bqm.offset(), 98.0);
}

/// qiskit's bounded-coefficient slack on a knapsack-like `≥` with decimal weights.
#[test]
fn decimal_inequalities_use_the_detected_resolution() {
    let mut bqm = Bqm::with_variables(Vartype::Binary, 3).unwrap();
    // 0.25 x0 + 0.5 x1 + 0.75 x2 >= 0.6  ⇔  x0 + 2 x1 + 3 x2 >= 3 (units of 0.25, ceil(2.4) = 3)
    let r = bqm
        .add_linear_inequality(
            &[0, 1, 2],
            &[0.25, 0.5, 0.75],
            Sense::Ge,
            0.6,
            Strength::Fixed(1.0),
            None,
        )
        .unwrap();
    assert_eq!(r.resolution, Some(0.25));
    // lhs in units ranges over [0, 6]; slack = lhs − 3 in [0, 3]: weights 1, 2 (in units).
    assert_eq!(r.slack_coefficients, vec![0.25, 0.5]);
    assert_eq!(r.min_violation_penalty, Some(0.0625));
    check_penalty_alone(
        &Constraint::Ineq(vec![0, 1, 2], vec![0.25, 0.5, 0.75], Sense::Ge, 0.6),
        3,
        Vartype::Binary,
        1.0,
    );
    // An explicit resolution must divide every coefficient.
    let before = bqm.clone();
    let e = bqm
        .add_linear_inequality(&[0, 1], &[0.25, 0.5], Sense::Le, 1.0, Strength::Auto, Some(0.5))
        .unwrap_err();
    assert!(
        e.to_string().contains("not a multiple of the resolution 0.5"),
        "{e}"
    );
    assert_eq!(bqm, before);
    // Coefficients without a decimal resolution: inequalities need one, equalities with a fixed
    // strength do not.
    let third = 1.0 / 3.0;
    let e = bqm
        .add_linear_inequality(&[0, 1], &[third, 1.0], Sense::Le, 1.0, Strength::Fixed(1.0), None)
        .unwrap_err();
    assert!(e.to_string().contains("`resolution`"), "{e}");
    assert!(
        bqm.add_linear_equality(&[0, 1], &[third, 1.0], 1.0, Strength::Auto, None)
            .is_err()
    );
    assert_eq!(bqm, before);
    let r = bqm
        .add_linear_inequality(
            &[0, 1],
            &[third, 1.0],
            Sense::Le,
            1.0,
            Strength::Fixed(1.0),
            Some(third),
        )
        .unwrap();
    assert_eq!(r.slack_coefficients.len(), 2); // units 1 and 3, slack in [0, 3]
    let r = bqm
        .add_linear_equality(&[0, 1], &[third, 1.0], 1.0, Strength::Fixed(2.0), None)
        .unwrap();
    assert_eq!((r.resolution, r.min_violation_penalty), (None, None));
}

#[test]
fn trivial_constraints_add_nothing() {
    let mut bqm = Bqm::with_variables(Vartype::Binary, 3).unwrap();
    bqm.add_linear(0, 1.0).unwrap();
    let before = bqm.clone();
    let cases: Vec<PenaltyReport> = vec![
        bqm.add_linear_inequality(&[0, 1], &[1.0, 2.0], Sense::Le, 3.0, Strength::Auto, None)
            .unwrap(),
        bqm.add_linear_inequality(&[0, 1], &[1.0, 2.0], Sense::Ge, -0.5, Strength::Auto, None)
            .unwrap(),
        bqm.add_linear_equality(&[0, 0], &[1.0, -1.0], 0.0, Strength::Auto, None)
            .unwrap(),
        bqm.add_at_most_one(&[2], Strength::Auto).unwrap(),
        bqm.add_at_least_all_but_one(&[1], Strength::Auto).unwrap(),
        bqm.add_k_hot(&[], 0, Strength::Auto).unwrap(),
    ];
    for r in cases {
        assert!(r.always_satisfied, "{r:?}");
        assert!(r.slack_variables.is_empty());
        assert_eq!(r.strength, 2.0); // 1 + W with W = |1.0|
    }
    assert_eq!(bqm, before);
    // A zero-range slack becomes an equality without slack: x0 + x1 <= 0.
    let r = bqm
        .add_linear_inequality(&[0, 1], &[1.0, 1.0], Sense::Le, 0.0, Strength::Fixed(1.0), None)
        .unwrap();
    assert!(r.slack_variables.is_empty() && !r.always_satisfied);
    assert_eq!(bqm.energy(&[1i8, 1, 0]).unwrap(), 1.0 + 4.0);
}

#[test]
fn auto_strength_is_qiskits_rule() {
    let mut bqm = Bqm::with_variables(Vartype::Binary, 3).unwrap();
    bqm.add_linear_from(&[2.0, -3.0, 0.0]).unwrap();
    bqm.add_quadratic(0, 2, -1.5).unwrap();
    let w = 2.0 + 3.0 + 1.5;
    let r = bqm.clone().add_exactly_one(&[0, 1, 2], Strength::Auto).unwrap();
    assert_eq!(
        (r.strength, r.auto_strength, r.min_violation_penalty),
        (1.0 + w, true, Some(1.0 + w))
    );
    // Resolution 0.5: the least violation is 0.25 units², so the strength is (1 + W) / 0.25.
    let r = bqm
        .clone()
        .add_linear_equality(&[0, 1], &[0.5, 1.0], 0.5, Strength::Auto, None)
        .unwrap();
    assert_eq!(r.strength, (1.0 + w) * 4.0);
    assert_eq!(r.min_violation_penalty, Some(1.0 + w));
    // A SPIN term spans twice its bias.
    bqm.change_vartype(Vartype::Spin).unwrap();
    let ws = objective_range_bound(&bqm).unwrap();
    let spin_w = 2.0 * (bqm.linear().iter().map(|a| a.abs()).sum::<f64>() + 1.5 / 4.0);
    assert!((ws - spin_w).abs() < 1e-12);
}

// ---- SPEC §5: bad input is rejected with the argument named, and the model is unchanged. ----

fn rejected(
    bqm: &mut Bqm,
    kind: ErrorKind,
    needle: &str,
    f: impl FnOnce(&mut Bqm) -> neuroquant::Result<PenaltyReport>,
) {
    let before = bqm.clone();
    let e = f(bqm).expect_err("bad input must be rejected");
    assert_eq!(e.kind(), kind, "{e}");
    assert!(
        e.to_string().contains(needle),
        "'{e}' does not mention '{needle}'"
    );
    assert_eq!(*bqm, before, "the model changed on error: {e}");
}

#[test]
fn bad_input_is_rejected_and_changes_nothing() {
    use ErrorKind::*;
    let mut bqm = Bqm::with_variables(Vartype::Binary, 3).unwrap();
    bqm.add_quadratic(0, 1, 1.0).unwrap();
    let b = &mut bqm;
    let fixed = Strength::Fixed(1.0);
    rejected(b, IndexOutOfRange, "`vars`", |b| {
        b.add_linear_equality(&[0, 3], &[1.0, 1.0], 1.0, fixed, None)
    });
    rejected(b, DimensionMismatch, "`coeffs`", |b| {
        b.add_linear_equality(&[0, 1], &[1.0], 1.0, fixed, None)
    });
    rejected(b, NonFinite, "`coeffs`", |b| {
        b.add_linear_equality(&[0], &[f64::NAN], 1.0, fixed, None)
    });
    rejected(b, NonFinite, "`rhs`", |b| {
        b.add_linear_inequality(&[0], &[1.0], Sense::Le, f64::INFINITY, fixed, None)
    });
    rejected(b, InvalidArgument, "`strength`", |b| {
        b.add_linear_equality(&[0], &[1.0], 1.0, Strength::Fixed(-1.0), None)
    });
    rejected(b, InvalidArgument, "`strength`", |b| {
        b.add_at_most_one(&[0, 1], Strength::Fixed(f64::NAN))
    });
    rejected(b, InvalidArgument, "`strength`", |b| {
        b.add_less_equal(0, 1, Strength::Fixed(0.0))
    });
    rejected(b, InvalidArgument, "`strength`", |b| {
        b.add_k_hot(
            &[0, 1],
            1,
            Strength::Dominate {
                objective_range: f64::NAN,
            },
        )
    });
    rejected(b, InvalidArgument, "`resolution`", |b| {
        b.add_linear_inequality(&[0], &[1.0], Sense::Le, 1.0, fixed, Some(0.0))
    });
    rejected(b, InvalidArgument, "`resolution`", |b| {
        b.add_linear_equality(&[0], &[1.0], 1.0, fixed, Some(f64::NAN))
    });
    // Constraints no assignment satisfies.
    rejected(b, InvalidArgument, "no assignment", |b| {
        b.add_linear_equality(&[0, 1], &[1.0, 1.0], 3.0, fixed, None)
    });
    rejected(b, InvalidArgument, "no assignment", |b| {
        b.add_linear_equality(&[0, 1], &[2.0, 2.0], 3.0, fixed, None)
    });
    rejected(b, InvalidArgument, "no assignment", |b| {
        b.add_linear_equality(&[], &[], 1.0, fixed, None)
    });
    rejected(b, InvalidArgument, "no assignment", |b| {
        b.add_linear_inequality(&[0, 1], &[1.0, 1.0], Sense::Ge, 2.5, fixed, None)
    });
    rejected(b, InvalidArgument, "no assignment", |b| {
        b.add_linear_inequality(&[0, 1], &[-1.0, 1.0], Sense::Le, -1.5, fixed, None)
    });
    rejected(b, InvalidArgument, "`k`", |b| b.add_k_hot(&[0, 1], 3, fixed));
    rejected(b, InvalidArgument, "no assignment", |b| {
        b.add_exactly_one(&[], fixed)
    });
    // Sets must be sets; pairs must be pairs.
    rejected(b, InvalidArgument, "appears twice", |b| {
        b.add_at_most_one(&[0, 1, 0], fixed)
    });
    rejected(b, InvalidArgument, "appears twice", |b| {
        b.add_k_hot(&[2, 2], 1, fixed)
    });
    rejected(b, IndexOutOfRange, "`vars`", |b| {
        b.add_at_least_all_but_one(&[0, 5], fixed)
    });
    rejected(b, InvalidArgument, "distinct", |b| b.add_less_equal(1, 1, fixed));
    rejected(b, IndexOutOfRange, "`y`", |b| b.add_greater_equal(0, 3, fixed));
    // Sizes: too many pairs for one penalty, too many units for exact slack arithmetic.
    let mut wide = Bqm::with_variables(Vartype::Binary, 20_000).unwrap();
    let all: Vec<u32> = (0..20_000).collect();
    rejected(&mut wide, LimitExceeded, "`vars`", |b| {
        b.add_at_most_one(&all, fixed)
    });
    rejected(b, LimitExceeded, "`coeffs`", |b| {
        b.add_linear_inequality(&[0, 1], &[1.0, 3e15], Sense::Le, 1.0, fixed, None)
    });
    // Overflow while expanding: the model is unchanged.
    rejected(b, NonFinite, "overflows", |b| {
        b.add_linear_equality(&[0, 1], &[1.0, 2.0], 1.0, Strength::Fixed(1e308), None)
    });
}

#[test]
fn spin_models_keep_spin_slack() {
    let mut bqm = Bqm::with_variables(Vartype::Spin, 2).unwrap();
    let r = bqm
        .add_linear_inequality(&[0, 1], &[1.0, 1.0], Sense::Le, 1.0, Strength::Fixed(1.0), None)
        .unwrap();
    assert_eq!(bqm.vartype(), Vartype::Spin);
    assert_eq!(r.slack_variables, 2..3);
    // x = (1, 0), slack z = 0 (spin −1): feasible and exact.
    assert_eq!(bqm.energy(&[1i8, -1, -1]).unwrap(), 0.0);
    assert_eq!(bqm.energy(&[1i8, 1, -1]).unwrap(), 1.0);
}

// ---- dimod's add_linear_inequality_constraint (DimodInequalityPlan + add_dimod_inequality) ----

mod dimod_inequality {
    use super::assignments;
    use neuroquant::ErrorKind;
    use neuroquant::qubo::penalty::{DimodInequalityAction, DimodInequalityPlan, DimodPenalization};
    use neuroquant::qubo::{Bqm, Vartype};

    const NO_LB: f64 = i64::MIN as f64;

    /// Adds the constraint on variables 0..coeffs.len() of a fresh BINARY model with the plan's
    /// slack variables after them; returns the model and the number of slack variables.
    fn build(coeffs: &[f64], constant: f64, lb: f64, ub: f64, cross_zero: bool) -> (Bqm, usize) {
        let plan = DimodInequalityPlan::new(coeffs, constant, lb, ub, cross_zero).unwrap();
        let n = coeffs.len();
        let slack = match &plan.action {
            DimodInequalityAction::Slack { coefficients, .. } => coefficients.len(),
            _ => 0,
        };
        let mut bqm = Bqm::with_variables(Vartype::Binary, n + slack).unwrap();
        let vars: Vec<u32> = (0..n as u32).collect();
        let slack_vars: Vec<u32> = (n as u32..(n + slack) as u32).collect();
        bqm.add_dimod_inequality(&vars, coeffs, DimodPenalization::Slack(1.0), &plan, &slack_vars)
            .unwrap();
        (bqm, slack)
    }

    /// Brute force: the penalty minimised over the slack is zero exactly where
    /// lb <= Σ c x + constant <= ub (within what the terms can reach), positive elsewhere.
    #[test]
    fn penalty_is_zero_exactly_on_feasible_assignments() {
        let cases: &[(&[f64], f64, f64, f64)] = &[
            (&[1.0, 1.0, 1.0], 0.0, NO_LB, 2.0),
            (&[2.0, 3.0, -1.0], 1.0, 0.0, 3.0),
            (&[3.0, 2.0, 7.0], -5.0, NO_LB, 3.0),
            (&[4.0, 5.0, 6.0], 0.0, 3.0, 12.0),
            (&[1.0, -2.0, 2.0, 1.0], 0.0, -1.0, 1.0),
            (&[5.0, 1.0], 0.0, 1.0, 1.0),
        ];
        for &(coeffs, constant, lb, ub) in cases {
            let (bqm, slack) = build(coeffs, constant, lb, ub, false);
            let n = coeffs.len();
            for x in assignments(n).chunks(n) {
                let lhs: f64 = coeffs.iter().zip(x).map(|(c, &v)| c * v as f64).sum::<f64>() + constant;
                let feasible = lb <= lhs && lhs <= ub;
                let slack_rows: Vec<Vec<i8>> = if slack == 0 {
                    vec![Vec::new()]
                } else {
                    assignments(slack).chunks(slack).map(<[i8]>::to_vec).collect()
                };
                let best = slack_rows
                    .iter()
                    .map(|s| {
                        let mut full = x.to_vec();
                        full.extend_from_slice(s);
                        bqm.energy(&full).unwrap()
                    })
                    .fold(f64::INFINITY, f64::min);
                assert_eq!(
                    best == 0.0,
                    feasible,
                    "{coeffs:?} {constant} [{lb}, {ub}] x={x:?}: {best}"
                );
                assert!(best >= 0.0);
            }
        }
    }

    /// dimod 0.12.23's slack weights and names for known cases (values from dimod's source rule:
    /// 2^j for j < m = ⌊log2 w⌋, then w − 2^m + 1; cross_zero adds ub_c − w named m + 1).
    #[test]
    fn slack_weights_and_names_follow_dimod() {
        let plan = DimodInequalityPlan::new(&[3.0, 2.0, 7.0], -5.0, NO_LB, 3.0, false).unwrap();
        // ub_c = min(12, 8) = 8, lb_c = max(0, -inf) = 0, w = 8: m = 3 → 1, 2, 4, then 8 − 8 + 1 = 1
        assert_eq!((plan.lb_c, plan.ub_c), (0.0, 8.0));
        assert_eq!(
            plan.action,
            DimodInequalityAction::Slack {
                suffixes: vec![0, 1, 2, 3],
                coefficients: vec![1.0, 2.0, 4.0, 1.0]
            }
        );
        // cross_zero with lb_c = 3 > 0: w = 9, m = 3 → 1, 2, 4, 2; zero slack 12 − 9 = 3 named 4
        let plan = DimodInequalityPlan::new(&[4.0, 5.0, 6.0], 0.0, 3.0, 12.0, true).unwrap();
        assert_eq!(
            plan.action,
            DimodInequalityAction::Slack {
                suffixes: vec![0, 1, 2, 3, 4],
                coefficients: vec![1.0, 2.0, 4.0, 2.0, 3.0]
            }
        );
        let plan = DimodInequalityPlan::new(&[1.0, 1.0], 0.0, 2.0, 2.0, false).unwrap();
        assert_eq!(plan.action, DimodInequalityAction::Equality);
        let plan = DimodInequalityPlan::new(&[1.0, 1.0], 0.0, NO_LB, 5.0, false).unwrap();
        assert_eq!(plan.action, DimodInequalityAction::AlwaysSatisfied);
        assert!(!plan.fractional);
        assert!(
            DimodInequalityPlan::new(&[1.5], 0.0, NO_LB, 1.0, false)
                .unwrap()
                .fractional
        );
    }

    #[test]
    fn bad_input_is_named_and_changes_nothing() {
        let err = DimodInequalityPlan::new(&[1.0, 1.0], 0.0, 3.0, 5.0, false).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidArgument);
        assert!(
            err.to_string().contains("`ub`") && err.to_string().contains("infeasible"),
            "{err}"
        );
        let err = DimodInequalityPlan::new(&[1.0, f64::NAN], 0.0, 0.0, 5.0, false).unwrap_err();
        assert!(err.to_string().contains("terms"), "{err}");
        let plan = DimodInequalityPlan::new(&[1.0, 1.0, 1.0], 0.0, NO_LB, 2.0, false).unwrap();
        let mut bqm = Bqm::with_variables(Vartype::Binary, 5).unwrap();
        bqm.add_linear(0, 1.0).unwrap();
        let before = bqm.clone();
        // wrong number of slack variables
        let err = bqm
            .add_dimod_inequality(
                &[0, 1, 2],
                &[1.0, 1.0, 1.0],
                DimodPenalization::Slack(1.0),
                &plan,
                &[3],
            )
            .unwrap_err();
        assert!(err.to_string().contains("slack_vars"), "{err}");
        // a variable out of range
        assert!(
            bqm.add_dimod_inequality(
                &[0, 1, 9],
                &[1.0, 1.0, 1.0],
                DimodPenalization::Slack(1.0),
                &plan,
                &[3, 4]
            )
            .is_err()
        );
        // unbalanced: the linear part is added before the equality's multiplier fails; rolled back
        let err = bqm
            .add_dimod_inequality(
                &[0, 1, 2],
                &[1.0, 1.0, 1.0],
                DimodPenalization::Unbalanced(2.0, f64::NAN),
                &plan,
                &[],
            )
            .unwrap_err();
        assert!(err.to_string().contains("lagrange_multiplier"), "{err}");
        assert_eq!(bqm.linear(), before.linear());
        assert_eq!(bqm.offset(), before.offset());
        assert_eq!(bqm.num_interactions(), before.num_interactions());
    }
}
