//! Parallel tempering: ground states, Boltzmann sampling at every temperature of a ladder (dense
//! and sparse kernels, and the exact energy distribution of a 60-spin glass), exchanges across a
//! barrier single-spin moves cannot cross, reproducibility in both parallel modes, and bad input.

mod anneal_support;

use anneal_support::*;
use neuroquant::anneal::{Ladder, ParallelTempering, ParallelTemperingParams, PtOutput, Sampler};
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
        let set = pt(ParallelTemperingParams::default()
            .num_reads(4)
            .seed(seed)
            .num_sweeps(300)
            .ladder(Ladder::Geometric {
                num_replicas: 8,
                range: None,
            }))
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
/// (dense kernel).
#[test]
fn coldest_replica_follows_the_boltzmann_distribution() {
    let mut bqm = Bqm::with_variables(Vartype::Spin, 4).unwrap();
    bqm.add_linear_from(&[0.3, -0.2, 0.1, 0.4]).unwrap();
    bqm.add_quadratic_from(&[0, 1, 2, 0, 0], &[1, 2, 3, 3, 2], &[-0.5, 0.7, -0.3, 0.6, 0.2])
        .unwrap();
    let set = pt(ParallelTemperingParams::default()
        .num_reads(40_000)
        .seed(12)
        .num_sweeps(30)
        .output(PtOutput::Coldest)
        .ladder(Ladder::Custom(vec![0.2, 0.5, 1.0])))
    .sample(&bqm)
    .unwrap();
    let counts = state_counts(&set, 0..set.len());
    let fit = chi_square_test(&counts, &boltzmann(&bqm, 1.0));
    assert!(fit.p_value > P_MIN, "{fit:?}");
    let off = chi_square_test(&counts, &boltzmann(&bqm, 0.5));
    assert!(off.p_value < P_MIN, "{off:?}");
    let rates = set.info().extra["swap_acceptance_rates"].as_array().unwrap();
    assert!(rates.iter().all(|r| r.as_f64().unwrap() > 0.1), "{rates:?}");
}

/// Every temperature of a ladder samples its own Boltzmann distribution, on the sparse kernel
/// with complete rows (`two_hub_model`). The sampler returns only the coldest replica, so each
/// beta of the ladder is made the coldest in turn: the ladder's first `k + 1` temperatures,
/// tested at the `k`-th. Chi-square over the 256 states.
#[test]
fn every_ladder_temperature_samples_its_boltzmann_distribution() {
    let bqm = two_hub_model();
    let ladder = [0.3, 0.6, 1.0, 1.5];
    for k in 0..ladder.len() {
        let set = pt(ParallelTemperingParams::default()
            .num_reads(20_000)
            .seed(20 + k as u64)
            .num_sweeps(40)
            .output(PtOutput::Coldest)
            .ladder(Ladder::Custom(ladder[..=k].to_vec())))
        .sample(&bqm)
        .unwrap();
        let counts = state_counts(&set, 0..set.len());
        let fit = chi_square_test(&counts, &boltzmann(&bqm, ladder[k]));
        assert!(fit.p_value > P_MIN, "beta {}: {fit:?}", ladder[k]);
        let off = chi_square_test(&counts, &boltzmann(&bqm, 1.2 * ladder[k]));
        assert!(off.p_value < P_MIN, "beta {}: {off:?}", ladder[k]);
    }
}

/// Exchanges are what make tempering work: in a 6-spin ferromagnet (couplings -1, fields -0.1)
/// at beta = 1.5 a single-spin move out of either aligned state costs about 10, so Metropolis
/// alone keeps each read in the well it first fell into (about half each), while the Boltzmann
/// weights are 86 % / 14 %. With a ladder reaching beta = 0.05 the coldest replica samples
/// the right weights; the one-temperature ladder (the negative control) does not.
#[test]
fn exchanges_carry_the_coldest_replica_across_a_barrier() {
    let n = 6u32;
    let mut bqm = Bqm::with_variables(Vartype::Spin, n as usize).unwrap();
    bqm.add_linear_from(&[-0.1; 6]).unwrap();
    for u in 0..n {
        for v in u + 1..n {
            bqm.add_quadratic(u, v, -1.0).unwrap();
        }
    }
    let cold = 1.5;
    let probs = boltzmann(&bqm, cold);
    let ladder: Vec<f64> = (0..8)
        .map(|k| 0.05 * (cold / 0.05f64).powf(k as f64 / 7.0))
        .collect();
    let run = |betas: Vec<f64>| {
        let set = pt(ParallelTemperingParams::default()
            .num_reads(10_000)
            .seed(8)
            .num_sweeps(150)
            .output(PtOutput::Coldest)
            .ladder(Ladder::Custom(betas)))
        .sample(&bqm)
        .unwrap();
        chi_square_test(&state_counts(&set, 0..set.len()), &probs)
    };
    let tempered = run(ladder);
    assert!(tempered.p_value > P_MIN, "{tempered:?}");
    let alone = run(vec![cold]);
    assert!(
        alone.p_value < P_MIN,
        "the barrier is crossed without exchanges: {alone:?}"
    );
}

