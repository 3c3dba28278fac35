//! Criterion benches of the QUBO model: building from COO arrays and batched energies.
//! Run: `cargo bench -p neuroquant --bench qubo`.

use criterion::{Criterion, criterion_group, criterion_main};
use neuroquant::qubo::{Bqm, Vartype};
use std::hint::black_box;

fn dense_coo(n: u32) -> (Vec<u32>, Vec<u32>, Vec<f64>) {
    let (mut r, mut c, mut b) = (Vec::new(), Vec::new(), Vec::new());
    let mut x = 1u64;
    for u in 0..n {
        for v in u + 1..n {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            r.push(u);
            c.push(v);
            b.push((x >> 11) as f64 / (1u64 << 53) as f64 - 0.5);
        }
    }
    (r, c, b)
}

fn bench(c: &mut Criterion) {
    let n = 500u32;
    let (rows, cols, biases) = dense_coo(n);
    c.bench_function("qubo/build_dense_coo_n500", |b| {
        b.iter(|| {
            let mut bqm = Bqm::with_variables(Vartype::Binary, n as usize).unwrap();
            bqm.add_quadratic_from(black_box(&rows), &cols, &biases).unwrap();
            bqm
        })
    });
    let mut bqm = Bqm::with_variables(Vartype::Binary, n as usize).unwrap();
    bqm.add_quadratic_from(&rows, &cols, &biases).unwrap();
    let samples: Vec<i8> = (0..100 * n as usize)
        .map(|i| ((i * 7 + i / 3) % 2) as i8)
        .collect();
    let mut out = vec![0.0; 100];
    c.bench_function("qubo/energies_dense_n500_100_samples", |b| {
        b.iter(|| bqm.energies(black_box(&samples), &mut out).unwrap())
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
