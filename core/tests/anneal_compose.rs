//! FallbackSampler, boxed samplers, and serialization of sample sets and sampler parameters.

mod anneal_support;

use anneal_support::*;
use neuroquant::ErrorKind;
use neuroquant::anneal::*;
use neuroquant::qubo::{Bqm, Vartype};
use proptest::prelude::*;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// Counts its calls and answers with one all-low row.
struct Counting(AtomicUsize);

impl Sampler for Counting {
    fn name(&self) -> &'static str {
        "counting"
    }
    fn parameters(&self) -> &'static [neuroquant::params::Keyword] {
        &[]
    }
    fn run(&self, bqm: &Bqm, _: &Control<'_>) -> neuroquant::Result<SampleSet> {
        self.0.fetch_add(1, Ordering::Relaxed);
        SampleSet::from_samples(bqm, vec![bqm.vartype().values()[0]; bqm.num_variables()])
    }
}

#[test]
fn fallback_answers_on_error_and_says_why() {
    let bqm = random_bqm(30, 0.2, Vartype::Spin, 1, None);
    let s = FallbackSampler::new(
        ExactSolver::default(),
        SimulatedAnnealing::new(SimulatedAnnealingParams::default().seed(1).num_sweeps(Some(50))).unwrap(),
        None,
    );
    let set = s.sample(&bqm).unwrap();
    assert_consistent(&set, &bqm);
    let f = &set.info().extra["fallback"];
    assert_eq!(f["answered_by"], "fallback");
    assert_eq!(f["primary"], "exact");
    assert!(
        f["reason"].as_str().unwrap().contains("primary failed")
            && f["reason"].as_str().unwrap().contains("limit of 24")
    );
    assert_eq!(set.info().sampler, "simulated_annealing");
    // A primary that succeeds answers.
    let small = random_bqm(6, 0.5, Vartype::Spin, 2, None);
    let set = s.sample(&small).unwrap();
    assert_eq!(set.info().extra["fallback"]["answered_by"], "primary");
    assert_eq!(set.len(), 64);
}

#[test]
fn fallback_answers_on_timeout() {
    let bqm = random_bqm(300, 0.02, Vartype::Binary, 3, None);
    let slow = SimulatedAnnealing::new(
        SimulatedAnnealingParams::default()
            .num_reads(4)
            .num_sweeps(Some(50_000_000)),
    )
    .unwrap();
    let fallback = Counting(AtomicUsize::new(0));
    let s = FallbackSampler::new(slow, fallback, Some(Duration::from_millis(40)));
    let t = Instant::now();
    let set = s.sample(&bqm).unwrap();
    assert!(t.elapsed() < Duration::from_secs(3));
    assert_eq!(s.fallback().0.load(Ordering::Relaxed), 1);
    let f = &set.info().extra["fallback"];
    assert_eq!(f["answered_by"], "fallback");
    assert!(
        f["reason"].as_str().unwrap().contains("timed out after 40 ms"),
        "{f}"
    );
}

#[test]
fn a_caller_stop_is_passed_through_without_the_fallback() {
    let bqm = random_bqm(10, 0.5, Vartype::Spin, 4, None);
    let s = FallbackSampler::new(
        Box::new(SimulatedAnnealing::default()) as Box<dyn Sampler>,
        Counting(AtomicUsize::new(0)),
        Some(Duration::from_secs(10)),
    );
    let stop = || true;
    let err = s
        .sample_with(&bqm, &Control::default().with_interrupt(&stop))
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Interrupted);
    assert_eq!(s.fallback().0.load(Ordering::Relaxed), 0);
    assert_eq!(s.properties()["timeout_ms"], 10_000);
}