/// The coldest replica of a ladder ending at beta = 1 on a 60-spin frustrated glass (±1
/// couplings and fields, sparse kernel) follows the exact Boltzmann distribution of energies,
/// from the density of states by dynamic programming over the strip's columns.
#[test]
fn coldest_replica_of_a_60_spin_glass_follows_the_exact_energy_distribution() {
    let bqm = strip_glass(6, 10, false, 1.0, 3);
    let levels = energy_levels_by_columns(&bqm, 6);
    let beta = 1.0;
    let set = pt(ParallelTemperingParams::default()
        .num_reads(1500)
        .seed(9)
        .num_sweeps(200)
        .output(PtOutput::Coldest)
        .ladder(Ladder::Geometric {
            num_replicas: 6,
            range: Some([0.2, beta]),
        }))
    .sample(&bqm)
    .unwrap();
    let counts = level_counts(&set, &levels);
    let fit = chi_square_test(&counts, &energy_level_probabilities(&levels, beta));
    assert!(fit.p_value > P_MIN, "{fit:?}");
    for off in [0.8, 1.25] {
        let fit = chi_square_test(&counts, &energy_level_probabilities(&levels, off * beta));
        assert!(fit.p_value < P_MIN, "beta {off}: {fit:?}");
    }
}

/// Most reads reach the exact ground state (dynamic programming) of 60-spin frustrated glasses
/// with the default beta range over 8 temperatures: the lowest state seen (default output) in
/// every read, and the final state of the coldest replica in at least 95 % of reads. Integer
/// fields make every spin's cheapest excitation cost 2, so at twice the temperature about a
/// quarter of the coldest replicas end excited (71–77 % at the ground state on these instances).
#[test]
fn most_reads_reach_the_exact_ground_state_of_60_spin_glasses() {
    let (mut hits, mut reads) = (0, 0);
    for seed in [1u64, 2, 7] {
        let bqm = strip_glass(6, 10, false, 1.0, seed);
        let ground = ground_energy_by_columns(&bqm, 6);
        let params = ParallelTemperingParams::default()
            .num_reads(100)
            .seed(seed)
            .num_sweeps(300)
            .output(PtOutput::Coldest)
            .ladder(Ladder::Geometric {
                num_replicas: 8,
                range: None,
            });
        let set = pt(params.clone()).sample(&bqm).unwrap();
        assert_consistent(&set, &bqm);
        hits += rows_at(&set, ground);
        reads += set.len();
        if seed == 1 {
            let best = pt(params.output(PtOutput::Best)).sample(&bqm).unwrap();
            assert_eq!(rows_at(&best, ground), best.len());
        }
    }
    assert!(
        hits * 100 >= 95 * reads,
        "{hits} of {reads} coldest replicas at the ground state"
    );
}

#[test]
fn same_seed_same_rows_whether_reads_or_replicas_run_in_parallel() {
    // One read of a model large enough for the replicas to sweep in parallel on 2 threads, and
    // many reads of a small one (reads in parallel): both identical to the 1-thread run.
    let big = random_bqm(300, 0.02, Vartype::Spin, 13, None);
    let one_read = pt(ParallelTemperingParams::default()
        .num_reads(1)
        .seed(4)
        .num_sweeps(40)
        .swap_interval(20)
        .ladder(Ladder::Geometric {
            num_replicas: 6,
            range: None,
        }));
    let a = with_threads(1, || one_read.sample(&big).unwrap());
    let b = with_threads(2, || one_read.sample(&big).unwrap());
    assert_same_rows(&a, &b);
    assert_eq!(a.info().extra, b.info().extra);
    let small = random_bqm(20, 0.3, Vartype::Binary, 14, None);
    let many = pt(ParallelTemperingParams::default()
        .num_reads(10)
        .seed(5)
        .num_sweeps(50)
        .randomize_order(true)
        .ladder(Ladder::Geometric {
            num_replicas: 4,
            range: None,
        }));
    let a = with_threads(1, || many.sample(&small).unwrap());
    let b = with_threads(2, || many.sample(&small).unwrap());
    assert_same_rows(&a, &b);
    // A change detector, not evidence of correctness (the oracle tests above are): these rows
    // are part of the reproducibility contract, so changing them must be deliberate.
    assert_eq!(fingerprint(&a), CHANGE_DETECTOR, "rows for a fixed seed changed");
}
const CHANGE_DETECTOR: u64 = 5546549193356497325;

#[test]
fn bad_parameters_are_rejected() {
    let bad = [
        (ParallelTemperingParams::default().num_reads(0), "num_reads"),
        (
            ParallelTemperingParams::default().ladder(Ladder::Geometric {
                num_replicas: 0,
                range: None,
            }),
            "num_replicas",
        ),
        (
            ParallelTemperingParams::default().ladder(Ladder::Geometric {
                num_replicas: 5000,
                range: None,
            }),
            "num_replicas",
        ),
        (
            ParallelTemperingParams::default().swap_interval(0),
            "swap_interval",
        ),
        (
            ParallelTemperingParams::default().ladder(Ladder::Geometric {
                num_replicas: neuroquant::anneal::DEFAULT_NUM_REPLICAS,
                range: Some([1.0, 0.5]),
            }),
            "beta_range",
        ),
        (
            ParallelTemperingParams::default().ladder(Ladder::Geometric {
                num_replicas: neuroquant::anneal::DEFAULT_NUM_REPLICAS,
                range: Some([0.0, 0.5]),
            }),
            "beta_range",
        ),
        (
            ParallelTemperingParams::default().ladder(Ladder::Custom(vec![])),
            "betas",
        ),
        (
            ParallelTemperingParams::default().ladder(Ladder::Custom(vec![1.0, 0.5])),
            "betas",
        ),
        (
            ParallelTemperingParams::default().ladder(Ladder::Custom(vec![0.5, f64::NAN])),
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
    let empty = pt(ParallelTemperingParams::default().num_reads(2).num_sweeps(3))
        .sample(&Bqm::new(Vartype::Binary))
        .unwrap();
    assert_eq!(empty.len(), 2);
}
