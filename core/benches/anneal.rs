//! Criterion benches of the local samplers on the SPEC §7 workloads (single thread) and on small
//! models for the other samplers. Run: `cargo bench -p neuroquant --bench anneal`.
//! `examples/anneal_kernel.rs` prints the same workloads as ns per attempted flip.

mod workloads;

use criterion::measurement::WallTime;
use criterion::{BenchmarkGroup, Criterion, criterion_group, criterion_main};
use neuroquant::anneal::*;
use neuroquant::qubo::Bqm;
use std::hint::black_box;

fn single_thread_pool() -> rayon::ThreadPool {
    rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .expect("thread pool")
}

fn sa(reads: usize, sweeps: usize) -> SimulatedAnnealing {
    SimulatedAnnealing::new(
        SimulatedAnnealingParams::default()
            .num_reads(reads)
            .seed(1234)
            .num_sweeps(Some(sweeps)),
    )
    .expect("valid parameters")
}

fn run(g: &mut BenchmarkGroup<'_, WallTime>, name: &str, sampler: &dyn Sampler, bqm: &Bqm) {
    // The pool is built once, outside the timed closure.
    let pool = single_thread_pool();
    g.bench_function(name, |b| {
        b.iter(|| pool.install(|| sampler.sample(black_box(bqm)).expect("sample")))
    });
}

fn bench(c: &mut Criterion) {
    let sparse = workloads::sparse_regular_ising(1000, 3, 1);
    let dense = workloads::dense_qubo(200, 2);
    let mut g = c.benchmark_group("anneal");
    g.sample_size(10);
    // 10 reads × 1000 sweeps: 10^7 attempted flips (sparse), 2·10^6 (dense).
    run(&mut g, "sa/sparse_3regular_n1000_10x1000", &sa(10, 1000), &sparse);
    run(&mut g, "sa/dense_qubo_n200_10x1000", &sa(10, 1000), &dense);
    let small = workloads::dense_qubo(60, 3);
    let tabu = Tabu::new(
        TabuParams::default()
            .num_reads(2)
            .seed(1)
            .timeout(None)
            .num_restarts(2),
    )
    .expect("valid parameters");
    run(&mut g, "tabu/dense_qubo_n60_2reads_2restarts", &tabu, &small);
    let pt = ParallelTempering::new(
        ParallelTemperingParams::default()
            .num_reads(2)
            .seed(1)
            .num_sweeps(500)
            .ladder(Ladder::Geometric {
                num_replicas: 16,
                range: None,
            }),
    )
    .expect("valid parameters");
    run(&mut g, "pt/sparse_3regular_n1000_2x16x500", &pt, &sparse);
    let sqa = PathIntegralAnnealing::new(PathIntegralParams::default().num_reads(2).seed(1))
        .expect("valid parameters");
    run(&mut g, "sqa/dense_qubo_n60_2x4x1000", &sqa, &small);
    let exact = ExactSolver::new(ExactParams::default().mode(ExactMode::GroundStates)).expect("valid");
    let tiny = workloads::sparse_regular_ising(22, 3, 4);
    run(&mut g, "exact/ground_states_3regular_n22", &exact, &tiny);
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