/// A sample set with info extras (the ladder, swap rates), timing, seed and both vector types.
fn roundtrip_set() -> SampleSet {
    let bqm = random_bqm(12, 0.4, Vartype::Binary, 5, None);
    let mut set = ParallelTempering::new(
        ParallelTemperingParams::default()
            .num_reads(5)
            .seed(1)
            .num_sweeps(10)
            .ladder(Ladder::Geometric {
                num_replicas: 3,
                range: None,
            }),
    )
    .unwrap()
    .sample(&bqm)
    .unwrap();
    set.set_vector("num_restarts", Column::I64(vec![1, 2, 3, 4, i64::MIN]))
        .unwrap();
    set.set_vector("score", Column::F64(vec![0.5, -1.0, 2.0, 1e-300, -0.0]))
        .unwrap();
    set
}

#[test]
fn sample_sets_round_trip_and_corruption_is_rejected() {
    let set = roundtrip_set();
    let bytes = set.to_bytes().unwrap();
    assert_eq!(SampleSet::from_bytes(&bytes).unwrap(), set);
    for cut in (0..bytes.len()).step_by(7) {
        assert!(SampleSet::from_bytes(&bytes[..cut]).is_err());
    }
    // A params container is not a sample set.
    let other = SimulatedAnnealingParams::default().to_bytes().unwrap();
    assert_eq!(
        SampleSet::from_bytes(&other).unwrap_err().kind(),
        ErrorKind::Format
    );
    // Sample values outside the vartype are caught on reading.
    let mut bad = bytes.clone();
    let hlen = u32::from_le_bytes(bad[12..16].try_into().unwrap()) as usize;
    bad[16 + hlen] = 7;
    assert!(SampleSet::from_bytes(&bad).is_err());
    // A non-finite beta range (which the container cannot hold) is refused when set.
    let mut nan = set.clone();
    let mut info = set.info().clone();
    info.beta_range = Some([f64::NAN, 1.0]);
    assert_eq!(nan.set_info(info).unwrap_err().kind(), ErrorKind::NonFinite);
    assert_eq!(nan, set);
}

