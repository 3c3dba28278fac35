//! Parallel tempering: ground states, Boltzmann sampling at the cold end, reproducibility in both
//! parallel modes, and bad input.

mod anneal_support;

use anneal_support::*;
use neuroquant::anneal::{ParallelTempering, ParallelTemperingParams, PtOutput, Sampler};
use neuroquant::qubo::{Bqm, Vartype};

fn pt(params: ParallelTemperingParams) -> ParallelTempering {
    ParallelTempering::new(params).unwrap()
}

#[test]
fn reaches_the_exact_ground_state_of_random_16_variable_models() {
    for seed in 0..4u64 {
        let vt = if seed % 2 == 0 {
            Vartype::Spin
        } else {
            Vartype::Binary
        };
        let bqm = random_bqm(16, 0.4, vt, 300 + seed, None);
        let (min, _) = brute_force(&bqm);
        let set = pt(ParallelTemperingParams {
            num_reads: Some(4),
            num_replicas: 8,
            num_sweeps: 300,
            seed: Some(seed),
            ..Default::default()
        })
        .sample(&bqm)
        .unwrap();
        assert_consistent(&set, &bqm);
        assert!((set.first().unwrap().1 - min).abs() < 1e-9, "seed {seed}");
        let rates = set.info().extra["swap_acceptance_rates"].as_array().unwrap();
        assert_eq!(rates.len(), 7);
        assert!(rates.iter().all(|r| (0.0..=1.0).contains(&r.as_f64().unwrap())));
    }
}

/// The coldest replica samples the Boltzmann distribution at its beta; chi-square over 16 states
/// (15 degrees of freedom, critical value 37.70 at significance 0.001, fixed seed).
#[test]
fn coldest_replica_follows_the_boltzmann_distribution() {
    let mut bqm = Bqm::with_variables(Vartype::Spin, 4).unwrap();
    bqm.add_linear_from(&[0.3, -0.2, 0.1, 0.4]).unwrap();
    bqm.add_quadratic_from(&[0, 1, 2, 0, 0], &[1, 2, 3, 3, 2], &[-0.5, 0.7, -0.3, 0.6, 0.2])
        .unwrap();
    let set = pt(ParallelTemperingParams {
        num_reads: Some(40_000),
        betas: Some(vec![0.2, 0.5, 1.0]),
        num_sweeps: 30,
        seed: Some(12),
        output: PtOutput::Coldest,
        ..Default::default()
    })
    .sample(&bqm)
    .unwrap();
    let mut counts = vec![0u64; 16];
    for i in 0..set.len() {
        counts[code_of(set.sample(i), Vartype::Spin) as usize] += 1;
    }
    let chi2 = chi_square(&counts, &boltzmann(&bqm, 1.0));
    assert!(chi2 < 37.70, "chi2 = {chi2}");
    assert!(chi_square(&counts, &boltzmann(&bqm, 0.5)) > 37.70);
    let rates = set.info().extra["swap_acceptance_rates"].as_array().unwrap();
    assert!(rates.iter().all(|r| r.as_f64().unwrap() > 0.1), "{rates:?}");
}

#[test]
fn same_seed_same_rows_whether_reads_or_replicas_run_in_parallel() {
    // One read of a model large enough for the replicas to sweep in parallel on 2 threads, and
    // many reads of a small one (reads in parallel): both identical to the 1-thread run.
    let big = random_bqm(300, 0.02, Vartype::Spin, 13, None);
    let one_read = pt(ParallelTemperingParams {
        num_reads: Some(1),
        num_replicas: 6,
        num_sweeps: 40,
        swap_interval: 20,
        seed: Some(4),
        ..Default::default()
    });
    let a = with_threads(1, || one_read.sample(&big).unwrap());
    let b = with_threads(2, || one_read.sample(&big).unwrap());
    assert_same_rows(&a, &b);
    assert_eq!(a.info().extra, b.info().extra);
    let small = random_bqm(20, 0.3, Vartype::Binary, 14, None);
    let many = pt(ParallelTemperingParams {
        num_reads: Some(10),
        num_replicas: 4,
        num_sweeps: 50,
        seed: Some(5),
        randomize_order: true,
        ..Default::default()
    });
    let a = with_threads(1, || many.sample(&small).unwrap());
    let b = with_threads(2, || many.sample(&small).unwrap());
    assert_same_rows(&a, &b);
    assert_eq!(fingerprint(&a), PT_FINGERPRINT, "value stability");
}
const PT_FINGERPRINT: u64 = 5546549193356497325;

#[test]
fn bad_parameters_are_rejected() {
    let bad = [
        (
            ParallelTemperingParams {
                num_reads: Some(0),
                ..Default::default()
            },
            "num_reads",
        ),
        (
            ParallelTemperingParams {
                num_replicas: 0,
                ..Default::default()
            },
            "num_replicas",
        ),
        (
            ParallelTemperingParams {
                num_replicas: 5000,
                ..Default::default()
            },
            "num_replicas",
        ),
        (
            ParallelTemperingParams {
                swap_interval: 0,
                ..Default::default()
            },
            "swap_interval",
        ),
        (
            ParallelTemperingParams {
                beta_range: Some([1.0, 0.5]),
                ..Default::default()
            },
            "beta_range",
        ),
        (
            ParallelTemperingParams {
                beta_range: Some([0.0, 0.5]),
                ..Default::default()
            },
            "beta_range",
        ),
        (
            ParallelTemperingParams {
                betas: Some(vec![]),
                ..Default::default()
            },
            "betas",
        ),
        (
            ParallelTemperingParams {
                betas: Some(vec![1.0, 0.5]),
                ..Default::default()
            },
            "betas",
        ),
        (
            ParallelTemperingParams {
                betas: Some(vec![0.5, f64::NAN]),
                ..Default::default()
            },
            "betas",
        ),
    ];
    for (params, argument) in bad {
        let err = ParallelTempering::new(params.clone()).unwrap_err();
        assert!(
            err.to_string().contains(&format!("`{argument}`")),
            "{params:?}: {err}"
        );
    }
    let empty = pt(ParallelTemperingParams {
        num_reads: Some(2),
        num_sweeps: 3,
        ..Default::default()
    })
    .sample(&Bqm::new(Vartype::Binary))
    .unwrap();
    assert_eq!(empty.len(), 2);
}
