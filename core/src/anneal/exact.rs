//! Exact solver: enumerates every assignment in Gray-code order (each step flips one variable, so
//! the energy update costs `O(degree)`), in parallel over fixed chunks of the code space.
//!
//! Two modes: all states (dimod's `ExactSolver`, rows in Gray-code order with variable 0 the
//! least significant bit), or only the ground states, streamed so memory stays constant.

use super::reads::{Stopwatch, base_info, sample_set};
use super::spin_model::SpinModel;
use super::{AnnealError, Control, SampleSet, Sampler};
use crate::Result;
use crate::params::{Keyword, KeywordArgs, params, params_container};
use crate::qubo::Bqm;
use rayon::prelude::*;

const NAME: &str = "exact";
/// Largest model [`ExactMode::AllStates`] can enumerate: the 2^26 rows of 26 variables (3.9 GB
/// with their energies and counts) are the most [`MAX_SAMPLE_SET_BYTES`](super::MAX_SAMPLE_SET_BYTES)
/// holds. The `max_variables` keyword may raise the default limit up to this.
pub const MAX_ALL_STATES_VARIABLES: usize = 26;
/// Default `max_variables` of [`ExactMode::AllStates`]: 2^24 rows, about 1 GB (dimod's
/// `ExactSolver`, which has no limit, needs as much for the same model).
pub const DEFAULT_ALL_STATES_VARIABLES: usize = 24;
/// Largest model [`ExactMode::GroundStates`] accepts (and its default `max_variables`): 2^32
/// states, minutes of work at most.
pub const MAX_GROUND_STATE_VARIABLES: usize = 32;
/// Default cap on the ground states returned.
pub const DEFAULT_MAX_GROUND_STATES: usize = 1000;
/// States enumerated per chunk; each chunk starts from an energy computed from scratch, which
/// bounds the rounding drift of the incremental updates.
const CHUNK_BITS: usize = 14;
/// Relative width of the band of energies counted as degenerate with the minimum, in units of
/// `1 + Σ|bias|` of the SPIN form.
const DEGENERACY_RTOL: f64 = 1e-9;

crate::params::named_enum! {
    /// What the exact solver returns.
    pub enum ExactMode("mode") {
        /// Every state, in Gray-code order (dimod's `ExactSolver`); up to `max_variables`
        /// variables (default 24, at most 26: `MAX_ALL_STATES_VARIABLES`).
        AllStates = "all_states",
        /// Only the states of minimum energy (within `1e-9 * (1 + sum |bias|)`), in Gray-code
        /// order, at most `max_ground_states` of them; up to `max_variables` variables (default
        /// and at most 32: `MAX_GROUND_STATE_VARIABLES`). Memory is about `max_ground_states` rows however many
        /// ground states exist; a cap whose rows (at most 2^n) exceed `SampleSet::max_rows` is
        /// refused (`LimitExceeded`).
        GroundStates = "ground_states",
    }
}

params! {
    /// Exhaustive enumeration in Gray-code order (each step flips one variable, so an energy
    /// update costs O(degree)), in parallel over fixed chunks of the state space: every state
    /// (dimod's `ExactSolver`) or only the ground states. Deterministic: no seed, and results do
    /// not depend on the thread count.
    pub struct ExactParams {
        /// Every state, or only the ground states.
        keyword mode: ExactMode = ExactMode::AllStates,
        /// Cap on the ground states returned with mode "ground_states" (at least 1); when more
        /// exist, the first in Gray-code order are kept and info["truncated"] is true.
        keyword max_ground_states: usize = DEFAULT_MAX_GROUND_STATES,
        /// Largest model enumerated; a larger one is refused (LimitExceeded) before anything is
        /// allocated. None: 24 with mode "all_states" (2^24 rows, about 1 GB; dimod's
        /// ExactSolver has no limit and needs as much), 32 with "ground_states". At most 26
        /// (all states: the sample-set limit) or 32 (ground states).
        keyword max_variables: Option<usize> = None,
    }
}

params_container!(ExactParams, "exact_params");

impl ExactParams {
    fn check(&self) -> Result<()> {
        if self.max_ground_states == 0 {
            return Err(super::schedule::invalid(
                "max_ground_states",
                "is 0, must be at least 1".into(),
            ));
        }
        if let Some(m) = self.max_variables {
            let cap = match self.mode {
                ExactMode::AllStates => MAX_ALL_STATES_VARIABLES,
                ExactMode::GroundStates => MAX_GROUND_STATE_VARIABLES,
            };
            crate::error::check::at_most("max_variables", m as u64, cap as u64)?;
        }
        Ok(())
    }

    /// The largest model this configuration enumerates: `max_variables`, or the mode's default.
    pub fn variable_limit(&self) -> usize {
        self.max_variables.unwrap_or(match self.mode {
            ExactMode::AllStates => DEFAULT_ALL_STATES_VARIABLES,
            ExactMode::GroundStates => MAX_GROUND_STATE_VARIABLES,
        })
    }
}