#[test]
fn sampler_parameters_round_trip() {
    let states = Some(InitialStates::new(2, 3, vec![1, -1, 1, -1, -1, 1]).unwrap());
    let sa = SimulatedAnnealingParams::default()
        .num_reads(7)
        .seed(u64::MAX)
        .initial_states(states.clone())
        .initial_states_generator(InitialStatesGenerator::Tile)
        .num_sweeps_per_beta(2)
        .randomize_order(true)
        .proposal_acceptance_criteria(ProposalAcceptance::Gibbs)
        .schedule(BetaSchedule::Custom(vec![0.1, 0.25, 1.0 / 3.0]));
    assert_eq!(
        SimulatedAnnealingParams::from_bytes(&sa.to_bytes().unwrap()).unwrap(),
        sa
    );
    let sd = SteepestDescentParams::default()
        .num_reads(2)
        .initial_states(states.clone())
        .large_sparse_opt(true);
    assert_eq!(
        SteepestDescentParams::from_bytes(&sd.to_bytes().unwrap()).unwrap(),
        sd
    );
    let tabu = TabuParams::default()
        .initial_states(states.clone())
        .tenure(Some(3))
        .timeout(None)
        .energy_threshold(Some(-1.5e-7))
        .coefficient_z_first(Some(5));
    assert_eq!(TabuParams::from_bytes(&tabu.to_bytes().unwrap()).unwrap(), tabu);
    let exact = ExactParams::default()
        .mode(ExactMode::GroundStates)
        .max_ground_states(9);
    assert_eq!(
        ExactParams::from_bytes(&exact.to_bytes().unwrap()).unwrap(),
        exact
    );
    let pt = ParallelTemperingParams::default()
        .initial_states(states.clone())
        .output(PtOutput::Coldest)
        .swap_interval(4)
        .ladder(Ladder::Custom(vec![0.1, 0.7, 2.0]));
    assert_eq!(
        ParallelTemperingParams::from_bytes(&pt.to_bytes().unwrap()).unwrap(),
        pt
    );
    let sqa = PathIntegralParams::default()
        .initial_states(states)
        .gamma(0.75)
        .trotter(9)
        .return_all_slices(true)
        .schedule(SqaSchedule::Custom(vec![
            SqaStep {
                s: 0.2,
                beta: 3.0,
                sweeps: 4,
            },
            SqaStep {
                s: 1.0,
                beta: 0.1,
                sweeps: 1,
            },
        ]));
    assert_eq!(
        PathIntegralParams::from_bytes(&sqa.to_bytes().unwrap()).unwrap(),
        sqa
    );
    // Invalid parameters are neither written nor read.
    assert!(
        SimulatedAnnealingParams::default()
            .num_reads(0)
            .to_bytes()
            .is_err()
    );
    let bytes = SimulatedAnnealingParams::default().to_bytes().unwrap();
    let text = String::from_utf8_lossy(&bytes).into_owned();
    let needle = "\"num_sweeps_per_beta\":1";
    let at = text.find(needle).expect("meta holds the field");
    let mut edited = bytes.clone();
    edited[at + needle.len() - 1] = b'0';
    let err = SimulatedAnnealingParams::from_bytes(&edited).unwrap_err();
    assert!(err.to_string().contains("num_sweeps_per_beta"), "{err}");
    assert_eq!(
        TabuParams::from_bytes(&bytes).unwrap_err().kind(),
        ErrorKind::Format
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    #[test]
    fn random_sample_sets_round_trip(
        n in 0usize..6,
        rows in proptest::collection::vec((proptest::collection::vec(any::<bool>(), 6), -1e6f64..1e6, 1u64..9), 0..8),
        binary in any::<bool>(),
    ) {
        let vt = if binary { Vartype::Binary } else { Vartype::Spin };
        let [lo, hi] = vt.values();
        let samples: Vec<i8> = rows.iter().flat_map(|(bits, _, _)| bits[..n].iter().map(move |&b| if b { hi } else { lo })).collect();
        let energies: Vec<f64> = rows.iter().map(|r| r.1).collect();
        let occ: Vec<u64> = rows.iter().map(|r| r.2).collect();
        let mut set = SampleSet::new(vt, n, samples, energies, Some(occ)).unwrap();
        set.set_vector("k", Column::I64((0..rows.len() as i64).collect())).unwrap();
        let mut info = set.info().clone();
        info.seed = Some(42);
        set.set_info(info).unwrap();
        let bytes = set.to_bytes().unwrap();
        prop_assert_eq!(set.serialized_len().unwrap(), bytes.len());
        prop_assert_eq!(SampleSet::from_bytes(&bytes).unwrap(), set);
    }
}

/// Fails (an error) while `failing` is set; counts its calls.
struct Flaky {
    calls: AtomicUsize,
    failing: std::sync::atomic::AtomicBool,
}

impl Sampler for Flaky {
    fn name(&self) -> &'static str {
        "flaky"
    }
    fn parameters(&self) -> &'static [neuroquant::params::Keyword] {
        &[]
    }
    fn run(&self, bqm: &Bqm, _: &Control<'_>) -> neuroquant::Result<SampleSet> {
        self.calls.fetch_add(1, Ordering::Relaxed);
        if self.failing.load(Ordering::Relaxed) {
            return Err(neuroquant::ArgumentError::Invalid {
                argument: "flaky",
                reason: "down".into(),
            }
            .into());
        }
        SampleSet::from_samples(bqm, vec![bqm.vartype().values()[1]; bqm.num_variables()])
    }
}

