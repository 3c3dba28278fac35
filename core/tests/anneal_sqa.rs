//! Path-integral quantum annealing: the Trotterized single-spin oracle of
//! `shared/notes/hamiltonian_anchors.md` §5, the end of the schedule (Γ(1 − s) = 0), ground
//! states, reproducibility and bad input.

mod anneal_support;

use anneal_support::*;
use neuroquant::anneal::{
    Column, InitialStates, PathIntegralAnnealing, PathIntegralParams, Sampler, SqaStep,
};
use neuroquant::qubo::{Bqm, Vartype};

fn sqa(params: PathIntegralParams) -> PathIntegralAnnealing {
    PathIntegralAnnealing::new(params).unwrap()
}

/// `H = −hz Z − Γ X` at inverse temperature β: with our `H(s) = s·H_p + Γ'(1 − s)·X` this is
/// `s = ½`, `H_p = −2hz·Z` (linear bias `h = −2hz`), `Γ' = 2Γ`. The mean of σ over all slices and
/// reads must match the Trotter-exact ⟨Z⟩_P of the table (notes §5), within 4 standard errors.
#[test]
fn single_spin_magnetisation_matches_the_trotter_table() {
    // (β, hz, Γ, P, ⟨Z⟩_P from hamiltonian_anchors.md §5, exact ⟨Z⟩)
    let table = [
        (5.0, 0.5, 1.0, 4, 0.6178017624, 0.4472011223),
        (5.0, 0.5, 1.0, 8, 0.4969488335, 0.4472011223),
        (2.0, 0.3, 1.0, 4, 0.3005417214, 0.2786552429),
    ];
    for (i, &(beta, hz, gamma, p, want, exact)) in table.iter().enumerate() {
        let mut bqm = Bqm::with_variables(Vartype::Spin, 1).unwrap();
        bqm.add_linear(0, -2.0 * hz).unwrap();
        let reads = 40_000;
        let set = sqa(PathIntegralParams {
            num_reads: Some(reads),
            gamma: 2.0 * gamma,
            trotter: p,
            schedule: Some(vec![SqaStep {
                s: 0.5,
                beta,
                sweeps: 60,
            }]),
            seed: Some(100 + i as u64),
            return_all_slices: true,
            ..Default::default()
        })
        .sample(&bqm)
        .unwrap();
        assert_eq!(set.len(), reads * p);
        // Per-read means are independent; their spread gives the standard error.
        let means: Vec<f64> = set
            .samples()
            .chunks(p)
            .map(|c| c.iter().map(|&s| f64::from(s)).sum::<f64>() / p as f64)
            .collect();
        let m = means.iter().sum::<f64>() / reads as f64;
        let var = means.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (reads - 1) as f64;
        let se = (var / reads as f64).sqrt();
        assert!(
            (m - want).abs() < 4.0 * se,
            "case {i}: <Z> = {m} ± {se}, table {want}"
        );
        // The Trotter error is visible: the sampler is not just converging to the exact value.
        assert!(
            (m - exact).abs() > 4.0 * se || p > 4,
            "case {i}: indistinguishable from exact"
        );
    }
}

#[test]
fn no_nan_and_frozen_slices_at_the_end_of_the_schedule() {
    let bqm = random_bqm(12, 0.4, Vartype::Spin, 31, None);
    // Slices starting equal stay equal when Γ(1 − s) = 0: every flip would break agreement.
    let start = InitialStates::new(1, 12, vec![1, -1, 1, 1, -1, -1, 1, -1, 1, 1, 1, -1]).unwrap();
    for (s, gamma) in [(1.0, 1.0), (0.3, 0.0)] {
        let set = sqa(PathIntegralParams {
            trotter: 3,
            gamma,
            schedule: Some(vec![SqaStep {
                s,
                beta: 5.0,
                sweeps: 50,
            }]),
            initial_states: Some(start.clone()),
            seed: Some(1),
            return_all_slices: true,
            ..Default::default()
        })
        .sample(&bqm)
        .unwrap();
        for k in 0..3 {
            assert_eq!(set.sample(k), start.state(0), "s = {s}, gamma = {gamma}");
        }
    }
    // From random slices, s = 1 drives every slice into agreement; energies stay finite.
    let set = sqa(PathIntegralParams {
        num_reads: Some(20),
        trotter: 4,
        schedule: Some(vec![SqaStep {
            s: 1.0,
            beta: 5.0,
            sweeps: 200,
        }]),
        seed: Some(2),
        return_all_slices: true,
        ..Default::default()
    })
    .sample(&bqm)
    .unwrap();
    assert!(set.energies().iter().all(|e| e.is_finite()));
    for r in 0..20 {
        for k in 1..4 {
            assert_eq!(set.sample(4 * r + k), set.sample(4 * r), "read {r}");
        }
    }
    let Column::I64(slice) = &set.vectors()["slice"] else {
        panic!()
    };
    assert_eq!(&slice[..5], &[0, 1, 2, 3, 0]);
}