/// Exhaustive enumeration; see [`ExactMode`]. Deterministic: no seed, and the chunks are fixed by
/// the model size, so results do not depend on the thread count.
///
/// ```
/// use neuroquant::anneal::{ExactSolver, Sampler};
/// use neuroquant::qubo::{Bqm, Vartype};
/// let mut bqm = Bqm::with_variables(Vartype::Binary, 2)?;
/// bqm.add_quadratic(0, 1, 1.0)?;
/// let set = ExactSolver::default().sample(&bqm)?;
/// assert_eq!(set.samples(), &[0, 0, 1, 0, 1, 1, 0, 1]);
/// assert_eq!(set.energies(), &[0.0, 0.0, 1.0, 0.0]);
/// # Ok::<(), neuroquant::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ExactSolver {
    params: ExactParams,
}

impl ExactSolver {
    /// A solver with validated `params`.
    pub fn new(params: ExactParams) -> Result<Self> {
        params.validate()?;
        Ok(ExactSolver { params })
    }

    /// The parameters.
    pub fn params(&self) -> &ExactParams {
        &self.params
    }
}

impl Sampler for ExactSolver {
    fn name(&self) -> &'static str {
        NAME
    }

    fn parameters(&self) -> &'static [Keyword] {
        ExactParams::keywords()
    }

    fn properties(&self) -> serde_json::Value {
        serde_json::json!({
            "max_variables": self.params.variable_limit(),
            "max_all_states_variables": MAX_ALL_STATES_VARIABLES,
            "max_ground_state_variables": MAX_GROUND_STATE_VARIABLES,
        })
    }

    fn run(&self, bqm: &Bqm, control: &Control<'_>) -> Result<SampleSet> {
        let mut clock = Stopwatch::start();
        let n = bqm.num_variables();
        let limit = self.params.variable_limit();
        if n > limit {
            return Err(AnnealError::TooManyVariables {
                sampler: NAME,
                num_variables: n,
                limit,
            }
            .into());
        }
        if self.params.mode == ExactMode::GroundStates {
            // The rows returned, at most 2^n, must fit a sample set (caller's cap in the error).
            let rows = (self.params.max_ground_states as u64).min(1 << n);
            if rows > SampleSet::max_rows(n) {
                return Err(crate::ArgumentError::TooLarge {
                    argument: "max_ground_states",
                    requested: self.params.max_ground_states as u64,
                    limit: SampleSet::max_rows(n),
                }
                .into());
            }
        }
        let model = SpinModel::new(bqm)?;
        clock.sampling();
        let (spins, truncated) = match self.params.mode {
            ExactMode::AllStates => (all_states(n, control)?, false),
            ExactMode::GroundStates => ground_states(&model, self.params.max_ground_states, control)?,
        };
        clock.postprocessing();
        let rows = spins.len().checked_div(n).unwrap_or(1);
        let mut set = sample_set(bqm, spins, rows)?;
        if self.params.mode == ExactMode::GroundStates && n > 0 {
            // Keep the rows whose exact energy is degenerate with the exact minimum.
            let band = DEGENERACY_RTOL * (1.0 + scale(&model));
            let min = set.energies().iter().copied().fold(f64::INFINITY, f64::min);
            let keep: Vec<usize> = (0..set.len())
                .filter(|&i| set.energies()[i] <= min + band)
                .collect();
            set = set.select(&keep)?;
        }
        let info = set.info_mut();
        *info = base_info(NAME, None, false);
        info.extra
            .insert("num_states_enumerated".into(), serde_json::json!(1u64 << n));
        if self.params.mode == ExactMode::GroundStates {
            info.extra
                .insert("truncated".into(), serde_json::json!(truncated));
        }
        info.timing = clock.timing();
        Ok(set)
    }
}

fn gray(i: u64) -> u64 {
    i ^ (i >> 1)
}

fn write_state(code: u64, out: &mut [i8]) {
    for (k, s) in out.iter_mut().enumerate() {
        *s = if code >> k & 1 == 1 { 1 } else { -1 };
    }
}

/// Every state of `n` variables, SPIN, in Gray-code order.
fn all_states(n: usize, control: &Control<'_>) -> Result<Vec<i8>> {
    if n == 0 {
        return Ok(Vec::new());
    }
    let mut out = crate::alloc::filled("the states of the exact solver", 0i8, n << n)?;
    let rows_per_chunk = 1usize << CHUNK_BITS.min(n);
    let stopped = out
        .par_chunks_mut(n * rows_per_chunk)
        .enumerate()
        .map(|(c, chunk)| {
            if control.should_stop() {
                return true;
            }
            for (t, row) in chunk.chunks_exact_mut(n).enumerate() {
                write_state(gray((c * rows_per_chunk + t) as u64), row);
            }
            false
        })
        .reduce(|| false, |a, b| a || b);
    if stopped {
        return Err(AnnealError::NoReadCompleted { sampler: NAME }.into());
    }
    Ok(out)
}

