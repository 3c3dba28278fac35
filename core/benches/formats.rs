//! Criterion benches of the model file formats on a dense model (N = 2000, 1,999,000 couplers,
//! the size of the DIMODBQM-write comparison with dimod's `to_file`).
//! Run: `cargo bench -p neuroquant --bench formats`.

use criterion::{Criterion, criterion_group, criterion_main};
use neuroquant::qubo::formats::{self, Format};
use neuroquant::qubo::{Bqm, Vartype};
use std::hint::black_box;

fn dense(n: u32) -> Bqm {
    let (mut r, mut c, mut b) = (Vec::new(), Vec::new(), Vec::new());
    let mut x = 1u64;
    for u in 0..n {
        for v in u + 1..n {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            r.push(u);
            c.push(v);
            b.push(((x >> 33) % 201) as f64 - 100.0); // Beasley-like integers
        }
    }
    let mut bqm = Bqm::with_variables(Vartype::Binary, n as usize).unwrap();
    bqm.add_quadratic_from(&r, &c, &b).unwrap();
    bqm
}

fn bench(c: &mut Criterion) {
    let bqm = dense(2000);
    let mut g = c.benchmark_group("formats/dense_n2000");
    g.sample_size(10);
    for format in [Format::DimodBqm, Format::Qbsolv, Format::DimodJson] {
        let bytes = formats::write(format, &bqm, None).unwrap();
        g.bench_function(format!("write_{format}"), |b| {
            b.iter(|| formats::write(format, black_box(&bqm), None).unwrap())
        });
        g.bench_function(format!("read_{format}"), |b| {
            b.iter(|| formats::read(format, black_box(&bytes), None).unwrap())
        });
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
