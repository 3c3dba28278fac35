//! Criterion benches of the spike encoders on the SPEC §7 size (10⁷ values, one thread) and of the
//! streaming step. Run: `cargo bench -p neuroquant --bench spike`. The side-by-side comparison with
//! numpy is `benches/compare/bench_spike.py`.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use neuroquant::control::Control;
use neuroquant::spike::*;
use std::hint::black_box;

fn bench(c: &mut Criterion) {
    let n = 1_000_000;
    let x: Vec<f64> = (0..n).map(|i| (i % 1000) as f64 / 1000.0).collect();
    let one = Control::default().with_num_threads(1);
    let mut g = c.benchmark_group("spike");
    g.sample_size(10);
    g.throughput(Throughput::Elements(10 * n as u64));
    let p = RateParams::default().num_steps(10).seed(3);
    g.bench_function("rate 1e6 x 10 steps, raster", |b| {
        b.iter(|| rate(black_box(&x), n, &p, &one).expect("rate"))
    });
    let lp = LatencyParams::default().num_steps(10).normalize(true);
    g.bench_function("latency 1e6 into 10 steps", |b| {
        b.iter(|| latency(black_box(&x), &lp).expect("latency"))
    });
    let walk: Vec<f64> = (0..10 * n).map(|i| ((i as f64) * 0.001).sin()).collect();
    let dp = DeltaParams::default().off_spike(true).threshold(0.001);
    g.bench_function("delta 1000 steps x 1e4 channels", |b| {
        b.iter(|| delta(black_box(&walk), 10_000, &dp).expect("delta"))
    });
    g.finish();

    let mut s = c.benchmark_group("spike streaming");
    let mut enc = Encoder::new(&EncoderParams::default().num_channels(8).threshold(0.01)).expect("encoder");
    let mut out = [0i32; 8];
    let mut t = 0.0f64;
    s.bench_function("send-on-delta step, 8 channels", |b| {
        b.iter(|| {
            t += 1e-3;
            let sample = [t.sin(), t.cos(), t, -t, 0.5, t.sin(), t.cos(), 1.0];
            enc.step(black_box(&sample), &mut out).expect("step");
        })
    });
    s.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
