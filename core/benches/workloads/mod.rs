//! The two simulated-annealing workloads of SPEC §7, shared by `benches/anneal.rs` and
//! `examples/anneal_kernel.rs`: a sparse 3-regular ±1 Ising model (N = 1000) and a dense QUBO
//! (N = 200, integer biases in [-100, 100]). Generated from fixed seeds so every run times the
//! same instances (the peer comparison in benches/compare/ builds its own with numpy/networkx).

use neuroquant::qubo::{Bqm, Vartype};
use neuroquant::rng;
use rand_core::Rng as _;

fn below(r: &mut rng::Rng, n: u64) -> u64 {
    ((u128::from(r.next_u64()) * u128::from(n)) >> 64) as u64
}

/// A random `d`-regular graph on `n` vertices (pairing model, redrawn until simple) with ±1
/// couplings, SPIN, no fields.
pub fn sparse_regular_ising(n: usize, d: usize, seed: u64) -> Bqm {
    let mut r = rng::stream(seed, 0);
    'retry: loop {
        let mut stubs: Vec<u32> = (0..n as u32).flat_map(|v| std::iter::repeat_n(v, d)).collect();
        for i in (1..stubs.len()).rev() {
            let j = below(&mut r, i as u64 + 1) as usize;
            stubs.swap(i, j);
        }
        let mut seen = std::collections::HashSet::new();
        let (mut rows, mut cols, mut biases) = (Vec::new(), Vec::new(), Vec::new());
        for pair in stubs.chunks_exact(2) {
            let (u, v) = (pair[0].min(pair[1]), pair[0].max(pair[1]));
            if u == v || !seen.insert((u, v)) {
                continue 'retry;
            }
            rows.push(u);
            cols.push(v);
            biases.push(if r.next_u64() & 1 == 1 { 1.0 } else { -1.0 });
        }
        let mut bqm = Bqm::with_variables(Vartype::Spin, n).expect("small model");
        bqm.add_quadratic_from(&rows, &cols, &biases)
            .expect("valid pairs");
        return bqm;
    }
}

/// A dense QUBO on `n` variables: every linear and pair bias an integer uniform in [-100, 100].
pub fn dense_qubo(n: usize, seed: u64) -> Bqm {
    let mut r = rng::stream(seed, 1);
    let mut int = || below(&mut r, 201) as f64 - 100.0;
    let mut bqm = Bqm::with_variables(Vartype::Binary, n).expect("small model");
    let linear: Vec<f64> = (0..n).map(|_| int()).collect();
    bqm.add_linear_from(&linear).expect("finite");
    let (mut rows, mut cols, mut biases) = (Vec::new(), Vec::new(), Vec::new());
    for u in 0..n as u32 {
        for v in u + 1..n as u32 {
            rows.push(u);
            cols.push(v);
            biases.push(int());
        }
    }
    bqm.add_quadratic_from(&rows, &cols, &biases)
        .expect("valid pairs");
    bqm
}