#[test]
fn default_quartic_schedule_finds_ground_states() {
    for seed in 0..3u64 {
        let bqm = random_bqm(
            12,
            0.4,
            if seed == 1 { Vartype::Binary } else { Vartype::Spin },
            400 + seed,
            None,
        );
        let (min, _) = brute_force(&bqm);
        let set = sqa(PathIntegralParams {
            num_reads: Some(8),
            num_sweeps: 300,
            beta: 10.0,
            seed: Some(seed),
            ..Default::default()
        })
        .sample(&bqm)
        .unwrap();
        assert_consistent(&set, &bqm);
        assert!((set.first().unwrap().1 - min).abs() < 1e-9, "seed {seed}");
        assert_eq!(set.info().extra["schedule"], "quartic");
    }
    // The default schedule is OpenJij's: s = τ⁴(35 − 84τ + 70τ² − 20τ³) on linspace(0, 1, m).
    let steps = PathIntegralParams {
        num_sweeps: 5,
        ..Default::default()
    }
    .resolved_schedule();
    let want = [0.0, 0.070556640625, 0.5, 0.929443359375, 1.0]; // numpy, OpenJij's formula
    for (st, w) in steps.iter().zip(want) {
        assert!((st.s - w).abs() < 1e-15 && st.beta == 5.0 && st.sweeps == 1);
    }
}

#[test]
fn same_seed_same_rows_for_any_thread_count() {
    let bqm = random_bqm(25, 0.3, Vartype::Binary, 5, None);
    let s = sqa(PathIntegralParams {
        num_reads: Some(9),
        num_sweeps: 40,
        seed: Some(6),
        ..Default::default()
    });
    let a = with_threads(1, || s.sample(&bqm).unwrap());
    let b = with_threads(2, || s.sample(&bqm).unwrap());
    assert_same_rows(&a, &b);
    assert_eq!(fingerprint(&a), SQA_FINGERPRINT, "value stability");
}
const SQA_FINGERPRINT: u64 = 8610404260932747259;

#[test]
fn bad_parameters_are_rejected() {
    let step = |s, beta| Some(vec![SqaStep { s, beta, sweeps: 1 }]);
    let bad = [
        (
            PathIntegralParams {
                num_reads: Some(0),
                ..Default::default()
            },
            "num_reads",
        ),
        (
            PathIntegralParams {
                trotter: 0,
                ..Default::default()
            },
            "trotter",
        ),
        (
            PathIntegralParams {
                trotter: 5000,
                ..Default::default()
            },
            "trotter",
        ),
        (
            PathIntegralParams {
                gamma: -1.0,
                ..Default::default()
            },
            "gamma",
        ),
        (
            PathIntegralParams {
                gamma: f64::NAN,
                ..Default::default()
            },
            "gamma",
        ),
        (
            PathIntegralParams {
                beta: f64::INFINITY,
                ..Default::default()
            },
            "beta",
        ),
        (
            PathIntegralParams {
                schedule: Some(vec![]),
                ..Default::default()
            },
            "schedule",
        ),
        (
            PathIntegralParams {
                schedule: step(1.5, 1.0),
                ..Default::default()
            },
            "schedule",
        ),
        (
            PathIntegralParams {
                schedule: step(f64::NAN, 1.0),
                ..Default::default()
            },
            "schedule",
        ),
        (
            PathIntegralParams {
                schedule: step(0.5, -1.0),
                ..Default::default()
            },
            "schedule",
        ),
    ];
    for (params, argument) in bad {
        let err = PathIntegralAnnealing::new(params.clone()).unwrap_err();
        assert!(
            err.to_string().contains(&format!("`{argument}`")),
            "{params:?}: {err}"
        );
    }
}
