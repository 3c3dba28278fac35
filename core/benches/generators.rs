//! Criterion benches of model building with constraints: the TSP generator at n = 30 (the size
//! PyQUBO's benchmark uses: 900 variables, ~52k couplers), a 20-zone × 96-slot HVAC day, a
//! 200-item knapsack, and one linear inequality over 1000 variables.
//! Run: `cargo bench -p neuroquant --bench generators`.

use criterion::{Criterion, criterion_group, criterion_main};
use neuroquant::qubo::generators::{ComfortModel, HvacInput, hvac, knapsack, tsp};
use neuroquant::qubo::penalty::{Sense, Strength};
use neuroquant::qubo::{Bqm, Vartype};
use std::hint::black_box;

/// Deterministic pseudo-random numbers in [0, 1).
fn uniform(count: usize, seed: u64) -> Vec<f64> {
    let mut x = seed;
    (0..count)
        .map(|_| {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (x >> 11) as f64 / (1u64 << 53) as f64
        })
        .collect()
}

fn hvac_day(zones: usize, slots: usize) -> HvacInput {
    let r = uniform(zones * slots + 3 * zones + slots, 7);
    HvacInput {
        rated_power_kw: (0..zones).map(|z| 2.0 + (z % 5) as f64 * 0.5).collect(),
        delivered_kwh: (0..zones).map(|z| 0.5 + r[z]).collect(),
        comfort_weight: (0..zones).map(|z| 0.5 + r[zones + z]).collect(),
        initial_imbalance_kwh: (0..zones).map(|z| r[2 * zones + z] - 0.5).collect(),
        demand_kwh: r[3 * zones..3 * zones + zones * slots]
            .iter()
            .map(|v| 0.8 * v)
            .collect(),
        price_per_kwh: (0..slots)
            .map(|t| 0.1 + 0.2 * r[3 * zones + zones * slots + t])
            .collect(),
        peak_limit_kw: vec![25.0; slots],
        slot_hours: 0.25,
        comfort: ComfortModel::Cumulative,
        peak_strength: None,
        power_resolution_kw: None,
        ..Default::default()
    }
}

fn bench(c: &mut Criterion) {
    let n = 30;
    let d: Vec<f64> = uniform(n * n, 1).iter().map(|v| (v * 100.0).round()).collect();
    c.bench_function("generators/tsp_n30", |b| {
        b.iter(|| tsp(n, black_box(&d), None).unwrap())
    });

    let day = hvac_day(20, 96);
    c.bench_function("generators/hvac_20_zones_96_slots", |b| {
        b.iter(|| hvac(black_box(day.clone())).unwrap())
    });

    let values: Vec<f64> = uniform(200, 2).iter().map(|v| (v * 100.0).round()).collect();
    let weights: Vec<f64> = uniform(200, 3).iter().map(|v| 1.0 + (v * 50.0).round()).collect();
    c.bench_function("generators/knapsack_200_items", |b| {
        b.iter(|| knapsack(black_box(&values), &weights, 2000.0, None, None).unwrap())
    });

    let vars: Vec<u32> = (0..1000).collect();
    let coeffs: Vec<f64> = uniform(1000, 4).iter().map(|v| 1.0 + (v * 9.0).round()).collect();
    c.bench_function("penalty/inequality_1000_vars", |b| {
        b.iter(|| {
            let mut bqm = Bqm::with_variables(Vartype::Binary, 1000).unwrap();
            bqm.add_linear_inequality(black_box(&vars), &coeffs, Sense::Le, 2500.0, Strength::Auto, None)
                .unwrap();
            bqm
        })
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
