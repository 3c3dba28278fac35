//! Multistart tabu search with dwave-samplers' parameters (`TabuSampler`); the search itself is in
//! `tabu_search.rs`.

use super::initial_states::{ReadParams, ReadPlan, read_setters};
use super::reads::{Stopwatch, base_info, run_reads, sample_set};
use super::schedule::invalid;
use super::spin_model::SpinModel;
use super::tabu_search::{TabuConfig, TabuRead, TabuWorkspace};
use super::{Column, Control, SampleSet, Sampler};
use crate::Result;
use crate::error::check;
use crate::params::{Keyword, KeywordArgs, params, params_container};
use crate::qubo::Bqm;
use crate::rng;
use std::time::Duration;

const NAME: &str = "tabu";
/// dwave's default per-read timeout in milliseconds. A read then ends after this much wall-clock
/// time, so its result depends on machine speed and load and a seed does not repeat a run: set
/// [`TabuParams::timeout`] to `None` for reproducible runs (see [`Tabu`]).
pub const DEFAULT_TABU_TIMEOUT_MS: u64 = 20;
/// dwave's default restart limit.
pub const DEFAULT_NUM_RESTARTS: u64 = 1_000_000;
/// dwave's default `lower_bound_z`.
pub const DEFAULT_LOWER_BOUND_Z: u64 = 500_000;

params! {
    /// Multistart tabu search (Palubeckis 2004, MST2) with dwave-samplers' parameters
    /// (`TabuSampler`); adds the per-row vector `num_restarts`.
    pub struct TabuParams {
        /// Reads (independent multistart searches), seed and initial states.
        group reads: ReadParams = ReadParams::default(),
        /// Moves a flipped variable stays tabu; must be < the number of variables.
        /// None: min(20, num_variables // 4).
        keyword tenure: Option<usize> = None,
        /// Wall-clock limit per read in milliseconds (an integer or a float >= 0); None: no
        /// limit. As in dwave, a read stops once more than `timeout` whole milliseconds have
        /// elapsed, so timeout=0 still searches for up to a millisecond. With a limit (the
        /// default, dwave's), results depend on machine speed and load, so a seed reproduces a run
        /// exactly only with None.
        keyword timeout: Option<f64> = Some(DEFAULT_TABU_TIMEOUT_MS as f64),
        /// Restarts per read; 0 gives a single simple tabu search.
        keyword num_restarts: u64 = DEFAULT_NUM_RESTARTS,
        /// Stop a read once its best energy (the model's energy, offset included) is at most
        /// this.
        keyword energy_threshold: Option<f64> = None,
        /// Evaluations of the first simple tabu search: max(n * coefficient_z_first,
        /// lower_bound_z). None: 10000 for n <= 500, else 25000.
        keyword coefficient_z_first: Option<u64> = None,
        /// The same for the restarted searches. None: coefficient_z_first // 4.
        keyword coefficient_z_restart: Option<u64> = None,
        /// Minimum evaluations per simple tabu search.
        keyword lower_bound_z: u64 = DEFAULT_LOWER_BOUND_Z,
    }
}

read_setters!(TabuParams);
params_container!(TabuParams, "tabu_params");

impl TabuParams {
    /// Checks the rules that do not depend on the model (`tenure < n` is checked when sampling).
    fn check(&self) -> Result<()> {
        if let Some(t) = self.energy_threshold {
            check::finite("energy_threshold", t)?;
        }
        if let Some(t) = self.timeout {
            check::finite("timeout", t)?;
            if t < 0.0 {
                return Err(invalid(
                    "timeout",
                    format!("is {t}, must be >= 0 milliseconds or None"),
                ));
            }
        }
        Ok(())
    }

    fn config(&self, n: usize, spin_offset: f64) -> Result<TabuConfig> {
        let tenure = match self.tenure {
            Some(t) if n > 0 && t >= n => {
                return Err(invalid(
                    "tenure",
                    format!("is {t}, must be < num_variables = {n}"),
                ));
            }
            Some(t) => t,
            None => (n / 4).min(20),
        };
        let z_first = self
            .coefficient_z_first
            .unwrap_or(if n <= 500 { 10_000 } else { 25_000 });
        let z_restart = self.coefficient_z_restart.unwrap_or(z_first / 4);
        let lower = self.lower_bound_z;
        let evals = |z: u64| z.saturating_mul(n as u64).max(lower);
        Ok(TabuConfig {
            tenure,
            num_restarts: self.num_restarts,
            energy_threshold: self
                .energy_threshold
                .map_or(f64::NEG_INFINITY, |t| t - spin_offset),
            max_evals_first: evals(z_first),
            max_evals_restart: evals(z_restart),
        })
    }
}

