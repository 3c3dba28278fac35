//! Exact solver against an independent brute force, dimod's Gray-code order, limits and
//! reproducibility.

mod anneal_support;

use anneal_support::*;
use neuroquant::ErrorKind;
use neuroquant::anneal::{
    AnnealError, Control, DEFAULT_ALL_STATES_VARIABLES, ExactMode, ExactParams, ExactSolver,
    MAX_ALL_STATES_VARIABLES, Sampler,
};
use neuroquant::qubo::{Bqm, Vartype};

fn ground_solver(cap: usize) -> ExactSolver {
    ExactSolver::new(
        ExactParams::default()
            .mode(ExactMode::GroundStates)
            .max_ground_states(cap),
    )
    .unwrap()
}

#[test]
fn all_states_match_brute_force_on_random_models() {
    for (seed, n, vt) in [
        (1, 1, Vartype::Spin),
        (2, 5, Vartype::Binary),
        (3, 9, Vartype::Spin),
        (4, 12, Vartype::Binary),
    ] {
        let bqm = random_bqm(n, 0.6, vt, seed, None);
        let set = ExactSolver::default().sample(&bqm).unwrap();
        assert_eq!(set.len(), 1 << n);
        assert_consistent(&set, &bqm);
        // Every assignment exactly once.
        let mut seen = vec![false; 1 << n];
        for i in 0..set.len() {
            let c = code_of(set.sample(i), vt) as usize;
            assert!(!seen[c]);
            seen[c] = true;
        }
        let (min, _) = brute_force(&bqm);
        let got = set.first().unwrap().1;
        assert!((got - min).abs() < 1e-9, "n={n}: {got} vs {min}");
    }
}

#[test]
fn all_states_come_in_dimods_gray_code_order() {
    // dimod.ExactSolver().sample(BQM({0: 1, 1: -0.5, 2: 0.25}, {(0, 1): 1, (1, 2): -2}, 0.5, 'SPIN'))
    // lists the samples in this order (variable 0 is the fastest-changing bit).
    let mut bqm = Bqm::with_variables(Vartype::Spin, 3).unwrap();
    bqm.add_linear_from(&[1.0, -0.5, 0.25]).unwrap();
    bqm.add_quadratic_from(&[0, 1], &[1, 2], &[1.0, -2.0]).unwrap();
    bqm.set_offset(0.5).unwrap();
    let set = ExactSolver::default().sample(&bqm).unwrap();
    let dimod = [
        [-1, -1, -1],
        [1, -1, -1],
        [1, 1, -1],
        [-1, 1, -1],
        [-1, 1, 1],
        [1, 1, 1],
        [1, -1, 1],
        [-1, -1, 1],
    ];
    for (i, row) in dimod.iter().enumerate() {
        assert_eq!(set.sample(i), row);
    }
}

#[test]
fn ground_states_match_brute_force_including_degeneracy() {
    let mut degenerate = 0;
    for seed in 0..6 {
        let n = 10 + seed as usize % 5;
        let vt = if seed % 2 == 0 {
            Vartype::Spin
        } else {
            Vartype::Binary
        };
        // Small integer biases make degenerate ground states common.
        let bqm = random_bqm(n, 0.5, vt, 100 + seed, Some(1));
        let (min, argmin) = brute_force(&bqm);
        let set = ground_solver(1000).sample(&bqm).unwrap();
        assert_consistent(&set, &bqm);
        let mut got: Vec<u64> = (0..set.len()).map(|i| code_of(set.sample(i), vt)).collect();
        got.sort_unstable();
        assert_eq!(got, argmin, "seed {seed}");
        assert!(set.energies().iter().all(|&e| (e - min).abs() < 1e-9));
        assert_eq!(set.info().extra["truncated"], false);
        degenerate += usize::from(argmin.len() > 1);
    }
    assert!(
        degenerate >= 2,
        "the models should exercise degenerate ground states"
    );
}

#[test]
fn ground_state_cap_truncates_and_says_so() {
    // No biases at all: every one of the 2^8 states is a ground state.
    let bqm = Bqm::with_variables(Vartype::Binary, 8).unwrap();
    let set = ground_solver(5).sample(&bqm).unwrap();
    assert_eq!(set.len(), 5);
    assert_eq!(set.info().extra["truncated"], true);
    let set = ground_solver(256).sample(&bqm).unwrap();
    assert_eq!(set.len(), 256);
    assert_eq!(set.info().extra["truncated"], false);
}

#[test]
fn limits_are_enforced_with_a_clear_error() {
    // The default limit (24, dimod enumerates that many) is refused before anything is allocated.
    let bqm = Bqm::with_variables(Vartype::Spin, DEFAULT_ALL_STATES_VARIABLES + 1).unwrap();
    let err = ExactSolver::default().sample(&bqm).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::LimitExceeded);
    assert!(
        err.to_string()
            .contains("25 variables exceeds this sampler's limit of 24 (its max_variables)"),
        "{err}"
    );
    // max_variables moves the limit, down or up to the sample-set limit (26), not beyond.
    let small = ExactSolver::new(ExactParams::default().max_variables(Some(3))).unwrap();
    let four = Bqm::with_variables(Vartype::Spin, 4).unwrap();
    assert!(
        small
            .sample(&four)
            .unwrap_err()
            .to_string()
            .contains("limit of 3")
    );
    assert_eq!(
        small
            .sample(&Bqm::with_variables(Vartype::Spin, 3).unwrap())
            .unwrap()
            .len(),
        8
    );
    assert!(ExactSolver::new(ExactParams::default().max_variables(Some(MAX_ALL_STATES_VARIABLES))).is_ok());
    let err = ExactSolver::new(ExactParams::default().max_variables(Some(MAX_ALL_STATES_VARIABLES + 1)))
        .unwrap_err();
    assert!(
        err.to_string()
            .contains("`max_variables`: 27 exceeds the limit of 26"),
        "{err}"
    );
    let ground = ExactParams::default()
        .mode(ExactMode::GroundStates)
        .max_variables(Some(33));
    assert!(ExactSolver::new(ground).is_err());
    let big = Bqm::with_variables(Vartype::Spin, 33).unwrap();
    assert!(matches!(
        ground_solver(1).sample(&big).unwrap_err(),
        neuroquant::Error::Anneal(AnnealError::TooManyVariables { limit: 32, .. })
    ));
    assert!(
        ExactSolver::new(
            ExactParams::default()
                .mode(ExactMode::GroundStates)
                .max_ground_states(0)
        )
        .is_err()
    );
}

#[test]
fn empty_model_has_one_state() {
    let mut bqm = Bqm::new(Vartype::Binary);
    bqm.set_offset(2.5).unwrap();
    for solver in [ExactSolver::default(), ground_solver(3)] {
        let set = solver.sample(&bqm).unwrap();
        assert_eq!(set.len(), 1);
        assert_eq!(set.energies(), &[2.5]);
    }
}

#[test]
fn results_do_not_depend_on_the_thread_count() {
    let bqm = random_bqm(18, 0.3, Vartype::Spin, 7, Some(2));
    for solver in [ExactSolver::default(), ground_solver(50)] {
        let a = with_threads(1, || solver.sample(&bqm).unwrap());
        let b = with_threads(2, || solver.sample(&bqm).unwrap());
        assert_same_rows(&a, &b);
    }
}

#[test]
fn a_stop_before_completion_is_an_error() {
    let bqm = random_bqm(20, 0.2, Vartype::Spin, 8, None);
    let stop = || true;
    let control = Control::default().with_interrupt(&stop);
    let err = ground_solver(1).sample_with(&bqm, &control).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Interrupted);
}
