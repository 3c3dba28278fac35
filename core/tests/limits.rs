//! SPEC §5 "sizes whose memory would exceed a stated limit … never a panic, abort or hang"
//! (issue 8): every size a caller controls is checked against a stated limit before anything is
//! allocated from it, or allocated fallibly, and fails with a `LimitExceeded` error naming the
//! caller's argument and value; every loop a caller can make long honours `Control` within
//! milliseconds.
//!
//! Memory is measured with a counting global allocator (this test binary's own), so "refused
//! before allocating" is checked, not assumed; tests that measure run one at a time.

use neuroquant::ErrorKind;
use neuroquant::anneal::{
    BetaSchedule, Control, ExactMode, ExactParams, ExactSolver, FallbackSampler, InitialStates, Ladder,
    ParallelTempering, ParallelTemperingParams, PathIntegralAnnealing, PathIntegralParams, SampleSet,
    Sampler, SimulatedAnnealing, SimulatedAnnealingParams, SqaSchedule, SqaStep, SteepestDescent,
    SteepestDescentParams, Tabu, TabuParams,
};
use neuroquant::qubo::formats::{read_coo, read_edge_list, read_qbsolv};
use neuroquant::qubo::generators::{graph_coloring, number_partitioning, tsp};
use neuroquant::qubo::penalty::Strength;
use neuroquant::qubo::{Bqm, MAX_VARIABLES, Vartype};
use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{RwLock, RwLockReadGuard, RwLockWriteGuard, mpsc};
use std::time::{Duration, Instant};

// ---- harness ----

/// Counts live heap bytes and their peak.
struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

fn grew(bytes: usize) {
    let now = LIVE.fetch_add(bytes, Ordering::Relaxed) + bytes;
    PEAK.fetch_max(now, Ordering::Relaxed);
}

// SAFETY: every call is forwarded to `System`; the counters only observe sizes.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            grew(layout.size());
        }
        p
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc_zeroed(layout) };
        if !p.is_null() {
            grew(layout.size());
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) };
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
            grew(new_size);
        }
        p
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// Every test holds this: tests that measure memory exclusively ([`alone`]), the others shared
/// ([`shared`]), so no other test allocates during a measurement.
static EXCLUSIVE: RwLock<()> = RwLock::new(());

fn alone() -> RwLockWriteGuard<'static, ()> {
    EXCLUSIVE.write().unwrap_or_else(|p| p.into_inner())
}

fn shared() -> RwLockReadGuard<'static, ()> {
    EXCLUSIVE.read().unwrap_or_else(|p| p.into_inner())
}

/// Runs `f` and returns its result with the peak of the bytes it had allocated at once (the
/// caller holds [`alone`]).
fn peak_during<T>(f: impl FnOnce() -> T) -> (T, usize) {
    let base = LIVE.load(Ordering::Relaxed);
    PEAK.store(base, Ordering::Relaxed);
    let out = f();
    (out, PEAK.load(Ordering::Relaxed).saturating_sub(base))
}

const MB: usize = 1 << 20;

/// Runs `f` on its own thread and fails, instead of hanging the test run, if it has not returned
/// within `limit`.
fn within<T: Send + 'static>(limit: Duration, f: impl FnOnce() -> T + Send + 'static) -> T {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(f());
    });
    rx.recv_timeout(limit)
        .unwrap_or_else(|_| panic!("did not return within {limit:?}"))
}

/// The deadline given to runs configured to take far longer, and the bound they must meet
/// (generous, so the tests do not depend on machine load).
const DEADLINE: Duration = Duration::from_millis(50);
const PROMPT: Duration = Duration::from_secs(2);

/// Samples with a 50 ms deadline and checks the run came back within [`PROMPT`] either with a
/// partial result marked interrupted or with `NoReadCompleted`.
fn stops_promptly<S: Sampler + 'static>(what: &str, sampler: S, bqm: Bqm) {
    let what = what.to_owned();
    let (elapsed, outcome) = within(Duration::from_secs(20), move || {
        let start = Instant::now();
        let control = Control::default().with_deadline(start + DEADLINE);
        let r = sampler.sample_with(&bqm, &control);
        (start.elapsed(), r.map(|s| s.info().interrupted))
    });
    assert!(
        elapsed < PROMPT,
        "{what}: took {elapsed:?} after a 50 ms deadline"
    );
    match outcome {
        Ok(interrupted) => assert!(interrupted, "{what}: finished without being stopped"),
        Err(e) => assert_eq!(e.kind(), ErrorKind::Interrupted, "{what}: {e}"),
    }
}

