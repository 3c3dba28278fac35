//! Parallel tempering from C.

use super::common::{criterion, generator, initial_states, invalid, opt};
use super::sampler::{NqSampler, boxed};
use crate::guard::{Out, arg_mut, arg_ref, arg_slice, guard};
use crate::status::NqStatus;
use nq::anneal::{ParallelTempering, ParallelTemperingParams, PtOutput};

/// Each read returns the lowest-energy state seen (default).
pub const NQ_PT_OUTPUT_BEST: u32 = 0;
/// Each read returns the final state of the coldest replica (a Boltzmann sample).
pub const NQ_PT_OUTPUT_COLDEST: u32 = 1;

/// Parameters of parallel tempering. Initialise with `nq_pt_params_default`; `has_*` = 0 selects
/// the default.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct NqPtParams {
    /// Independent runs; default: the number of initial states, else 1.
    pub num_reads: usize,
    /// Non-zero: use the field above; 0: its default.
    pub has_num_reads: u8,
    /// Temperatures of the geometric ladder (default 16); ignored when `betas_len` > 0.
    pub num_replicas: usize,
    /// Sweeps per replica (default 1000).
    pub num_sweeps: usize,
    /// Sweeps between exchange rounds (default 1).
    pub swap_interval: usize,
    /// [hot, cold] ends of the ladder; default: dwave-samplers' heuristic.
    pub beta_range: [f64; 2],
    /// Non-zero: use the field above; 0: its default.
    pub has_beta_range: u8,
    /// An explicit non-decreasing ladder of `betas_len` values (0: use the geometric ladder).
    pub betas: *const f64,
    pub betas_len: usize,
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
    /// Non-zero: random spin order.
    pub randomize_order: u8,
    /// NQ_PROPOSAL_METROPOLIS (default) or NQ_PROPOSAL_GIBBS.
    pub proposal_acceptance_criteria: u32,
    /// NQ_PT_OUTPUT_BEST (default) or NQ_PT_OUTPUT_COLDEST.
    pub output: u32,
}

/// Writes the default parallel-tempering parameters to `*params`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nq_pt_params_default(params: *mut NqPtParams) -> NqStatus {
    guard(|| {
        let d = ParallelTemperingParams::default();
        *unsafe { arg_mut(params, "params") }? = NqPtParams {
            num_reads: 1,
            has_num_reads: 0,
            num_replicas: d.num_replicas,
            num_sweeps: d.num_sweeps,
            swap_interval: d.swap_interval,
            beta_range: [0.0, 0.0],
            has_beta_range: 0,
            betas: std::ptr::null(),
            betas_len: 0,
            seed: 0,
            has_seed: 0,
            initial_states: std::ptr::null(),
            initial_states_len: 0,
            num_initial_states: 0,
            initial_states_generator: super::NQ_INITIAL_STATES_RANDOM,
            randomize_order: 0,
            proposal_acceptance_criteria: super::NQ_PROPOSAL_METROPOLIS,
            output: NQ_PT_OUTPUT_BEST,
        };
        Ok(())
    })
}

/// Creates a parallel-tempering sampler.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nq_sampler_new_parallel_tempering(
    params: *const NqPtParams,
    out: *mut *mut NqSampler,
) -> NqStatus {
    guard(|| {
        let p = unsafe { arg_ref(params, "params") }?;
        let out = Out::new(out, "out")?;
        let betas = unsafe { arg_slice(p.betas, p.betas_len, "betas") }?;
        let output = match p.output {
            NQ_PT_OUTPUT_BEST => PtOutput::Best,
            NQ_PT_OUTPUT_COLDEST => PtOutput::Coldest,
            other => {
                return Err(invalid(
                    "output",
                    format!("{other} is not NQ_PT_OUTPUT_BEST (0) or NQ_PT_OUTPUT_COLDEST (1)"),
                ));
            }
        };
        let params = ParallelTemperingParams {
            num_reads: opt(p.has_num_reads, p.num_reads),
            num_replicas: p.num_replicas,
            num_sweeps: p.num_sweeps,
            swap_interval: p.swap_interval,
            beta_range: opt(p.has_beta_range, p.beta_range),
            betas: (!betas.is_empty()).then(|| betas.to_vec()),
            seed: opt(p.has_seed, p.seed),
            initial_states: unsafe {
                initial_states(p.initial_states, p.initial_states_len, p.num_initial_states)
            }?,
            initial_states_generator: generator(p.initial_states_generator)?,
            randomize_order: p.randomize_order != 0,
            proposal_acceptance_criteria: criterion(p.proposal_acceptance_criteria)?,
            output,
        };
        boxed(out, ParallelTempering::new(params)?);
        Ok(())
    })
}
