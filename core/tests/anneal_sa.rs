//! Simulated annealing: ground states, the Boltzmann distribution at fixed beta (dense and sparse
//! kernels, and the exact energy distribution of a 60-spin glass), dwave-samplers' default beta
//! range, initial-state semantics, reproducibility, interruption and bad input.

mod anneal_support;

use anneal_support::*;
use neuroquant::ErrorKind;
use neuroquant::anneal::{
    BetaSchedule, Control, InitialStates, InitialStatesGenerator, ProposalAcceptance, Sampler,
    SimulatedAnnealing, SimulatedAnnealingParams, default_beta_range,
};
use neuroquant::qubo::{Bqm, Vartype};
use std::sync::atomic::{AtomicUsize, Ordering};

fn sa(params: SimulatedAnnealingParams) -> SimulatedAnnealing {
    SimulatedAnnealing::new(params).unwrap()
}

#[test]
fn reaches_the_exact_ground_state_of_random_16_variable_models() {
    for seed in 0..4u64 {
        let vt = if seed % 2 == 0 {
            Vartype::Spin
        } else {
            Vartype::Binary
        };
        let bqm = random_bqm(16, 0.4, vt, seed, None);
        let (min, _) = brute_force(&bqm);
        for (order, crit) in [
            (false, ProposalAcceptance::Metropolis),
            (true, ProposalAcceptance::Metropolis),
            (false, ProposalAcceptance::Gibbs),
        ] {
            let set = sa(SimulatedAnnealingParams::default()
                .num_reads(20)
                .seed(seed)
                .num_sweeps(Some(500))
                .randomize_order(order)
                .proposal_acceptance_criteria(crit))
            .sample(&bqm)
            .unwrap();
            assert_consistent(&set, &bqm);
            let best = set.first().unwrap().1;
            assert!(
                (best - min).abs() < 1e-9,
                "seed {seed} {order} {crit:?}: {best} vs {min}"
            );
        }
    }
}

/// Sequential Metropolis (and Gibbs, and random order) at one fixed beta leaves the Boltzmann
/// distribution invariant: after enough sweeps from random states the final states of many reads
/// are Boltzmann samples. Pearson chi-square over the 16 states (dense kernel).
#[test]
fn fixed_beta_samples_follow_the_boltzmann_distribution() {
    let mut bqm = Bqm::with_variables(Vartype::Spin, 4).unwrap();
    bqm.add_linear_from(&[0.3, -0.2, 0.1, 0.4]).unwrap();
    bqm.add_quadratic_from(&[0, 1, 2, 0, 0], &[1, 2, 3, 3, 2], &[-0.5, 0.7, -0.3, 0.6, 0.2])
        .unwrap();
    let beta = 1.0;
    let probs = boltzmann(&bqm, beta);
    for (order, crit) in [
        (false, ProposalAcceptance::Metropolis),
        (true, ProposalAcceptance::Metropolis),
        (false, ProposalAcceptance::Gibbs),
    ] {
        let set = sa(SimulatedAnnealingParams::default()
            .num_reads(40_000)
            .seed(11)
            .randomize_order(order)
            .proposal_acceptance_criteria(crit)
            .schedule(BetaSchedule::Custom(vec![beta; 30])))
        .sample(&bqm)
        .unwrap();
        let counts = state_counts(&set, 0..set.len());
        let fit = chi_square_test(&counts, &probs);
        assert!(fit.p_value > P_MIN, "{order} {crit:?}: {fit:?}");
        // And the test has power: the distribution at a different beta is rejected.
        let off = chi_square_test(&counts, &boltzmann(&bqm, 1.5));
        assert!(off.p_value < P_MIN, "{order} {crit:?}: {off:?}");
    }
}

/// The sparse kernel, including the complete-row update (`two_hub_model`: hubs 2 and 5 are
/// coupled to every spin, the model stays below the dense threshold), leaves the Boltzmann
/// distribution invariant, in every (order, criterion) mode. Chi-square over the 256 states.
#[test]
fn sparse_model_with_complete_rows_follows_the_boltzmann_distribution() {
    let bqm = two_hub_model();
    let beta = 1.0;
    let probs = boltzmann(&bqm, beta);
    for (order, crit) in [
        (false, ProposalAcceptance::Metropolis),
        (true, ProposalAcceptance::Metropolis),
        (false, ProposalAcceptance::Gibbs),
        (true, ProposalAcceptance::Gibbs),
    ] {
        let set = sa(SimulatedAnnealingParams::default()
            .num_reads(40_000)
            .seed(13)
            .randomize_order(order)
            .proposal_acceptance_criteria(crit)
            .schedule(BetaSchedule::Custom(vec![beta; 40])))
        .sample(&bqm)
        .unwrap();
        let counts = state_counts(&set, 0..set.len());
        let fit = chi_square_test(&counts, &probs);
        assert!(fit.p_value > P_MIN, "{order} {crit:?}: {fit:?}");
        // Power: the distribution 20 % colder is rejected.
        let off = chi_square_test(&counts, &boltzmann(&bqm, 1.2 * beta));
        assert!(off.p_value < P_MIN, "{order} {crit:?}: {off:?}");
    }
}