/// `Σ|h| + Σ_{i<j} |J|` of the SPIN form: the scale of rounding errors in its energies.
fn scale(model: &SpinModel) -> f64 {
    model.h.iter().map(|h| h.abs()).sum::<f64>() + model.weights.iter().map(|w| w.abs()).sum::<f64>() / 2.0
}

/// The lowest-energy states of one chunk: Gray codes and approximate energies within `band` of
/// the chunk's minimum, at most `cap` of them (`dropped` counts the others).
struct Lowest {
    min: f64,
    codes: Vec<(u64, f64)>,
    dropped: u64,
    /// The minimum at which `codes` was last cleared of entries outside the band.
    purged: f64,
}

impl Lowest {
    fn offer(&mut self, code: u64, e: f64, band: f64, cap: usize) {
        if e < self.min - band {
            self.codes.clear();
            self.dropped = 0;
        }
        if e < self.min {
            self.min = e;
        }
        if e <= self.min + band {
            if self.codes.len() == cap && self.purged != self.min {
                // Entries kept under a higher minimum may have left the band: make room.
                let bound = self.min + band;
                self.codes.retain(|&(_, x)| x <= bound);
                self.purged = self.min;
            }
            if self.codes.len() < cap {
                self.codes.push((code, e));
            } else {
                self.dropped += 1;
            }
        }
    }
}

impl Lowest {
    fn new() -> Self {
        Lowest {
            min: f64::INFINITY,
            codes: Vec::new(),
            dropped: 0,
            purged: f64::INFINITY,
        }
    }

    /// Folds in the lowest states of the next chunk (chunks merged in Gray-code order, so the
    /// `cap` kept are the first in that order).
    fn merge(&mut self, chunk: Lowest, band: f64, cap: usize) {
        if chunk.min > self.min + band {
            return;
        }
        for &(code, e) in &chunk.codes {
            self.offer(code, e, band, cap);
        }
        if chunk.min <= self.min + band {
            self.dropped += chunk.dropped;
        }
    }
}

/// Chunks enumerated in parallel before their results are merged: bounds the memory of the
/// pending results to `MERGE_BATCH × max_ground_states` codes.
const MERGE_BATCH: u64 = 256;

/// The ground states (SPIN, Gray-code order) and whether some were dropped for the cap.
///
/// Memory stays bounded whatever the model: chunks run in batches of [`MERGE_BATCH`] and each
/// batch is merged, in order, into one running set of at most `cap` states, so an all-zero
/// 32-variable model (2^32 ground states) costs `cap` rows, not `cap` per chunk.
fn ground_states(model: &SpinModel, cap: usize, control: &Control<'_>) -> Result<(Vec<i8>, bool)> {
    let n = model.num_variables();
    if n == 0 {
        return Ok((Vec::new(), false));
    }
    let band = DEGENERACY_RTOL * (1.0 + scale(model));
    let bits = CHUNK_BITS.min(n);
    let chunks = 1u64 << (n - bits);
    let per_chunk = 1u64 << bits;
    let mut all = Lowest::new();
    let mut start = 0;
    while start < chunks {
        let end = chunks.min(start + MERGE_BATCH);
        let results: Vec<Option<Lowest>> = (start..end)
            .into_par_iter()
            .map_init(
                || (vec![0i8; n], vec![0.0; n]),
                |(spins, fields), c| {
                    if control.should_stop() {
                        return None;
                    }
                    let first = c * per_chunk;
                    let mut code = gray(first);
                    write_state(code, spins);
                    model.fields(spins, fields);
                    let mut e = model.spin_energy(spins, fields);
                    let mut low = Lowest::new();
                    low.offer(code, e, band, cap);
                    for i in first + 1..first + per_chunk {
                        let k = i.trailing_zeros() as usize;
                        e += -2.0 * f64::from(spins[k]) * fields[k];
                        model.flip(k, spins, fields);
                        code ^= 1 << k;
                        low.offer(code, e, band, cap);
                    }
                    Some(low)
                },
            )
            .collect();
        for r in results {
            match r {
                Some(low) => all.merge(low, band, cap),
                None => return Err(AnnealError::NoReadCompleted { sampler: NAME }.into()),
            }
        }
        start = end;
    }
    let truncated = all.dropped > 0;
    let mut out = crate::alloc::with_capacity("ground states", all.codes.len() * n)?;
    // Codes kept while the running minimum was higher may lie outside the final band.
    for &(code, _) in all.codes.iter().filter(|&&(_, e)| e <= all.min + band) {
        let start = out.len();
        out.resize(start + n, 0);
        write_state(code, &mut out[start..]);
    }
    Ok((out, truncated))
}