#[track_caller]
fn limit_error<T: std::fmt::Debug>(r: neuroquant::Result<T>, message: &str) {
    let e = r.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::LimitExceeded, "{e}");
    assert!(
        e.to_string().contains(message),
        "`{e}` does not contain `{message}`"
    );
}

fn chain(n: usize, vartype: Vartype) -> Bqm {
    let mut bqm = Bqm::with_variables(vartype, n).unwrap();
    let rows: Vec<u32> = (0..n as u32 - 1).collect();
    let cols: Vec<u32> = (1..n as u32).collect();
    let biases: Vec<f64> = (0..n - 1).map(|i| if i % 3 == 0 { 1.0 } else { -1.0 }).collect();
    bqm.add_quadratic_from(&rows, &cols, &biases).unwrap();
    bqm.add_linear(0, 0.5).unwrap();
    bqm
}

// ---- the cases of issue 8 ----

/// 160 million reads of a 5-variable model would need about 6 GB (rows, energies, counts): the
/// output limit (4 GiB at 5 + 32 bytes a row: 116 080 197 reads) refuses them before anything
/// is allocated, for every sampler, naming `num_reads` with the caller's value.
#[test]
fn huge_num_reads_are_refused_before_allocating() {
    let _lock = alone();
    let bqm = chain(5, Vartype::Spin);
    let reads = Some(160_000_000);
    let samplers: Vec<(&str, Box<dyn Sampler>)> = vec![
        (
            "sa",
            Box::new(SimulatedAnnealing::new(SimulatedAnnealingParams::default().num_reads(reads)).unwrap()),
        ),
        (
            "sd",
            Box::new(SteepestDescent::new(SteepestDescentParams::default().num_reads(reads)).unwrap()),
        ),
        (
            "tabu",
            Box::new(Tabu::new(TabuParams::default().num_reads(reads)).unwrap()),
        ),
        (
            "pt",
            Box::new(ParallelTempering::new(ParallelTemperingParams::default().num_reads(reads)).unwrap()),
        ),
        (
            "sqa",
            Box::new(PathIntegralAnnealing::new(PathIntegralParams::default().num_reads(reads)).unwrap()),
        ),
    ];
    for (name, s) in samplers {
        let (r, peak) = peak_during(|| s.sample(&bqm));
        limit_error(
            r,
            "argument `num_reads`: 160000000 exceeds the limit of 116080197",
        );
        assert!(peak < MB, "{name}: {peak} bytes allocated before refusing");
    }
    // All slices of path-integral annealing: 4 rows per read.
    let all = PathIntegralAnnealing::new(
        PathIntegralParams::default()
            .num_reads(30_000_000)
            .return_all_slices(true),
    )
    .unwrap();
    limit_error(
        all.sample(&bqm),
        "argument `num_reads`: 30000000 exceeds the limit of 29020049",
    );
}

/// The default schedule of path-integral annealing is computed step by step: a huge `num_sweeps`
/// costs time, which a deadline bounds, not `num_sweeps × 24` bytes up front.
#[test]
fn path_integral_default_schedule_is_not_materialised() {
    let _lock = shared();
    let sqa = PathIntegralAnnealing::new(PathIntegralParams::default().seed(1).schedule(
        SqaSchedule::Quartic {
            beta: 5.0,
            num_sweeps: 1 << 40,
        },
    ))
    .unwrap();
    stops_promptly("sqa, 2^40 sweeps", sqa, chain(20, Vartype::Spin));
}

/// Tabu on a model without variables: the search counts no evaluation, so without a timeout it
/// used to spin forever. It now returns at once with no rows, as dwave's TabuSampler does (the
/// side-by-side check is python/tests/test_fidelity_samplers.py).
#[test]
fn tabu_without_variables_returns() {
    let _lock = shared();
    let set = within(Duration::from_secs(10), || {
        let tabu = Tabu::new(TabuParams::default().num_reads(3).seed(1).timeout(None)).unwrap();
        tabu.sample(&Bqm::new(Vartype::Binary)).unwrap()
    });
    assert_eq!((set.len(), set.num_variables()), (0, 0));
    assert_eq!(
        set.vectors()["num_restarts"],
        neuroquant::anneal::Column::I64(vec![])
    );
}

