//! Symbolic expressions: compiled models against direct evaluation of the expression (an
//! independent recursive evaluator of a test-side syntax tree), brute force over every
//! assignment, PyQUBO's published QUBO for a cubic term, scale (2^18 variables, deep trees) and
//! SPEC §5 bad input.

use neuroquant::ErrorKind;
use neuroquant::qubo::Vartype;
use neuroquant::qubo::expr::{Condition, Expr};
use proptest::prelude::*;

mod expr_support;
use expr_support::*;

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// With auxiliaries equal to their products, the compiled model's energy is the expression's
    /// value, and every constraint's value is its expression's, for every assignment; with a
    /// strength above the coefficients no assignment of the auxiliaries goes lower.
    #[test]
    fn compiled_energy_equals_the_expression(a in ast(), p0 in -2..=2i32, p1 in -2..=2i32) {
        let mut next = 0;
        let expr = build(&a, &mut next);
        let strength = 1e7;
        let model = expr.compile(strength).unwrap();
        let phs = [p0 as f64, p1 as f64];
        let feed: Vec<(String, f64)> = model.placeholders().map(|p| (p.to_string(), phs[p[1..].parse::<usize>().unwrap()])).collect();
        let bound = model.bind_named(feed.iter().map(|(p, v)| (p.as_str(), *v))).unwrap();
        let n_aux = model.num_variables() - model.num_expression_variables();
        for (bins, spins) in assignments() {
            let mut constraints = Vec::new();
            let want = eval(&a, &bins, &spins, &phs, &mut constraints);
            let x = sample(&model, &bins, &spins);
            let d = bound.decode(&x).unwrap();
            prop_assert_eq!(d.energy, want);
            prop_assert_eq!(d.values.len(), constraints.len());
            for (k, (&got, &v)) in d.values.iter().zip(&constraints).enumerate() {
                prop_assert_eq!(got, v, "constraint c{}", k);
                prop_assert_eq!(d.satisfied[k], Some(v == 0.0));
            }
            if n_aux <= 6 {
                let base = model.num_expression_variables();
                for aux in 0..1u32 << n_aux {
                    let mut y = x.clone();
                    for k in 0..n_aux {
                        y[base + k] = (aux >> k & 1) as i8;
                    }
                    prop_assert!(bound.bqm().energy(&y).unwrap() >= want);
                }
            }
        }
    }
}

#[test]
fn cubic_term_matches_pyqubo() {
    // PyQUBO 1.5.0: (a*b*c + 2*a).compile(strength=5.0).to_qubo() ==
    // {(a,a): 2, (a,b): 5, (b,'a * b'): -10, ('a * b','a * b'): 15, (c,'a * b'): 1, (a,'a * b'): -10}, 0
    let (a, b, c) = (Expr::binary("a"), Expr::binary("b"), Expr::binary("c"));
    let model = (&a * &b * &c + 2.0 * &a).compile(5.0).unwrap();
    let labels: Vec<&str> = model.labels().collect();
    assert_eq!(labels, ["a", "b", "c", "a * b"]);
    let bqm = model.bind(&[]).unwrap().into_bqm();
    assert_eq!(bqm.linear(), &[2.0, 0.0, 0.0, 15.0]);
    let quad: Vec<(u32, u32, f64)> = bqm.iter_quadratic().collect();
    assert_eq!(quad, [(0, 1, 5.0), (0, 3, -10.0), (1, 3, -10.0), (2, 3, 1.0)]);
    assert_eq!(bqm.offset(), 0.0);
    assert_eq!(model.auxiliary_pairs(), &[[0, 1]]);
}

