//! Steepest descent and tabu search from C.

use super::common::{generator, initial_states, opt};
use super::sampler::{NqSampler, boxed};
use super::sampleset::NqSampleSet;
use crate::guard::{Out, arg_mut, arg_ref, guard, out_boxed};
use crate::qubo::NqBqm;
use crate::status::NqStatus;
use nq::anneal::{SteepestDescent, SteepestDescentParams, Tabu, TabuParams};

/// Parameters of steepest descent (dwave's `SteepestDescentSolver`). Initialise with
/// `nq_steepest_descent_params_default`; `has_*` = 0 selects the default.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct NqSteepestDescentParams {
    /// Reads; default: the number of initial states, else 1.
    pub num_reads: usize,
    /// Non-zero: use the field above; 0: its default.
    pub has_num_reads: u8,
    /// Seed for random initial states; default: drawn.
    pub seed: u64,
    /// Non-zero: use the field above; 0: its default.
    pub has_seed: u8,
    /// `num_initial_states` rows in the model's vartype (`initial_states_len` values).
    pub initial_states: *const i8,
    pub initial_states_len: usize,
    pub num_initial_states: usize,
    /// NQ_INITIAL_STATES_RANDOM (default), _TILE or _NONE.
    pub initial_states_generator: u32,
    /// Non-zero: priority-queue search for the best flip (same result, faster on sparse models).
    pub large_sparse_opt: u8,
}

/// Writes the default steepest-descent parameters to `*params`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nq_steepest_descent_params_default(
    params: *mut NqSteepestDescentParams,
) -> NqStatus {
    guard(|| {
        *unsafe { arg_mut(params, "params") }? = NqSteepestDescentParams {
            num_reads: 1,
            has_num_reads: 0,
            seed: 0,
            has_seed: 0,
            initial_states: std::ptr::null(),
            initial_states_len: 0,
            num_initial_states: 0,
            initial_states_generator: super::NQ_INITIAL_STATES_RANDOM,
            large_sparse_opt: 0,
        };
        Ok(())
    })
}

/// Creates a steepest-descent sampler (adds the vector `num_steps` to its sample sets).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nq_sampler_new_steepest_descent(
    params: *const NqSteepestDescentParams,
    out: *mut *mut NqSampler,
) -> NqStatus {
    guard(|| {
        let p = unsafe { arg_ref(params, "params") }?;
        let out = Out::new(out, "out")?;
        let params = SteepestDescentParams {
            num_reads: opt(p.has_num_reads, p.num_reads),
            seed: opt(p.has_seed, p.seed),
            initial_states: unsafe {
                initial_states(p.initial_states, p.initial_states_len, p.num_initial_states)
            }?,
            initial_states_generator: generator(p.initial_states_generator)?,
            large_sparse_opt: p.large_sparse_opt != 0,
        };
        boxed(out, SteepestDescent::new(params)?);
        Ok(())
    })
}

/// Runs a steepest descent from every row of `samples` (a post-pass over another sampler's
/// result): `*out` receives the descended rows, with the rows' occurrences, vectors and info,
/// and a `num_steps` vector. `samples` must match `bqm` in width and vartype.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nq_steepest_descent_polish(
    samples: *const NqSampleSet,
    bqm: *const NqBqm,
    large_sparse_opt: u8,
    out: *mut *mut NqSampleSet,
) -> NqStatus {
    guard(|| {
        let samples = unsafe { arg_ref(samples, "samples") }?;
        let bqm = unsafe { arg_ref(bqm, "bqm") }?;
        let out = Out::new(out, "out")?;
        let sd = SteepestDescent::new(SteepestDescentParams {
            large_sparse_opt: large_sparse_opt != 0,
            ..Default::default()
        })?;
        let set = sd.polish(&bqm.0, &samples.0)?;
        out_boxed(out, NqSampleSet(set));
        Ok(())
    })
}