/// Ground states of an all-zero model: every state is one. Chunk results are merged as they
/// come, so memory is about `max_ground_states` rows, not that many per chunk (2^12 chunks of
/// 1000 codes here, 64 MB; 2^17 chunks, 2 GB, for the 31 variables).
#[test]
fn exact_ground_states_memory_does_not_grow_with_the_model() {
    let _lock = alone();
    let bqm = Bqm::with_variables(Vartype::Spin, 26).unwrap();
    let exact = ExactSolver::new(
        ExactParams::default()
            .mode(ExactMode::GroundStates)
            .max_ground_states(1000),
    )
    .unwrap();
    let (set, peak) = peak_during(|| exact.sample(&bqm).unwrap());
    assert_eq!(set.len(), 1000);
    assert_eq!(set.info().extra["truncated"], true);
    // The first 1000 states in Gray-code order: row 1 flips variable 0, row 2 also variable 1.
    assert_eq!(&set.sample(1)[..3], &[1, -1, -1]);
    assert_eq!(&set.sample(2)[..3], &[1, 1, -1]);
    assert!(peak < 16 * MB, "{peak} bytes for 1000 ground states");
}

/// The case, 31 variables and the default cap, stops at a deadline; a cap whose rows
/// cannot fit a sample set is refused up front with the caller's value.
#[test]
fn exact_ground_states_stop_and_caps_are_bounded() {
    let _lock = alone();
    let exact = ExactSolver::new(ExactParams::default().mode(ExactMode::GroundStates)).unwrap();
    stops_promptly(
        "exact, 31 variables",
        exact,
        Bqm::with_variables(Vartype::Spin, 31).unwrap(),
    );
    let huge = ExactSolver::new(
        ExactParams::default()
            .mode(ExactMode::GroundStates)
            .max_ground_states(usize::MAX),
    )
    .unwrap();
    let (r, peak) = peak_during(|| huge.sample(&Bqm::with_variables(Vartype::Spin, 32).unwrap()));
    limit_error(
        r,
        &format!(
            "argument `max_ground_states`: {} exceeds the limit of 67108864",
            usize::MAX
        ),
    );
    assert!(peak < MB);
    // Caps above 2^n are harmless: 2^10 rows at most.
    let set = huge
        .sample(&Bqm::with_variables(Vartype::Spin, 10).unwrap())
        .unwrap();
    assert_eq!(set.len(), 1024);
}

/// Parallel tempering looks at `Control` inside an exchange interval, not only between
/// intervals: a huge `swap_interval` no longer hides a deadline or an interrupt.
#[test]
fn parallel_tempering_honours_control_inside_a_swap_interval() {
    let _lock = shared();
    let params = || {
        ParallelTemperingParams::default()
            .seed(1)
            .num_sweeps(1 << 40)
            .swap_interval(1 << 40)
            .ladder(Ladder::Geometric {
                num_replicas: 4,
                range: None,
            })
    };
    let pt = ParallelTempering::new(params()).unwrap();
    stops_promptly("pt, one huge interval", pt, chain(50, Vartype::Spin));
    // The same through an interrupt callback.
    let (elapsed, r) = within(Duration::from_secs(20), move || {
        let pt = ParallelTempering::new(params()).unwrap();
        let start = Instant::now();
        let flag = AtomicBool::new(false);
        let ask = || {
            if start.elapsed() > DEADLINE {
                flag.store(true, Ordering::Relaxed);
            }
            flag.load(Ordering::Relaxed)
        };
        let r = pt.sample_with(
            &chain(50, Vartype::Spin),
            &Control::default().with_interrupt(&ask),
        );
        (start.elapsed(), r.map(|s| s.len()))
    });
    assert!(elapsed < PROMPT, "{elapsed:?}");
    assert_eq!(r.unwrap_err().kind(), ErrorKind::Interrupted);
}