#[test]
fn placeholders_rebind_without_recompiling() {
    // TSP-like one-hot rows with a placeholder penalty: bind many values, compare with the
    // expression evaluated directly.
    let n = 4;
    let x: Vec<Vec<Expr>> = (0..n)
        .map(|i| (0..n).map(|j| Expr::binary(format!("x[{i}][{j}]"))).collect())
        .collect();
    let a = Expr::placeholder("A");
    let mut h = Expr::num(0.0);
    for (i, row) in x.iter().enumerate() {
        h = h + &a
            * Expr::constraint(
                (Expr::sum(row.clone()) - 1.0).pow(2),
                format!("row{i}"),
                Condition::default(),
            );
        for (j, xij) in row.iter().enumerate() {
            h = h + (i + j) as f64 * xij * &x[(i + 1) % n][j];
        }
    }
    let model = h.compile(5.0).unwrap();
    let mut rng = 12345u64;
    for value in [0.0, 1.5, -3.0, 1e3] {
        let bound = model.bind_named([("A", value)]).unwrap();
        for _ in 0..50 {
            rng = rng
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let bits: Vec<i64> = (0..n * n).map(|k| (rng >> (k + 11) & 1) as i64).collect();
            let get = |i: usize, j: usize| bits[i * n + j] as f64;
            let mut want = 0.0;
            for i in 0..n {
                let s: f64 = (0..n).map(|j| get(i, j)).sum();
                want += value * (s - 1.0).powi(2);
                for j in 0..n {
                    want += (i + j) as f64 * get(i, j) * get((i + 1) % n, j);
                }
            }
            let labels: Vec<String> = (0..n * n).map(|k| format!("x[{}][{}]", k / n, k % n)).collect();
            let xs = model
                .sample_from_labels(
                    labels.iter().map(|l| l.as_str()).zip(bits.iter().copied()),
                    Vartype::Binary,
                )
                .unwrap();
            let d = bound.decode(&xs).unwrap();
            assert!((d.energy - want).abs() <= 1e-9 * want.abs().max(1.0));
            for i in 0..n {
                let s: f64 = (0..n).map(|j| get(i, j)).sum();
                assert_eq!(d.values[i], (s - 1.0).powi(2));
                assert_eq!(d.satisfied[i], Some(s == 1.0));
            }
        }
    }
}

#[test]
fn spin_models_keep_their_ising_form() {
    // H = (s + t)² + s·t = 2 + 3st: through the binary form and back to SPIN.
    let (s, t) = (Expr::spin("s"), Expr::spin("t"));
    let model = ((&s + &t).pow(2) + &s * &t).compile(5.0).unwrap();
    let mut bqm = model.bind(&[]).unwrap().into_bqm();
    assert_eq!(bqm.vartype(), Vartype::Binary);
    bqm.change_vartype(Vartype::Spin).unwrap();
    assert_eq!(bqm.linear(), &[0.0, 0.0]);
    assert_eq!(bqm.quadratic(0, 1).unwrap(), Some(3.0));
    assert_eq!(bqm.offset(), 2.0);
    let x = model
        .sample_from_labels([("s", 1), ("t", -1)], Vartype::Spin)
        .unwrap();
    assert_eq!(x, [1, 0]);
}

#[test]
fn two_to_the_eighteen_variables_compile() {
    // PyQUBO crashes around here (pyqubo#231). A linear expression, built one `+` at a time.
    let n = 1usize << 18;
    let mut h = Expr::num(0.0);
    for i in 0..n {
        h = h + ((i % 7) as f64 - 3.0) * Expr::binary(format!("x{i}"));
    }
    let model = h.compile(5.0).unwrap();
    assert_eq!(model.num_variables(), n);
    let bqm = model.bind(&[]).unwrap().into_bqm();
    assert_eq!(bqm.num_interactions(), 0);
    assert!(
        bqm.linear()
            .iter()
            .enumerate()
            .all(|(i, &b)| b == (i % 7) as f64 - 3.0)
    );
    assert_eq!(model.variable_index("x262143"), Some(262_143));
}

#[test]
fn deep_nesting_expands_without_recursion() {
    // p₀ = x + 1, p_{k+1} = p_k·x + 1 (Horner chain, depth 100k): p_N = (N + 1)·x + 1.
    let x = Expr::binary("x");
    let depth = 100_000;
    let mut p = &x + 1.0;
    for _ in 0..depth {
        p = (&p * &x) + 1.0;
    }
    let bqm = p.compile(5.0).unwrap().bind(&[]).unwrap().into_bqm();
    assert_eq!(bqm.linear(), &[(depth + 1) as f64]);
    assert_eq!(bqm.offset(), 1.0);
}