#[test]
fn the_circuit_breaker_skips_a_failing_primary_then_probes_it() {
    let bqm = random_bqm(8, 0.5, Vartype::Spin, 3, None);
    let primary = std::sync::Arc::new(Flaky {
        calls: AtomicUsize::new(0),
        failing: std::sync::atomic::AtomicBool::new(true),
    });
    let fallback =
        SimulatedAnnealing::new(SimulatedAnnealingParams::default().seed(1).num_sweeps(20)).unwrap();
    let params = FallbackParams::default()
        .failure_threshold(2u32)
        .cooldown_ms(150u64);
    let s = FallbackSampler::with_params(primary.clone(), fallback, params);
    let calls = || primary.calls.load(Ordering::Relaxed);
    let report = |set: &SampleSet| set.info().extra["fallback"].clone();
    // Two failures open the breaker.
    for expected in 1..=2 {
        let r = report(&s.sample(&bqm).unwrap());
        assert_eq!(calls(), expected);
        assert_eq!(r["answered_by"], "fallback");
        assert_eq!(r["breaker"]["consecutive_failures"], expected);
    }
    assert_eq!(report(&s.sample(&bqm).unwrap())["breaker"]["state"], "open");
    // Open: the primary is not called.
    let r = report(&s.sample(&bqm).unwrap());
    assert_eq!(calls(), 2);
    assert!(
        r["reason"].as_str().unwrap().contains("circuit breaker open"),
        "{r}"
    );
    // After the cool-down one call probes; a failed probe opens it again at once.
    std::thread::sleep(Duration::from_millis(200));
    let r = report(&s.sample(&bqm).unwrap());
    assert_eq!(calls(), 3);
    assert_eq!(r["breaker"]["state"], "open");
    s.sample(&bqm).unwrap();
    assert_eq!(calls(), 3);
    // A successful probe closes it; the primary answers from then on.
    primary.failing.store(false, Ordering::Relaxed);
    std::thread::sleep(Duration::from_millis(200));
    let r = report(&s.sample(&bqm).unwrap());
    assert_eq!((calls(), r["answered_by"].as_str().unwrap()), (4, "primary"));
    assert_eq!(r["breaker"]["state"], "closed");
    assert_eq!(r["breaker"]["consecutive_failures"], 0);
    s.sample(&bqm).unwrap();
    assert_eq!(calls(), 5);
    // Threshold 0: never opens.
    primary.failing.store(true, Ordering::Relaxed);
    let never = FallbackSampler::with_params(
        primary.clone(),
        ExactSolver::default(),
        FallbackParams::default().failure_threshold(0u32),
    );
    for _ in 0..5 {
        never.sample(&bqm).unwrap();
    }
    assert_eq!(calls(), 10);
}

#[test]
fn routing_picks_the_sampler_by_model_size() {
    use std::sync::Arc;
    let exact: Arc<dyn Sampler> = Arc::new(ExactSolver::default());
    let sa: Arc<dyn Sampler> = Arc::new(
        SimulatedAnnealing::new(SimulatedAnnealingParams::default().seed(2).num_sweeps(50)).unwrap(),
    );
    let tabu: Arc<dyn Sampler> =
        Arc::new(Tabu::new(TabuParams::default().seed(2).timeout(None).num_restarts(0u64)).unwrap());
    let router = RoutingSampler::new(vec![(12, exact.clone()), (100, sa.clone())], tabu.clone()).unwrap();
    for (n, want, route) in [
        (5, "exact", Some(0)),
        (12, "exact", Some(0)),
        (13, "simulated_annealing", Some(1)),
        (101, "tabu", None),
    ] {
        let bqm = random_bqm(n, 0.3, Vartype::Binary, n as u64, None);
        let set = router.sample(&bqm).unwrap();
        assert_consistent(&set, &bqm);
        let r = &set.info().extra["routing"];
        assert_eq!(r["answered_by"], want, "n = {n}");
        assert_eq!(r["num_variables"], n);
        assert_eq!(r["route"].as_u64(), route.map(|x: usize| x as u64));
        assert_eq!(set.info().sampler, want);
    }
    // Limits must increase.
    let err = RoutingSampler::new(vec![(100, sa.clone()), (12, exact.clone())], tabu.clone()).unwrap_err();
    assert!(err.to_string().contains("must increase"), "{err}");
    assert!(RoutingSampler::new(vec![(12, sa), (12, exact)], tabu).is_err());
}