/// A 60-spin frustrated glass (±1 couplings and fields on a 6 × 10 strip; sparse kernel), annealed
/// to beta = 1 and held there: the energies of the final states follow the exact Boltzmann
/// distribution of energies, from the model's density of states (dynamic programming over the
/// strip's columns; 2^60 states cannot be enumerated). Acceptance at half or twice the
/// temperature gives p-values below 1e-100.
#[test]
fn frustrated_glass_energies_follow_the_exact_boltzmann_distribution() {
    let bqm = strip_glass(6, 10, false, 1.0, 1);
    let levels = energy_levels_by_columns(&bqm, 6);
    let beta = 1.0;
    let mut schedule: Vec<f64> = (0..200)
        .map(|k| 0.1 * (beta / 0.1f64).powf(k as f64 / 200.0))
        .collect();
    schedule.resize(500, beta);
    let set = sa(SimulatedAnnealingParams::default()
        .num_reads(2000)
        .seed(17)
        .schedule(BetaSchedule::Custom(schedule)))
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

/// Most reads, not the best of many, reach the exact ground state (dynamic programming) of
/// 60-spin frustrated glasses with dwave's default schedule. Integer fields make every spin's
/// cheapest excitation cost 2, the smallest bias, so the default cold end leaves about 1 % of
/// final states excited; at twice the temperature about a quarter are. The three instances
/// (of 12 tried) are those where that gap is clearest: 91–95 % of reads at the ground state, and
/// 61–73 % with the schedule's temperatures doubled.
#[test]
fn most_reads_reach_the_exact_ground_state_of_60_spin_glasses() {
    let (mut hits, mut reads) = (0, 0);
    for seed in [0u64, 3, 7] {
        let bqm = strip_glass(6, 10, false, 1.0, seed);
        let ground = ground_energy_by_columns(&bqm, 6);
        let set = sa(SimulatedAnnealingParams::default()
            .num_reads(200)
            .seed(seed)
            .num_sweeps(Some(3000)))
        .sample(&bqm)
        .unwrap();
        assert_consistent(&set, &bqm);
        assert!(set.energies().iter().all(|&e| e >= ground - 1e-9));
        let at = rows_at(&set, ground);
        assert!(
            at >= 150,
            "instance {seed}: {at} of 200 reads at the ground state {ground}"
        );
        hits += at;
        reads += set.len();
    }
    assert!(
        hits * 100 >= 85 * reads,
        "{hits} of {reads} reads at the ground state"
    );
}

/// Reference values from dwave-samplers 1.8.0 (`/work/peers-venv/bin/python`):
///
/// ```python
/// import dimod
/// from dwave.samplers.sa.sampler import default_beta_range
/// def formula(n, vartype):
///     h = {i: ((i * 5) % 7 - 3) / 2 for i in range(n)}
///     J = {(i, j): ((i * 7 + j * 3) % 11 - 5) / 4 for i in range(n) for j in range(i + 1, n) if (i + j) % 3 == 0}
///     return dimod.BQM(h, J, 0.0, vartype)
/// models = {
///     "spin4": dimod.BQM({0: 1.0, 1: -0.5, 2: 0.25, 3: 0.0}, {(0, 1): 1.0, (1, 2): -2.0, (2, 3): 0.5, (0, 3): 0.5}, 0.0, "SPIN"),
///     "binary3": dimod.BQM({0: 1.0, 1: -2.0, 2: 0.5}, {(0, 1): 4.0, (1, 2): -1.5, (0, 2): 3.0}, 0.5, "BINARY"),
///     "chain10": dimod.BQM({i: 0.0 for i in range(10)}, {(i, i + 1): (1.0 if i % 2 else -1.0) for i in range(9)}, 0.0, "SPIN"),
///     "formula_spin12": formula(12, "SPIN"),
///     "formula_binary12": formula(12, "BINARY"),
/// }
/// for k, b in models.items():
///     print(k, default_beta_range(b))
/// ```
#[test]
fn default_beta_range_matches_dwave_samplers() {
    let formula = |n: u32, vt| {
        let mut b = Bqm::with_variables(vt, n as usize).unwrap();
        let h: Vec<f64> = (0..n).map(|i| ((i * 5) % 7) as f64 / 2.0 - 1.5).collect();
        b.add_linear_from(&h).unwrap();
        for i in 0..n {
            for j in i + 1..n {
                if (i + j) % 3 == 0 {
                    b.add_quadratic(i, j, (((i * 7 + j * 3) % 11) as f64 - 5.0) / 4.0)
                        .unwrap();
                }
            }
        }
        b
    };
    let mut spin4 = Bqm::with_variables(Vartype::Spin, 4).unwrap();
    spin4.add_linear_from(&[1.0, -0.5, 0.25, 0.0]).unwrap();
    spin4
        .add_quadratic_from(&[0, 1, 2, 0], &[1, 2, 3, 3], &[1.0, -2.0, 0.5, 0.5])
        .unwrap();
    let mut binary3 = Bqm::with_variables(Vartype::Binary, 3).unwrap();
    binary3.add_linear_from(&[1.0, -2.0, 0.5]).unwrap();
    binary3
        .add_quadratic_from(&[0, 1, 0], &[1, 2, 2], &[4.0, -1.5, 3.0])
        .unwrap();
    binary3.set_offset(0.5).unwrap();
    let mut chain10 = Bqm::with_variables(Vartype::Spin, 10).unwrap();
    for i in 0..9 {
        chain10
            .add_quadratic(i, i + 1, if i % 2 == 1 { 1.0 } else { -1.0 })
            .unwrap();
    }
    let cases = [
        (spin4, [0.09902102579427789, 9.210340371976184]),
        (binary3, [0.08664339756999316, 7.064423155397382]),
        (chain10, [0.17328679513998632, 3.4538776394910684]),
        (
            formula(12, Vartype::Spin),
            [0.06601401719618527, 13.102160670086809],
        ),
        (
            formula(12, Vartype::Binary),
            [0.1630934542493989, 52.408642680347235],
        ),
    ];
    for (bqm, want) in cases {
        let got = default_beta_range(&bqm).unwrap();
        for k in 0..2 {
            assert!((got[k] - want[k]).abs() <= 1e-12 * want[k], "{got:?} vs {want:?}");
        }
    }
    // All biases zero: dwave's arbitrary [0.1, 1].
    assert_eq!(
        default_beta_range(&Bqm::with_variables(Vartype::Spin, 3).unwrap()).unwrap(),
        [0.1, 1.0]
    );
}

#[test]
fn info_reports_seed_range_schedule_and_timing() {
    let bqm = random_bqm(8, 0.5, Vartype::Binary, 3, None);
    let set = sa(SimulatedAnnealingParams::default().num_sweeps(Some(50)))
        .sample(&bqm)
        .unwrap();
    let info = set.info();
    assert_eq!(info.sampler, "simulated_annealing");
    assert_eq!(info.beta_range, Some(default_beta_range(&bqm).unwrap()));
    assert_eq!(info.beta_schedule_type.as_deref(), Some("geometric"));
    assert!(info.timing.sampling_ns > 0);
    // The reported seed repeats the run exactly.
    let again = sa(SimulatedAnnealingParams::default()
        .seed(info.seed)
        .num_sweeps(Some(50)))
    .sample(&bqm)
    .unwrap();
    assert_same_rows(&set, &again);
    let custom = sa(SimulatedAnnealingParams::default().schedule(BetaSchedule::Custom(vec![0.5, 1.0, 3.0])))
        .sample(&bqm)
        .unwrap();
    assert_eq!(custom.info().beta_range, Some([0.5, 3.0]));
}

#[test]
fn same_seed_same_rows_for_any_thread_count_and_reads_differ() {
    let bqm = random_bqm(40, 0.2, Vartype::Spin, 5, None);
    for randomize_order in [false, true] {
        let s = sa(SimulatedAnnealingParams::default()
            .num_reads(24)
            .seed(99)
            .num_sweeps(Some(20))
            .randomize_order(randomize_order));
        let one = with_threads(1, || s.sample(&bqm).unwrap());
        let two = with_threads(2, || s.sample(&bqm).unwrap());
        assert_same_rows(&one, &two);
        let distinct: std::collections::HashSet<&[i8]> = (0..one.len()).map(|i| one.sample(i)).collect();
        assert!(distinct.len() > 12, "a fixed seed must still give distinct reads");
    }
}

/// A change detector, not evidence of correctness: the rows for a fixed seed are part of the
/// reproducibility contract, so any change to them must be deliberate. The kernel this run takes
/// (sparse, sequential Metropolis) is checked against oracles by the distribution tests above
/// (`sparse_model_with_complete_rows_...`, `frustrated_glass_energies_...`), the BINARY
/// conversion by the ground-state test on 16-variable models.
#[test]
fn rows_for_a_fixed_seed_are_unchanged() {
    let bqm = random_bqm(30, 0.3, Vartype::Binary, 21, None);
    let set = sa(SimulatedAnnealingParams::default()
        .num_reads(8)
        .seed(2024)
        .num_sweeps(Some(30)))
    .sample(&bqm)
    .unwrap();
    assert_eq!(fingerprint(&set), CHANGE_DETECTOR, "rows: {:?}", set.samples());
}
const CHANGE_DETECTOR: u64 = 15857096459578190612;

#[test]
fn initial_states_semantics_follow_dimod() {
    let bqm = random_bqm(5, 0.5, Vartype::Binary, 4, None);
    let states = InitialStates::new(2, 5, vec![1, 0, 1, 0, 1, 0, 0, 0, 1, 1]).unwrap();
    // Zero sweeps return the starting states, which exposes how they were extended.
    let run = |num_reads, generator| {
        sa(SimulatedAnnealingParams::default()
            .num_reads(num_reads)
            .seed(1)
            .initial_states(states.clone())
            .initial_states_generator(generator)
            .num_sweeps(Some(0)))
        .sample(&bqm)
    };
    let set = run(None, InitialStatesGenerator::Random).unwrap();
    assert_eq!(set.len(), 2, "num_reads defaults to the number of initial states");
    assert_eq!(set.samples(), states.samples());
    let tiled = run(Some(5), InitialStatesGenerator::Tile).unwrap();
    for i in 0..5 {
        assert_eq!(tiled.sample(i), states.state(i % 2));
    }
    let truncated = run(Some(1), InitialStatesGenerator::None).unwrap();
    assert_eq!(truncated.samples(), states.state(0));
    let random = run(Some(6), InitialStatesGenerator::Random).unwrap();
    assert_eq!(&random.samples()[..10], states.samples());
    assert!(random.samples().iter().all(|&x| x == 0 || x == 1));
    let err = run(Some(3), InitialStatesGenerator::None).unwrap_err();
    assert!(err.to_string().contains("initial_states"), "{err}");
    // Tile without any state, wrong width, wrong values.
    let no_states = SimulatedAnnealing::new(
        SimulatedAnnealingParams::default().initial_states_generator(InitialStatesGenerator::Tile),
    )
    .unwrap();
    assert!(no_states.sample(&bqm).is_err());
    let wide =
        sa(SimulatedAnnealingParams::default().initial_states(InitialStates::new(1, 4, vec![0; 4]).unwrap()));
    assert_eq!(
        wide.sample(&bqm).unwrap_err().kind(),
        ErrorKind::DimensionMismatch
    );
    let spins = sa(SimulatedAnnealingParams::default()
        .initial_states(InitialStates::new(1, 5, vec![1, -1, 1, 1, 1]).unwrap()));
    let err = spins.sample(&bqm).unwrap_err();
    assert!(
        err.to_string().contains("initial_states") && err.to_string().contains("-1"),
        "{err}"
    );
}

#[test]
fn bad_parameters_are_rejected_with_the_argument_named() {
    let cases: Vec<(SimulatedAnnealingParams, &str)> = vec![
        (SimulatedAnnealingParams::default().num_reads(0), "num_reads"),
        (
            SimulatedAnnealingParams::default().num_sweeps_per_beta(0),
            "num_sweeps_per_beta",
        ),
        (
            SimulatedAnnealingParams::default()
                .num_sweeps(Some(10))
                .num_sweeps_per_beta(3),
            "num_sweeps",
        ),
        (
            SimulatedAnnealingParams::default().schedule(BetaSchedule::Geometric(Some([-1.0, 1.0]))),
            "beta_range",
        ),
        (
            SimulatedAnnealingParams::default().schedule(BetaSchedule::Geometric(Some([f64::NAN, 1.0]))),
            "beta_range",
        ),
        (
            SimulatedAnnealingParams::default().schedule(BetaSchedule::Geometric(Some([2.0, 1.0]))),
            "beta_range",
        ),
        (
            SimulatedAnnealingParams::default().schedule(BetaSchedule::Geometric(Some([0.0, 1.0]))),
            "beta_range",
        ),
        (
            SimulatedAnnealingParams::default().schedule(BetaSchedule::Geometric(Some([0.1, f64::INFINITY]))),
            "beta_range",
        ),
        (
            SimulatedAnnealingParams::default().schedule(BetaSchedule::Custom(vec![])),
            "beta_schedule",
        ),
        (
            SimulatedAnnealingParams::default().schedule(BetaSchedule::Custom(vec![0.1, f64::NAN])),
            "beta_schedule",
        ),
        (
            SimulatedAnnealingParams::default().schedule(BetaSchedule::Custom(vec![0.1, -1.0])),
            "beta_schedule",
        ),
        (
            SimulatedAnnealingParams::default()
                .num_sweeps(Some(5))
                .schedule(BetaSchedule::Custom(vec![0.1, 1.0])),
            "num_sweeps",
        ),
        // A custom type without a schedule, or a schedule with another type, cannot be written
        // with the `BetaSchedule` enum; as keywords they are parameter cases
        // (core/tests/data/parameter_cases.json).
    ];
    for (params, argument) in cases {
        let err = SimulatedAnnealing::new(params.clone()).unwrap_err();
        assert!(
            err.to_string().contains(&format!("`{argument}`")),
            "{params:?}: {err}"
        );
    }
    // Linear schedules may start at beta = 0; a single beta uses the cold end.
    assert!(
        SimulatedAnnealing::new(
            SimulatedAnnealingParams::default().schedule(BetaSchedule::Linear(Some([0.0, 1.0])))
        )
        .is_ok()
    );
    // Too many reads for the output limit: refused before any work.
    let bqm = Bqm::with_variables(Vartype::Spin, 1 << 12).unwrap();
    let huge = sa(SimulatedAnnealingParams::default().num_reads(1 << 21));
    assert_eq!(huge.sample(&bqm).unwrap_err().kind(), ErrorKind::LimitExceeded);
}

#[test]
fn interrupts_return_the_completed_reads() {
    let bqm = random_bqm(200, 0.05, Vartype::Spin, 6, None);
    let s = sa(SimulatedAnnealingParams::default()
        .num_reads(64)
        .seed(3)
        .num_sweeps(Some(200)));
    let calls = AtomicUsize::new(0);
    let stop_later = || calls.fetch_add(1, Ordering::Relaxed) >= 8;
    let set = with_threads(1, || {
        s.sample_with(&bqm, &Control::default().with_interrupt(&stop_later))
            .unwrap()
    });
    assert!(set.info().interrupted);
    assert!(!set.is_empty() && set.len() < 64, "{} reads", set.len());
    assert_consistent(&set, &bqm);
    // The completed reads are the first ones, identical to an uninterrupted run's.
    let full = with_threads(1, || s.sample(&bqm).unwrap());
    assert_eq!(set.samples(), &full.samples()[..set.samples().len()]);
    // Stopped before any read completed: an error.
    let stop = || true;
    let err = s
        .sample_with(&bqm, &Control::default().with_interrupt(&stop))
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Interrupted);
    // A deadline inside a long read stops it within milliseconds.
    let long = sa(SimulatedAnnealingParams::default().num_sweeps(Some(100_000_000)));
    let t = std::time::Instant::now();
    let control = Control::default().with_deadline(t + std::time::Duration::from_millis(30));
    assert!(long.sample_with(&bqm, &control).is_err());
    assert!(t.elapsed() < std::time::Duration::from_secs(2));
}

#[test]
fn empty_and_tiny_models() {
    let mut empty = Bqm::new(Vartype::Spin);
    empty.set_offset(-1.5).unwrap();
    let set = sa(SimulatedAnnealingParams::default().num_reads(3))
        .sample(&empty)
        .unwrap();
    assert_eq!(set.len(), 3);
    assert_eq!(set.energies(), &[-1.5; 3]);
    let mut one = Bqm::with_variables(Vartype::Binary, 1).unwrap();
    one.add_linear(0, -2.0).unwrap();
    let set = sa(SimulatedAnnealingParams::default().num_reads(4).seed(1))
        .sample(&one)
        .unwrap();
    assert_eq!(set.samples(), &[1, 1, 1, 1]);
}
