//! Criterion benches of the expression layer: PyQUBO's TSP benchmark (n = 30: 900 binaries,
//! one-hot rows and columns under a placeholder penalty, 53,100 QUBO terms) built, compiled and
//! bound, written to and read from the container; and a cubic model that exercises
//! quadratization.
//! Run: `cargo bench -p neuroquant --bench expr`.

use criterion::{Criterion, criterion_group, criterion_main};
use neuroquant::qubo::expr::{Condition, Expr};
use std::hint::black_box;

/// The expression of PyQUBO's `benchmark/benchmark_tsp.py` (every distance 10).
fn tsp(n: usize) -> Expr {
    let x: Vec<Vec<Expr>> = (0..n)
        .map(|i| (0..n).map(|j| Expr::binary(format!("c[{i}][{j}]"))).collect())
        .collect();
    let mut time = Expr::num(0.0);
    for (i, row) in x.iter().enumerate() {
        let one_hot = (Expr::sum(row.iter().cloned()) - 1.0).pow(2);
        time = time + Expr::constraint(one_hot, format!("time{i}"), Condition::default());
    }
    let mut city = Expr::num(0.0);
    for j in 0..n {
        let one_hot = (Expr::sum(x.iter().map(|row| row[j].clone())) - 1.0).pow(2);
        city = city + Expr::constraint(one_hot, format!("city{j}"), Condition::default());
    }
    let mut distance = Expr::num(0.0);
    for i in 0..n {
        for j in 0..n {
            for k in 0..n {
                distance = distance + 10.0 * &x[k][i] * &x[(k + 1) % n][j];
            }
        }
    }
    distance + Expr::placeholder("A") * (time + city)
}

fn bench(c: &mut Criterion) {
    c.bench_function("expr/tsp30_build", |b| b.iter(|| tsp(black_box(30))));
    let h = tsp(30);
    c.bench_function("expr/tsp30_compile", |b| b.iter(|| h.compile(5.0).unwrap()));
    let bytes = h.to_bytes().unwrap();
    c.bench_function("expr/tsp30_to_bytes", |b| b.iter(|| h.to_bytes().unwrap()));
    c.bench_function("expr/tsp30_from_bytes", |b| {
        b.iter(|| Expr::from_bytes(black_box(&bytes)).unwrap())
    });
    let model = h.compile(5.0).unwrap();
    c.bench_function("expr/tsp30_bind", |b| {
        b.iter(|| model.bind_named([("A", black_box(2.0))]).unwrap().into_bqm())
    });
    let v: Vec<Expr> = (0..60).map(|i| Expr::binary(format!("v{i}"))).collect();
    let cubic = Expr::sum((0..58).flat_map(|i| {
        let v = &v;
        (i + 1..58).map(move |j| &v[i] * &v[j] * &v[(i + j) % 60])
    }));
    c.bench_function("expr/cubic60_compile", |b| b.iter(|| cubic.compile(5.0).unwrap()));
}

criterion_group!(benches, bench);
criterion_main!(benches);
