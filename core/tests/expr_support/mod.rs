//! Helpers shared by the `expr*` integration tests: a test-side syntax tree of expressions, its
//! random generator, the [`Expr`] it builds and an independent recursive evaluator.
#![allow(dead_code)]

use neuroquant::qubo::Vartype;
use neuroquant::qubo::expr::{CompiledModel, Condition, Expr};
use proptest::prelude::*;

pub const BINARIES: usize = 3;
pub const SPINS: usize = 3;
pub const PLACEHOLDERS: usize = 2;

/// A test-side expression: built into an [`Expr`] and evaluated directly.
#[derive(Debug, Clone)]
pub enum Ast {
    Bin(usize),
    Spin(usize),
    Num(i32),
    Ph(usize),
    Add(Box<Ast>, Box<Ast>),
    Sub(Box<Ast>, Box<Ast>),
    Mul(Box<Ast>, Box<Ast>),
    Sum(Vec<Ast>),
    Product(Vec<Ast>),
    Pow(Box<Ast>, u32),
    Constraint(Box<Ast>),
}

pub fn ast() -> impl Strategy<Value = Ast> {
    let leaf = prop_oneof![
        3 => (0..BINARIES).prop_map(Ast::Bin),
        3 => (0..SPINS).prop_map(Ast::Spin),
        1 => (-2..=2i32).prop_map(Ast::Num),
        1 => (0..PLACEHOLDERS).prop_map(Ast::Ph),
    ];
    let nested = leaf.clone().prop_recursive(3, 16, 3, |inner| {
        prop_oneof![
            (inner.clone(), inner.clone()).prop_map(|(a, b)| Ast::Add(a.into(), b.into())),
            (inner.clone(), inner.clone()).prop_map(|(a, b)| Ast::Sub(a.into(), b.into())),
            (inner.clone(), inner.clone()).prop_map(|(a, b)| Ast::Mul(a.into(), b.into())),
            prop::collection::vec(inner.clone(), 0..4).prop_map(Ast::Sum),
            (inner.clone(), 0..3u32).prop_map(|(a, k)| Ast::Pow(a.into(), k)),
            inner.prop_map(|a| Ast::Constraint(a.into())),
        ]
    });
    // A sum of products of small pieces: higher-order terms in most cases.
    let factor = prop_oneof![3 => leaf, 1 => nested.clone()];
    let sum_of_products =
        prop::collection::vec(prop::collection::vec(factor, 1..5).prop_map(Ast::Product), 1..5)
            .prop_map(Ast::Sum);
    prop_oneof![
        1 => nested,
        2 => sum_of_products.clone(),
        1 => sum_of_products.prop_map(|a| Ast::Constraint(a.into())),
    ]
}

/// Builds the expression; constraints are labelled `c0, c1, …` in pre-order.
pub fn build(a: &Ast, next_label: &mut usize) -> Expr {
    match a {
        Ast::Bin(i) => Expr::binary(format!("b{i}")),
        Ast::Spin(i) => Expr::spin(format!("s{i}")),
        Ast::Num(v) => Expr::num(*v as f64),
        Ast::Ph(i) => Expr::placeholder(format!("P{i}")),
        Ast::Add(x, y) => build(x, next_label) + build(y, next_label),
        Ast::Sub(x, y) => build(x, next_label) - build(y, next_label),
        Ast::Mul(x, y) => build(x, next_label) * build(y, next_label),
        Ast::Sum(v) => Expr::sum(v.iter().map(|t| build(t, next_label)).collect::<Vec<_>>()),
        Ast::Product(v) => Expr::product(v.iter().map(|t| build(t, next_label)).collect::<Vec<_>>()),
        Ast::Pow(x, k) => build(x, next_label).pow(*k),
        Ast::Constraint(x) => {
            let label = format!("c{next_label}");
            *next_label += 1;
            Expr::constraint(build(x, next_label), label, Condition::default())
        }
    }
}

/// Direct evaluation; records each constraint's value (pre-order, as `build` labels them).
pub fn eval(a: &Ast, bins: &[f64], spins: &[f64], phs: &[f64], constraints: &mut Vec<f64>) -> f64 {
    match a {
        Ast::Bin(i) => bins[*i],
        Ast::Spin(i) => spins[*i],
        Ast::Num(v) => *v as f64,
        Ast::Ph(i) => phs[*i],
        Ast::Add(x, y) => eval(x, bins, spins, phs, constraints) + eval(y, bins, spins, phs, constraints),
        Ast::Sub(x, y) => eval(x, bins, spins, phs, constraints) - eval(y, bins, spins, phs, constraints),
        Ast::Mul(x, y) => eval(x, bins, spins, phs, constraints) * eval(y, bins, spins, phs, constraints),
        Ast::Sum(v) => v.iter().map(|t| eval(t, bins, spins, phs, constraints)).sum(),
        Ast::Product(v) => v.iter().map(|t| eval(t, bins, spins, phs, constraints)).product(),
        Ast::Pow(x, k) => eval(x, bins, spins, phs, constraints).powi(*k as i32),
        Ast::Constraint(x) => {
            let slot = constraints.len();
            constraints.push(0.0);
            let v = eval(x, bins, spins, phs, constraints);
            constraints[slot] = v;
            v
        }
    }
}

/// Binary values (every variable, aux = product) of one assignment of the expression variables.
pub fn sample(model: &CompiledModel, bins: &[f64], spins: &[f64]) -> Vec<i8> {
    let pairs: Vec<(String, i64)> = model
        .labels()
        .take(model.num_expression_variables())
        .map(|l| {
            let i: usize = l[1..].parse().unwrap();
            let v = if l.starts_with('b') {
                bins[i]
            } else {
                (spins[i] + 1.0) / 2.0
            };
            (l.to_string(), v as i64)
        })
        .collect();
    model
        .sample_from_labels(pairs.iter().map(|(l, v)| (l.as_str(), *v)), Vartype::Binary)
        .unwrap()
}

pub fn assignments() -> impl Iterator<Item = (Vec<f64>, Vec<f64>)> {
    (0..1u32 << (BINARIES + SPINS)).map(|bits| {
        let bins = (0..BINARIES).map(|k| (bits >> k & 1) as f64).collect();
        let spins = (0..SPINS)
            .map(|k| {
                if bits >> (BINARIES + k) & 1 == 1 {
                    1.0
                } else {
                    -1.0
                }
            })
            .collect();
        (bins, spins)
    })
}