/// A 40-byte text naming index 2^31 - 2 used to reserve ~120 GB for 2^31 - 1 variables before
/// failing. Text readers now bound the variables a file implies by its length (2^20 + 16 per
/// byte) and refuse more with `LimitExceeded` naming the line, before allocating.
#[test]
fn text_files_cannot_imply_huge_models() {
    let _lock = alone();
    let index = MAX_VARIABLES - 1;
    let coo = format!("# vartype=SPIN\n0 {index} 1.0\n");
    let (r, peak) = peak_during(|| read_coo(&coo, None));
    limit_error(
        r,
        "line 2: 2147483647 variables (index 2147483646 + 1) exceed the limit of",
    );
    assert!(peak < MB, "coo: {peak} bytes");
    let qbsolv = format!("p qubo 0 {MAX_VARIABLES} 0 1\n0 {index} 1\n");
    assert!(qbsolv.len() <= 40);
    let (r, peak) = peak_during(|| read_qbsolv(&qbsolv));
    limit_error(r, "line 1: 2147483647 variables (maxNodes) exceed the limit of");
    assert!(peak < MB, "qbsolv: {peak} bytes");
    let rudy = format!("{MAX_VARIABLES} 1\n1 {MAX_VARIABLES} 1\n");
    let (r, peak) = peak_during(|| read_edge_list(&rudy));
    limit_error(r, "line 1: 2147483647 nodes (num_nodes) exceed the limit of");
    assert!(peak < MB, "rudy: {peak} bytes");
    // Sparse but reasonable indices still read (about 200 000 variables from a short file).
    assert_eq!(
        read_coo("0 199999 1\n", Some(Vartype::Spin))
            .unwrap()
            .num_variables(),
        200_000
    );
}

// ---- every loop a caller can make long honours Control ----

#[test]
fn simulated_annealing_stops_inside_long_reads_and_between_many_short_ones() {
    let _lock = shared();
    let long = SimulatedAnnealing::new(
        SimulatedAnnealingParams::default()
            .seed(1)
            .num_sweeps(Some(1 << 40)),
    )
    .unwrap();
    stops_promptly("sa, 2^40 sweeps", long, chain(100, Vartype::Spin));
    let per_beta = SimulatedAnnealing::new(
        SimulatedAnnealingParams::default()
            .seed(1)
            .num_sweeps(Some(1 << 40))
            .num_sweeps_per_beta(1 << 40),
    )
    .unwrap();
    stops_promptly(
        "sa, one beta for 2^40 sweeps",
        per_beta,
        chain(100, Vartype::Spin),
    );
    // Ten million cheap reads (allowed: 50 MB of rows): the rest are skipped at the deadline.
    let many =
        SimulatedAnnealing::new(SimulatedAnnealingParams::default().num_reads(10_000_000).seed(1)).unwrap();
    stops_promptly("sa, 10^7 reads", many, chain(5, Vartype::Spin));
}

#[test]
fn steepest_descent_stops_inside_a_long_descent() {
    let _lock = shared();
    // From a random state, a descent on a 300 000-variable chain takes about 75 000 steps of an
    // O(n) scan each (many seconds); polishing 500 rows of a 100 000-variable chain too.
    let scan = SteepestDescent::new(SteepestDescentParams::default().seed(1)).unwrap();
    stops_promptly("steepest descent", scan, chain(300_000, Vartype::Spin));
    let bqm = chain(100_000, Vartype::Spin);
    let rows = SimulatedAnnealing::new(
        SimulatedAnnealingParams::default()
            .num_reads(500)
            .seed(2)
            .num_sweeps(Some(0)),
    )
    .unwrap()
    .sample(&bqm)
    .unwrap();
    let (elapsed, set) = within(Duration::from_secs(20), move || {
        let start = Instant::now();
        let control = Control::default().with_deadline(start + DEADLINE);
        let set = SteepestDescent::default().polish_with(&bqm, &rows, &control);
        (start.elapsed(), set)
    });
    assert!(elapsed < PROMPT, "polish: {elapsed:?}");
    match set {
        Ok(s) => assert!(s.info().interrupted && s.len() < 500),
        Err(e) => assert_eq!(e.kind(), ErrorKind::Interrupted),
    }
}

#[test]
fn tabu_stops_inside_searches_and_restarts() {
    let _lock = shared();
    // Without a per-read timeout, only the deadline ends a search of a million restarts.
    let long = Tabu::new(TabuParams::default().seed(1).timeout(None)).unwrap();
    stops_promptly("tabu, no timeout", long, chain(60, Vartype::Binary));
    // A restart's perturbation costs O(n²) (n = 100 000: seconds); it looks at Control too.
    let restarts = Tabu::new(
        TabuParams::default()
            .seed(1)
            .timeout(None)
            .coefficient_z_first(Some(0))
            .coefficient_z_restart(Some(0))
            .lower_bound_z(1),
    )
    .unwrap();
    stops_promptly("tabu, big restarts", restarts, chain(100_000, Vartype::Binary));
}

