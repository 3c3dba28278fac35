//! Helpers shared by the `anneal_*` integration tests: random models, an independent brute-force
//! oracle, thread pools and checks every sample set must pass.
#![allow(dead_code)]

use neuroquant::anneal::SampleSet;
use neuroquant::qubo::{Bqm, Vartype};
use neuroquant::rng;
use rand_core::Rng as _;

/// A random model: each pair present with probability `density`, biases uniform in [-1, 1]
/// (or integers in [-range, range] when `integer`), linear biases likewise, an offset of 0.5.
pub fn random_bqm(n: usize, density: f64, vartype: Vartype, seed: u64, integer: Option<i64>) -> Bqm {
    let mut r = rng::stream(seed, 9999);
    let mut unit = move || (r.next_u64() >> 11) as f64 / (1u64 << 53) as f64;
    let bias = |u: f64| match integer {
        Some(k) => (u * (2 * k + 1) as f64).floor() - k as f64,
        None => 2.0 * u - 1.0,
    };
    let mut bqm = Bqm::with_variables(vartype, n).unwrap();
    let linear: Vec<f64> = (0..n).map(|_| bias(unit())).collect();
    bqm.add_linear_from(&linear).unwrap();
    let (mut rows, mut cols, mut biases) = (Vec::new(), Vec::new(), Vec::new());
    for u in 0..n as u32 {
        for v in u + 1..n as u32 {
            if unit() < density {
                rows.push(u);
                cols.push(v);
                biases.push(bias(unit()));
            }
        }
    }
    bqm.add_quadratic_from(&rows, &cols, &biases).unwrap();
    bqm.set_offset(0.5).unwrap();
    bqm
}

/// Energy by the definition, independent of `Bqm::energies`.
pub fn energy_by_definition(bqm: &Bqm, x: &[i8]) -> f64 {
    let mut e = bqm.offset();
    for (v, &a) in bqm.linear().iter().enumerate() {
        e += a * f64::from(x[v]);
    }
    for (u, v, b) in bqm.iter_quadratic() {
        e += b * f64::from(x[u as usize]) * f64::from(x[v as usize]);
    }
    e
}

/// The assignment with bit `k` of `code` giving variable `k` its high value.
pub fn assignment(code: u64, n: usize, vartype: Vartype) -> Vec<i8> {
    let [lo, hi] = vartype.values();
    (0..n).map(|k| if code >> k & 1 == 1 { hi } else { lo }).collect()
}

/// Minimum energy and every minimising assignment (as codes), by trying all 2^n.
pub fn brute_force(bqm: &Bqm) -> (f64, Vec<u64>) {
    let n = bqm.num_variables();
    let mut best = f64::INFINITY;
    let mut argmin = Vec::new();
    for code in 0..1u64 << n {
        let e = energy_by_definition(bqm, &assignment(code, n, bqm.vartype()));
        if e < best - 1e-9 {
            best = e;
            argmin.clear();
        }
        if e <= best + 1e-9 {
            argmin.push(code);
        }
    }
    (best, argmin)
}

/// Runs `f` on a dedicated pool of `threads` threads.
pub fn with_threads<T: Send>(threads: usize, f: impl FnOnce() -> T + Send) -> T {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .unwrap()
        .install(f)
}

/// Every row holds values of the model's vartype and its energy equals `Bqm::energies` exactly.
pub fn assert_consistent(set: &SampleSet, bqm: &Bqm) {
    assert_eq!(set.vartype(), bqm.vartype());
    assert_eq!(set.num_variables(), bqm.num_variables());
    if bqm.num_variables() > 0 {
        let expected = bqm.energies_vec(set.samples()).unwrap();
        assert_eq!(set.energies(), &expected[..]);
        for i in 0..set.len() {
            let e = energy_by_definition(bqm, set.sample(i));
            assert!((e - set.energies()[i]).abs() <= 1e-9 * (1.0 + e.abs()));
        }
    }
}

/// Samples, energies, occurrences and vectors equal (timings aside).
pub fn assert_same_rows(a: &SampleSet, b: &SampleSet) {
    assert_eq!(a.samples(), b.samples());
    assert_eq!(a.energies(), b.energies());
    assert_eq!(a.num_occurrences(), b.num_occurrences());
    assert_eq!(a.vectors(), b.vectors());
    assert_eq!(a.info().seed, b.info().seed);
}

/// FNV-1a of the rows, for value-stability checks.
pub fn fingerprint(set: &SampleSet) -> u64 {
    let mut h = 0xcbf2_9ce4_8422_2325u64;
    for &x in set.samples() {
        h ^= x as u8 as u64;
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// Pearson's chi-square statistic of observed counts against probabilities.
pub fn chi_square(counts: &[u64], probs: &[f64]) -> f64 {
    let total: u64 = counts.iter().sum();
    counts
        .iter()
        .zip(probs)
        .map(|(&c, &p)| {
            let e = p * total as f64;
            (c as f64 - e).powi(2) / e
        })
        .sum()
}

/// Boltzmann probabilities at `beta` of every assignment (indexed by code).
pub fn boltzmann(bqm: &Bqm, beta: f64) -> Vec<f64> {
    let n = bqm.num_variables();
    let w: Vec<f64> = (0..1u64 << n)
        .map(|c| (-beta * energy_by_definition(bqm, &assignment(c, n, bqm.vartype()))).exp())
        .collect();
    let z: f64 = w.iter().sum();
    w.iter().map(|x| x / z).collect()
}

/// The code of an assignment (bit k set when variable k has its high value).
pub fn code_of(x: &[i8], vartype: Vartype) -> u64 {
    let hi = vartype.values()[1];
    x.iter().enumerate().map(|(k, &v)| u64::from(v == hi) << k).sum()
}