#[test]
fn decode_reports_conditions_and_fills_missing_auxiliaries() {
    let (a, b, c) = (Expr::binary("a"), Expr::binary("b"), Expr::binary("c"));
    let h = &a * &b * &c
        + Expr::constraint(&a + &b + &c, "le2", Condition::at_most(2.0, 0.0).unwrap())
        + Expr::constraint(&a + &b, "ge1", Condition::at_least(1.0, 0.0).unwrap())
        + Expr::constraint(&a - &b, "custom", Condition::Custom(std::sync::Arc::new("mine")))
        + Expr::subh(2.0 * &c, "cost");
    let model = h.compile(5.0).unwrap();
    let labelled: Vec<(&str, bool)> = model.labelled().map(|(l, c)| (l, c.is_some())).collect();
    assert_eq!(
        labelled,
        [("le2", true), ("ge1", true), ("custom", true), ("cost", false)]
    );
    let bound = model.bind(&[]).unwrap();
    let x = model
        .sample_from_labels([("a", 1), ("b", 1), ("c", 1)], Vartype::Binary)
        .unwrap();
    assert_eq!(x, [1, 1, 1, 1]); // 'a * b' filled in
    let d = bound.decode(&x).unwrap();
    assert_eq!(d.energy, 1.0 + 3.0 + 2.0 + 0.0 + 2.0);
    assert_eq!(d.values, [3.0, 2.0, 0.0, 2.0]);
    assert_eq!(d.satisfied, [Some(false), Some(true), None, None]);
    // An explicitly wrong auxiliary pays the penalty, as a sampler's sample would.
    let y = model
        .sample_from_labels([("a", 1), ("b", 1), ("c", 1), ("a * b", 0)], Vartype::Binary)
        .unwrap();
    assert_eq!(bound.decode(&y).unwrap().energy, d.energy - 1.0 + 5.0);
    let many = model
        .samples_from_columns(&["c", "b", "a"], &[1i8, 1, 1, 0, 0, 1], 2, Vartype::Binary)
        .unwrap();
    let decoded = bound.decode_many(&many, 2).unwrap();
    assert_eq!(decoded[0], d);
    assert_eq!(decoded[1].values, [1.0, 1.0, 1.0, 0.0]);
}

#[test]
fn repeated_compiles_give_identical_models() {
    let (a, b, c, d) = (
        Expr::binary("a"),
        Expr::spin("b"),
        Expr::binary("c"),
        Expr::binary("d"),
    );
    let h = (&a + &b + &c + &d - 1.0).pow(3) * Expr::placeholder("P") + &a * &b * &c * &d;
    let first = h
        .compile(3.0)
        .unwrap()
        .bind_named([("P", 0.7)])
        .unwrap()
        .into_bqm();
    for _ in 0..5 {
        assert_eq!(
            h.compile(3.0)
                .unwrap()
                .bind_named([("P", 0.7)])
                .unwrap()
                .into_bqm(),
            first
        );
    }
}

fn kind<T: std::fmt::Debug>(r: neuroquant::Result<T>) -> (ErrorKind, String) {
    let e = r.unwrap_err();
    (e.kind(), e.to_string())
}