#[test]
fn path_integral_stops_inside_a_long_custom_step() {
    let _lock = shared();
    let sqa = PathIntegralAnnealing::new(PathIntegralParams::default().seed(1).schedule(
        SqaSchedule::Custom(vec![SqaStep {
            s: 0.5,
            beta: 1.0,
            sweeps: usize::MAX,
        }]),
    ))
    .unwrap();
    stops_promptly("sqa, one endless step", sqa, chain(50, Vartype::Spin));
}

#[test]
fn exact_all_states_and_fallback_stop() {
    let _lock = shared();
    // 2^32 ground-state candidates: minutes of work without the deadline.
    let exact = ExactSolver::new(
        ExactParams::default()
            .mode(ExactMode::GroundStates)
            .max_ground_states(1),
    )
    .unwrap();
    stops_promptly("exact, 32 variables", exact, chain(32, Vartype::Spin));
    // A fallback whose primary runs long: the caller's deadline reaches the fallback too.
    let primary =
        SimulatedAnnealing::new(SimulatedAnnealingParams::default().num_sweeps(Some(1 << 40))).unwrap();
    let fallback = FallbackSampler::new(primary.clone(), primary, Some(Duration::from_millis(10)));
    stops_promptly("fallback", fallback, chain(100, Vartype::Spin));
}

// ---- the "Also" paragraph ----

/// With biases near `f64::MAX` the default beta range (computed, not given) cannot be used; the
/// error says so instead of blaming a `beta_range` the caller never set.
#[test]
fn errors_from_defaults_say_they_come_from_defaults() {
    let _lock = shared();
    let mut bqm = Bqm::with_variables(Vartype::Spin, 2).unwrap();
    bqm.add_quadratic(0, 1, 1e308).unwrap();
    let e = SimulatedAnnealing::default().sample(&bqm).unwrap_err();
    let m = e.to_string();
    assert_eq!(e.kind(), ErrorKind::InvalidArgument, "{m}");
    assert!(
        m.starts_with(
            "simulated_annealing: beta_range was not given, and the default computed from the model"
        ),
        "{m}"
    );
    assert!(!m.contains("argument `beta_range`"), "{m}");
    let e = ParallelTempering::default().sample(&bqm).unwrap_err().to_string();
    assert!(
        e.starts_with("parallel_tempering: beta_range was not given"),
        "{e}"
    );
    // An explicit range works on the same model.
    let sa = SimulatedAnnealing::new(
        SimulatedAnnealingParams::default()
            .num_reads(2)
            .schedule(BetaSchedule::Geometric(Some([1e-310, 1e-300]))),
    )
    .unwrap();
    assert_eq!(sa.sample(&bqm).unwrap().len(), 2);
    // num_sweeps_per_beta against the default num_sweeps: the caller set only the former.
    let e = SimulatedAnnealing::new(SimulatedAnnealingParams::default().num_sweeps_per_beta(3))
        .unwrap_err()
        .to_string();
    assert!(e.starts_with("argument `num_sweeps_per_beta`: is 3, must divide num_sweeps, which was not given and defaults to 1000"), "{e}");
}