/// Parameters of multistart tabu search (dwave's `TabuSampler`). Initialise with
/// `nq_tabu_params_default`; `has_*` = 0 selects dwave's default.
///
/// Reproducibility: the default (dwave's) stops each read after 20 ms of wall-clock time, so
/// results depend on machine speed and load and a seed does NOT repeat a run. Set
/// `has_timeout = 0` for runs a seed fixes bit for bit; a `timeout_ms` passed to
/// `nq_sampler_sample_interruptible` still bounds them. The info JSON's `extra.timed_out_reads`
/// counts the reads the timeout ended.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct NqTabuParams {
    /// Reads; default: the number of initial states, else 1.
    pub num_reads: usize,
    /// Non-zero: use the field above; 0: its default.
    pub has_num_reads: u8,
    /// Seed; default: drawn.
    pub seed: u64,
    /// Non-zero: use the field above; 0: its default.
    pub has_seed: u8,
    /// `num_initial_states` rows in the model's vartype (`initial_states_len` values).
    pub initial_states: *const i8,
    pub initial_states_len: usize,
    pub num_initial_states: usize,
    /// NQ_INITIAL_STATES_RANDOM (default), _TILE or _NONE.
    pub initial_states_generator: u32,
    /// Tabu tenure, < number of variables; default min(20, n / 4).
    pub tenure: usize,
    /// Non-zero: use the field above; 0: its default.
    pub has_tenure: u8,
    /// Milliseconds per read (default 20: results then depend on timing); has_timeout = 0: no
    /// limit (reproducible runs).
    pub timeout_ms: u64,
    /// Non-zero: use the field above; 0: its default.
    pub has_timeout: u8,
    /// Restarts per read (default 1000000).
    pub num_restarts: u64,
    /// Stop a read at this model energy or below.
    pub energy_threshold: f64,
    /// Non-zero: use the field above; 0: its default.
    pub has_energy_threshold: u8,
    /// Evaluations per variable of the first search; default 10000 (n <= 500) or 25000.
    pub coefficient_z_first: u64,
    /// Non-zero: use the field above; 0: its default.
    pub has_coefficient_z_first: u8,
    /// Evaluations per variable of restarted searches; default coefficient_z_first / 4.
    pub coefficient_z_restart: u64,
    /// Non-zero: use the field above; 0: its default.
    pub has_coefficient_z_restart: u8,
    /// Minimum evaluations per search; default 500000.
    pub lower_bound_z: u64,
    /// Non-zero: use the field above; 0: its default.
    pub has_lower_bound_z: u8,
}

/// Writes the default tabu parameters to `*params` (dwave's, including its 20 ms per-read
/// timeout: clear `has_timeout` for reproducible runs).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nq_tabu_params_default(params: *mut NqTabuParams) -> NqStatus {
    guard(|| {
        *unsafe { arg_mut(params, "params") }? = NqTabuParams {
            num_reads: 1,
            has_num_reads: 0,
            seed: 0,
            has_seed: 0,
            initial_states: std::ptr::null(),
            initial_states_len: 0,
            num_initial_states: 0,
            initial_states_generator: super::NQ_INITIAL_STATES_RANDOM,
            tenure: 0,
            has_tenure: 0,
            timeout_ms: nq::anneal::DEFAULT_TABU_TIMEOUT_MS,
            has_timeout: 1,
            num_restarts: nq::anneal::DEFAULT_NUM_RESTARTS,
            energy_threshold: 0.0,
            has_energy_threshold: 0,
            coefficient_z_first: 0,
            has_coefficient_z_first: 0,
            coefficient_z_restart: 0,
            has_coefficient_z_restart: 0,
            lower_bound_z: nq::anneal::DEFAULT_LOWER_BOUND_Z,
            has_lower_bound_z: 0,
        };
        Ok(())
    })
}

/// Creates a tabu sampler (adds the vector `num_restarts` to its sample sets).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nq_sampler_new_tabu(
    params: *const NqTabuParams,
    out: *mut *mut NqSampler,
) -> NqStatus {
    guard(|| {
        let p = unsafe { arg_ref(params, "params") }?;
        let out = Out::new(out, "out")?;
        let params = TabuParams {
            num_reads: opt(p.has_num_reads, p.num_reads),
            seed: opt(p.has_seed, p.seed),
            initial_states: unsafe {
                initial_states(p.initial_states, p.initial_states_len, p.num_initial_states)
            }?,
            initial_states_generator: generator(p.initial_states_generator)?,
            tenure: opt(p.has_tenure, p.tenure),
            timeout: opt(p.has_timeout, p.timeout_ms),
            num_restarts: p.num_restarts,
            energy_threshold: opt(p.has_energy_threshold, p.energy_threshold),
            coefficient_z_first: opt(p.has_coefficient_z_first, p.coefficient_z_first),
            coefficient_z_restart: opt(p.has_coefficient_z_restart, p.coefficient_z_restart),
            lower_bound_z: opt(p.has_lower_bound_z, p.lower_bound_z),
        };
        boxed(out, Tabu::new(params)?);
        Ok(())
    })
}