#[test]
fn bad_input_is_refused_with_clear_errors() {
    let x = Expr::binary("x");
    let (k, m) = kind((&x * f64::NAN).compile(5.0));
    assert_eq!(k, ErrorKind::NonFinite);
    assert!(m.contains("NaN"), "{m}");
    let (k, m) = kind((&x + Expr::spin("x")).compile(5.0));
    assert_eq!(k, ErrorKind::InvalidArgument);
    assert!(
        m.contains("\"x\"") && m.contains("BINARY") && m.contains("SPIN"),
        "{m}"
    );
    for s in [0.0, -1.0, f64::NAN] {
        let (_, m) = kind(x.compile(s));
        assert!(m.contains("`strength`"), "{m}");
    }
    let (_, m) = kind((Expr::binary("a * b") + Expr::binary("a") * Expr::binary("b") * &x).compile(5.0));
    assert!(m.contains("auxiliary"), "{m}");
    let dup = Expr::constraint(x.clone(), "c", Condition::default()) + Expr::subh(x.clone(), "c");
    assert!(kind(dup.compile(5.0)).1.contains("\"c\""));
    // Huge coefficients overflow when bound, and the error says where.
    let model = (Expr::placeholder("A").pow(2) * &x).compile(5.0).unwrap();
    let (k, m) = kind(model.bind_named([("A", 1e200)]));
    assert_eq!(k, ErrorKind::NonFinite);
    assert!(m.contains("\"x\""), "{m}");

    let model = (Expr::placeholder("A") * &x + Expr::spin("s"))
        .compile(5.0)
        .unwrap();
    let (_, m) = kind(model.bind_named([]));
    assert!(m.contains("feed_dict") && m.contains("\"A\""), "{m}");
    // A name the model does not use is ignored, as PyQUBO's feed_dict does (issue 10).
    let extra = model.bind_named([("A", 1.0), ("B", 2.0)]).unwrap().into_bqm();
    assert_eq!(extra, model.bind_named([("A", 1.0)]).unwrap().into_bqm());
    let (k, _) = kind(model.bind_named([("A", f64::INFINITY)]));
    assert_eq!(k, ErrorKind::NonFinite);
    let (k, _) = kind(model.bind(&[1.0, 2.0]));
    assert_eq!(k, ErrorKind::DimensionMismatch);

    let (_, m) = kind(model.sample_from_labels([("x", 1)], Vartype::Binary));
    assert!(m.contains("\"s\"") && m.contains("no value"), "{m}");
    let (_, m) = kind(model.sample_from_labels([("x", 1), ("s", 1), ("y", 0)], Vartype::Binary));
    assert!(m.contains("\"y\""), "{m}");
    let (_, m) = kind(model.sample_from_labels([("x", 0), ("s", 0)], Vartype::Spin));
    assert!(m.contains("\"x\"") && m.contains("SPIN"), "{m}");
    let (_, m) = kind(model.samples_from_columns(&["x", "x"], &[0i8, 0], 1, Vartype::Binary));
    assert!(m.contains("twice"), "{m}");
    let bound = model.bind_named([("A", 1.0)]).unwrap();
    assert_eq!(kind(bound.decode(&[0, 2])).0, ErrorKind::InvalidArgument);
    assert_eq!(kind(bound.decode(&[0])).0, ErrorKind::DimensionMismatch);
}

/// PyQUBO 1.5's `decode_sampleset` order (observed on pyqubo: ties in energy come back ordered by
/// the values, variables compared in label order): energy first, then the values variable by
/// variable in byte order of the labels, whatever the model's own variable order.
#[test]
fn decoded_order_is_pyqubos() {
    // Variables created as z, x, y: label order x < y < z differs from the model's order.
    let (z, x, y) = (Expr::binary("z"), Expr::binary("x"), Expr::binary("y"));
    let model = (z + x + y).compile(1.0).unwrap();
    let labels: Vec<&str> = model.labels().collect();
    let pos = |l: &str| labels.iter().position(|&m| m == l).unwrap();
    // Rows given as (x, y, z), written into the model's order.
    let rows: [[i8; 3]; 6] = [[0, 0, 1], [1, 0, 0], [0, 1, 0], [1, 1, 0], [0, 0, 0], [1, 0, 1]];
    let mut values = vec![0i8; rows.len() * 3];
    for (r, xyz) in rows.iter().enumerate() {
        for (k, l) in ["x", "y", "z"].iter().enumerate() {
            values[r * 3 + pos(l)] = xyz[k];
        }
    }
    let energies: Vec<f64> = rows.iter().map(|r| r.iter().map(|&v| v as f64).sum()).collect();
    // By energy; ties ascending in (x, y, z): 001 < 010 < 100 and 101 < 110.
    assert_eq!(
        model.decoded_order(&energies, &values).unwrap(),
        vec![4, 0, 2, 1, 5, 3]
    );
    let err = model.decoded_order(&energies, &values[1..]).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::DimensionMismatch);
}