/// Multistart tabu search (Palubeckis 2004, MST2) with dwave-samplers' parameters; adds the
/// per-row vector `num_restarts`.
///
/// # Reproducibility: the default timeout
///
/// As in dwave-samplers, each read stops after [`DEFAULT_TABU_TIMEOUT_MS`] (20 ms) of wall-clock
/// time by default, so **seeded runs with the default parameters are not repeatable**: how far a
/// read gets depends on the machine, its load and the thread count. For results that a seed fixes
/// bit for bit (SPEC §6), set `timeout: None` (C: `has_timeout = 0`; Python: `timeout=None`) and
/// bound the work with `num_restarts` / `coefficient_z_*` instead; a deadline in [`Control`]
/// still stops such a run. `info.extra["timed_out_reads"]` counts the reads the timeout ended
/// (0 means the run did not depend on timing), next to `info.extra["timeout_ms"]`.
///
/// Differences from dwave-samplers, all deliberate: CSR instead of a dense matrix (memory
/// `O(n + m)` instead of `O(n²)`; a move costs an `O(n)` scan plus `O(degree)` updates instead of
/// three `O(n)` passes, and tabu expiry is a stamp instead of a countdown); `energy_threshold` is
/// compared with the model's energy including its offset (dwave compares it with the offset-free
/// QUBO energy); reads run in parallel. The restart gains are dwave's, partial gains included (see
/// the module `tabu_search`).
///
/// ```
/// use neuroquant::anneal::{Sampler, Tabu, TabuParams};
/// use neuroquant::qubo::{Bqm, Vartype};
/// let mut bqm = Bqm::with_variables(Vartype::Spin, 2)?;
/// bqm.add_linear(0, -1.0)?;
/// bqm.add_quadratic(0, 1, 1.0)?;
/// let tabu = Tabu::new(TabuParams::default().seed(3).num_restarts(0u64))?;
/// let set = tabu.sample(&bqm)?;
/// assert_eq!(set.sample(0), &[1, -1]);
/// # Ok::<(), neuroquant::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Tabu {
    params: TabuParams,
}

impl Tabu {
    /// A sampler with validated `params`.
    pub fn new(params: TabuParams) -> Result<Self> {
        params.validate()?;
        Ok(Tabu { params })
    }

    /// The parameters.
    pub fn params(&self) -> &TabuParams {
        &self.params
    }
}

impl Sampler for Tabu {
    fn name(&self) -> &'static str {
        NAME
    }

    fn parameters(&self) -> &'static [Keyword] {
        TabuParams::keywords()
    }

    fn run(&self, bqm: &Bqm, control: &Control<'_>) -> Result<SampleSet> {
        let mut clock = Stopwatch::start();
        let p = &self.params;
        let model = SpinModel::new(bqm)?;
        let n = model.num_variables();
        let cfg = p.config(n, model.offset)?;
        let plan = ReadPlan::new(bqm, &p.reads)?;
        if n == 0 {
            // dwave's TabuSampler returns no rows for a model without variables.
            let mut set = sample_set(bqm, Vec::new(), 0)?;
            set.set_vector("num_restarts", Column::I64(Vec::new()))?;
            let info = set.info_mut();
            *info = base_info(NAME, p.reads.seed, false);
            info.timing = clock.timing();
            return Ok(set);
        }
        let seed = rng::resolve_seed(p.reads.seed);
        // dwave's clock rule: stop once the elapsed whole milliseconds exceed the timeout, that
        // is after floor(timeout) + 1 ms (capped where a Duration ends: no limit).
        let timeout = p
            .timeout
            .and_then(|t| Duration::try_from_secs_f64((t.floor() + 1.0) / 1000.0).ok());
        clock.sampling();
        let done = run_reads(
            NAME,
            plan.num_reads,
            n,
            control,
            || TabuWorkspace::new(n),
            |ws, r, spins| {
                let mut rng = rng::stream(seed, r as u64);
                plan.fill(r, &mut rng, spins);
                let read = TabuRead {
                    model: &model,
                    cfg: &cfg,
                    control,
                    // A timeout the clock cannot represent never expires.
                    deadline: timeout.and_then(crate::control::deadline_after),
                    work: Default::default(),
                };
                read.run(spins, ws, &mut rng)
            },
        )?;
        clock.postprocessing();
        let rows = done.extras.len();
        let mut set = sample_set(bqm, done.spins, rows)?;
        let restarts = done.extras.iter().map(|&(r, _)| r as i64).collect();
        set.set_vector("num_restarts", Column::I64(restarts))?;
        let timed_out = done.extras.iter().filter(|&&(_, t)| t).count();
        let info = set.info_mut();
        *info = base_info(NAME, Some(seed), done.interrupted);
        info.extra
            .insert("timeout_ms".into(), serde_json::json!(p.timeout));
        info.extra
            .insert("timed_out_reads".into(), serde_json::json!(timed_out));
        info.timing = clock.timing();
        Ok(set)
    }
}