/// Limits on sizes implied by an argument report the caller's value and the largest one
/// allowed, never a product or a saturated number.
#[test]
fn limit_messages_show_the_callers_values() {
    let _lock = shared();
    limit_error(
        tsp(1 << 33, &[], None).map(|_| ()),
        "argument `num_cities`: 8589934592 exceeds the limit of 406",
    );
    limit_error(
        number_partitioning(&vec![1.0; 20_000]).map(|_| ()),
        "argument `numbers`: 20000 exceeds the limit of 16384",
    );
    limit_error(
        graph_coloring(1 << 20, &[], 1 << 10, None, None).map(|_| ()),
        "argument `num_colors`: 1024 exceeds the limit of 128",
    );
    let mut wide = Bqm::with_variables(Vartype::Binary, 20_000).unwrap();
    let all: Vec<u32> = (0..20_000).collect();
    limit_error(
        wide.add_at_most_one(&all, Strength::Fixed(1.0)),
        "argument `vars`: 20000 exceeds the limit of 16384",
    );
    let pt = ParallelTempering::new(ParallelTemperingParams::default().ladder(Ladder::Geometric {
        num_replicas: 4096,
        range: None,
    }))
    .unwrap();
    limit_error(
        pt.sample(&Bqm::with_variables(Vartype::Spin, 1 << 17).unwrap()),
        "argument `num_replicas`: 4096 exceeds the limit of 2048",
    );
    let sqa = PathIntegralAnnealing::new(PathIntegralParams::default().trotter(4096)).unwrap();
    limit_error(
        sqa.sample(&Bqm::with_variables(Vartype::Spin, 1 << 17).unwrap()),
        "argument `trotter`: 4096 exceeds the limit of 2048",
    );
    limit_error(
        InitialStates::new(1 << 31, 4, Vec::new()),
        "argument `initial_states`: 2147483648 exceeds the limit of 1073741824",
    );
}

/// Selections and concatenations of sample sets are bounded like the sets samplers build.
#[test]
fn sample_set_copies_are_bounded() {
    let _lock = alone();
    let set = SampleSet::new(Vartype::Spin, 1000, vec![1; 1000], vec![0.0], None).unwrap();
    let rows = vec![0; 5_000_000];
    let (r, peak) = peak_during(|| set.select(&rows));
    limit_error(r, "argument `rows`: 5000000 exceeds the limit of 4161790");
    assert!(peak < MB, "{peak} bytes");
}

/// A timeout longer than the clock can represent means no limit: adding `Duration::MAX` to
/// `Instant::now()` used to panic in `FallbackSampler` (Python: a timeout of 1e300 s).
#[test]
fn timeouts_beyond_the_clock_do_not_panic() {
    let _lock = shared();
    let bqm = chain(30, Vartype::Binary);
    let tabu = Tabu::new(
        TabuParams::default()
            .seed(1)
            .timeout(Some(u64::MAX as f64))
            .num_restarts(2),
    )
    .unwrap();
    let set = tabu.sample(&bqm).unwrap();
    assert_eq!(set.info().extra["timed_out_reads"], 0);
    let sa = SimulatedAnnealing::new(SimulatedAnnealingParams::default().num_sweeps(Some(10))).unwrap();
    let fallback = FallbackSampler::new(sa.clone(), sa, Some(Duration::MAX));
    assert_eq!(
        fallback.sample(&bqm).unwrap().info().extra["fallback"]["answered_by"],
        "primary"
    );
    let forever = Control::default().with_timeout(Duration::MAX);
    assert!(!forever.should_stop());
}

/// Rows of zero width cost nothing to pass but their results do: decoding and expanding samples
/// of an expression are bounded like a sample set, and a product overflowing `usize` is reported
/// with the caller's row count, not a saturated length.
#[test]
fn row_counts_without_values_are_bounded() {
    let _lock = alone();
    use neuroquant::qubo::expr::Expr;
    let model = (Expr::binary("a") * 2.0).compile(5.0).unwrap();
    let (r, peak) = peak_during(|| model.samples_from_columns::<i8>(&[], &[], 1 << 40, Vartype::Binary));
    limit_error(r, "argument `rows`: 1099511627776 exceeds the limit of 130150524");
    assert!(peak < MB);
    let bound = model.bind(&[]).unwrap();
    let e = bound.decode_many(&[0, 1], usize::MAX).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::DimensionMismatch);
    let empty = Expr::num(1.0).compile(5.0).unwrap();
    let (r, peak) = peak_during(|| empty.bind(&[]).unwrap().decode_many(&[], 1 << 40));
    limit_error(r, "argument `rows`: 1099511627776 exceeds the limit of 134217728");
    assert!(peak < MB);
    let e = SampleSet::new(Vartype::Spin, 3, vec![1; 6], vec![0.0; 1 << 20], None)
        .map(|_| ())
        .unwrap_err()
        .to_string();
    assert_eq!(e, "argument `samples`: length 6 does not match, expected 3145728");
    let e = Bqm::from_dense(Vartype::Spin, usize::MAX, &[0.0; 4])
        .unwrap_err()
        .to_string();
    assert_eq!(
        e,
        format!("argument `n`: length {} does not match, expected 2", usize::MAX)
    );
}
