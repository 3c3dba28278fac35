//! Simulated annealing from C (`nq_sampler_new_simulated_annealing`).

use super::common::{criterion, generator, initial_states, invalid, opt};
use super::sampler::{NqSampler, boxed};
use crate::guard::{FfiResult, Out, arg_mut, arg_ref, arg_slice, guard};
use crate::status::NqStatus;
use nq::anneal::{BetaScheduleType, SimulatedAnnealing, SimulatedAnnealingParams};

/// Schedule type: geometric spacing over `beta_range` (default).
pub const NQ_BETA_SCHEDULE_GEOMETRIC: u32 = 0;
/// Schedule type: linear spacing over `beta_range`.
pub const NQ_BETA_SCHEDULE_LINEAR: u32 = 1;
/// Schedule type: the explicit `beta_schedule`.
pub const NQ_BETA_SCHEDULE_CUSTOM: u32 = 2;

/// Parameters of simulated annealing, with dwave-samplers' names and meanings. Initialise with
/// `nq_sa_params_default`, then set fields; a `has_*` flag of 0 selects dwave's default for the
/// field next to it. Pointers are read only during `nq_sampler_new_simulated_annealing`.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct NqSaParams {
    /// Reads; default (has_num_reads = 0): the number of initial states, else 1.
    pub num_reads: usize,
    /// Non-zero: use the field above; 0: its default.
    pub has_num_reads: u8,
    /// Sweeps per read; default 1000.
    pub num_sweeps: usize,
    /// Non-zero: use the field above; 0: its default.
    pub has_num_sweeps: u8,
    /// Sweeps at each inverse temperature (default 1).
    pub num_sweeps_per_beta: usize,
    /// [hot, cold]; default: dwave-samplers' heuristic.
    pub beta_range: [f64; 2],
    /// Non-zero: use the field above; 0: its default.
    pub has_beta_range: u8,
    /// NQ_BETA_SCHEDULE_GEOMETRIC (default), _LINEAR or _CUSTOM.
    pub beta_schedule_type: u32,
    /// The explicit schedule for NQ_BETA_SCHEDULE_CUSTOM (`beta_schedule_len` values).
    pub beta_schedule: *const f64,
    pub beta_schedule_len: usize,
    /// Seed; default: drawn (reported in the sample set's info).
    pub seed: u64,
    /// Non-zero: use the field above; 0: its default.
    pub has_seed: u8,
    /// `num_initial_states` rows, row-major, in the model's vartype (`initial_states_len` values).
    pub initial_states: *const i8,
    pub initial_states_len: usize,
    pub num_initial_states: usize,
    /// NQ_INITIAL_STATES_RANDOM (default), _TILE or _NONE.
    pub initial_states_generator: u32,
    /// Non-zero: random spin order instead of sequential.
    pub randomize_order: u8,
    /// NQ_PROPOSAL_METROPOLIS (default) or NQ_PROPOSAL_GIBBS.
    pub proposal_acceptance_criteria: u32,
}

/// Writes the default parameters (dwave's defaults) to `*params`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nq_sa_params_default(params: *mut NqSaParams) -> NqStatus {
    guard(|| {
        let p = unsafe { arg_mut(params, "params") }?;
        *p = NqSaParams {
            num_reads: 1,
            has_num_reads: 0,
            num_sweeps: nq::anneal::DEFAULT_NUM_SWEEPS,
            has_num_sweeps: 0,
            num_sweeps_per_beta: nq::anneal::SimulatedAnnealingParams::default().num_sweeps_per_beta,
            beta_range: [0.0, 0.0],
            has_beta_range: 0,
            beta_schedule_type: NQ_BETA_SCHEDULE_GEOMETRIC,
            beta_schedule: std::ptr::null(),
            beta_schedule_len: 0,
            seed: 0,
            has_seed: 0,
            initial_states: std::ptr::null(),
            initial_states_len: 0,
            num_initial_states: 0,
            initial_states_generator: super::NQ_INITIAL_STATES_RANDOM,
            randomize_order: 0,
            proposal_acceptance_criteria: super::NQ_PROPOSAL_METROPOLIS,
        };
        Ok(())
    })
}

unsafe fn convert(p: &NqSaParams) -> FfiResult<SimulatedAnnealingParams> {
    let beta_schedule_type = match p.beta_schedule_type {
        NQ_BETA_SCHEDULE_GEOMETRIC => BetaScheduleType::Geometric,
        NQ_BETA_SCHEDULE_LINEAR => BetaScheduleType::Linear,
        NQ_BETA_SCHEDULE_CUSTOM => BetaScheduleType::Custom,
        other => {
            return Err(invalid(
                "beta_schedule_type",
                format!("{other} is not NQ_BETA_SCHEDULE_GEOMETRIC (0), _LINEAR (1) or _CUSTOM (2)"),
            ));
        }
    };
    let schedule = unsafe { arg_slice(p.beta_schedule, p.beta_schedule_len, "beta_schedule") }?;
    let beta_schedule =
        (beta_schedule_type == BetaScheduleType::Custom || !schedule.is_empty()).then(|| schedule.to_vec());
    Ok(SimulatedAnnealingParams {
        num_reads: opt(p.has_num_reads, p.num_reads),
        num_sweeps: opt(p.has_num_sweeps, p.num_sweeps),
        num_sweeps_per_beta: p.num_sweeps_per_beta,
        beta_range: opt(p.has_beta_range, p.beta_range),
        beta_schedule_type,
        beta_schedule,
        seed: opt(p.has_seed, p.seed),
        initial_states: unsafe {
            initial_states(p.initial_states, p.initial_states_len, p.num_initial_states)
        }?,
        initial_states_generator: generator(p.initial_states_generator)?,
        randomize_order: p.randomize_order != 0,
        proposal_acceptance_criteria: criterion(p.proposal_acceptance_criteria)?,
    })
}

/// Creates a simulated-annealing sampler; invalid parameters are reported here (those that
/// depend on the model, such as the width of the initial states, when sampling).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nq_sampler_new_simulated_annealing(
    params: *const NqSaParams,
    out: *mut *mut NqSampler,
) -> NqStatus {
    guard(|| {
        let p = unsafe { arg_ref(params, "params") }?;
        let out = Out::new(out, "out")?;
        boxed(out, SimulatedAnnealing::new(unsafe { convert(p) }?)?);
        Ok(())
    })
}
