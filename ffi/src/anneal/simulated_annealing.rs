//! Simulated annealing from C (`nq_sampler_new_simulated_annealing`).

use super::params::{NqProposalAcceptance, NqReadParams};
use super::sampler::{NqSampler, boxed};
use crate::convert::{CEnum, Fields, Versioned, c_enum, init_sized, read_sized};
use crate::guard::{FfiResult, Out, guard};
use crate::status::NqStatus;
use nq::anneal::{
    BetaSchedule, BetaScheduleType, ProposalAcceptance, SimulatedAnnealing, SimulatedAnnealingParams,
};
use nq::params::KeywordArgs;

/// How the inverse temperatures are spaced (`uint32_t`).
pub type NqBetaScheduleType = u32;
/// Geometric spacing over `beta_range` (`numpy.geomspace`); both ends must be positive.
pub const NQ_BETA_SCHEDULE_GEOMETRIC: NqBetaScheduleType = 0 as NqBetaScheduleType;
/// Linear spacing over `beta_range` (`numpy.linspace`).
pub const NQ_BETA_SCHEDULE_LINEAR: NqBetaScheduleType = 1 as NqBetaScheduleType;
/// An explicit list of inverse temperatures (`beta_schedule`).
pub const NQ_BETA_SCHEDULE_CUSTOM: NqBetaScheduleType = 2 as NqBetaScheduleType;

c_enum!(BetaScheduleType {
    NQ_BETA_SCHEDULE_GEOMETRIC => BetaScheduleType::Geometric,
    NQ_BETA_SCHEDULE_LINEAR => BetaScheduleType::Linear,
    NQ_BETA_SCHEDULE_CUSTOM => BetaScheduleType::Custom,
});

/// Parameters of simulated annealing, with dwave-samplers' names and meanings. Initialise with
/// `nq_sa_params_default(&params, sizeof params)`, then set fields; a `has_*` flag of 0 leaves the
/// field before it at its default. Pointers are read only during
/// `nq_sampler_new_simulated_annealing`.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct NqSaParams {
    /// `sizeof` the struct as the caller compiled it (set by `nq_sa_params_default`).
    pub struct_size: usize,
    /// Reads, seed and initial states.
    pub reads: NqReadParams,
    /// Sweeps per read. None: 1000 (dwave's default), or with a custom schedule
    /// len(beta_schedule) * num_sweeps_per_beta (then a value given must equal that).
    pub num_sweeps: usize,
    /// Non-zero: use `num_sweeps`; 0: None.
    pub has_num_sweeps: u8,
    /// Sweeps at each inverse temperature; must divide num_sweeps.
    pub num_sweeps_per_beta: usize,
    /// [hot, cold] inverse temperatures of a geometric or linear schedule. None: the model's
    /// default_beta_range (dwave-samplers' heuristic).
    pub beta_range: [f64; 2],
    /// Non-zero: use `beta_range`; 0: None.
    pub has_beta_range: u8,
    /// How the inverse temperatures are spaced.
    /// An NQ_BETA_SCHEDULE_* constant.
    pub beta_schedule_type: NqBetaScheduleType,
    /// The explicit inverse temperatures of a "custom" schedule (required with it, not allowed
    /// otherwise); inf is the zero-temperature limit (only downhill flips).
    /// `beta_schedule_len` values; NULL: None.
    pub beta_schedule: *const f64,
    /// Values at `beta_schedule`.
    pub beta_schedule_len: usize,
    /// Pick a uniformly random spin for each update instead of sweeping in index order.
    /// Non-zero: true.
    pub randomize_order: u8,
    /// The rule accepting a proposed flip.
    /// An NQ_PROPOSAL_* constant.
    pub proposal_acceptance_criteria: NqProposalAcceptance,
}

// SAFETY: repr(C), Copy, `struct_size` first, integer/float/pointer fields only.
unsafe impl Versioned for NqSaParams {
    const MIN_SIZE: usize = std::mem::size_of::<Self>();

    fn defaults() -> Self {
        let d = SimulatedAnnealingParams::default();
        let range = match d.schedule {
            BetaSchedule::Geometric(r) | BetaSchedule::Linear(r) => r,
            _ => None,
        };
        NqSaParams {
            struct_size: std::mem::size_of::<Self>(),
            reads: NqReadParams::defaults(),
            num_sweeps: d.num_sweeps.unwrap_or(0),
            has_num_sweeps: u8::from(d.num_sweeps.is_some()),
            num_sweeps_per_beta: d.num_sweeps_per_beta,
            beta_range: range.unwrap_or([0.0; 2]),
            has_beta_range: u8::from(range.is_some()),
            beta_schedule_type: d.schedule.schedule_type().to_c(),
            beta_schedule: std::ptr::null(),
            beta_schedule_len: 0,
            randomize_order: u8::from(d.randomize_order),
            proposal_acceptance_criteria: d.proposal_acceptance_criteria.to_c(),
        }
    }
}

impl NqSaParams {
    /// The core parameters, through the keywords Python uses too.
    unsafe fn to_core(self) -> FfiResult<SimulatedAnnealingParams> {
        let mut f = Fields::default();
        unsafe { self.reads.put(&mut f) }?;
        f.opt("num_sweeps", self.has_num_sweeps, self.num_sweeps)?;
        f.set("num_sweeps_per_beta", self.num_sweeps_per_beta)?;
        f.opt("beta_range", self.has_beta_range, self.beta_range)?;
        f.code::<BetaScheduleType>("beta_schedule_type", self.beta_schedule_type)?;
        unsafe { f.floats("beta_schedule", self.beta_schedule, self.beta_schedule_len) }?;
        f.flag("randomize_order", self.randomize_order)?;
        f.code::<ProposalAcceptance>("proposal_acceptance_criteria", self.proposal_acceptance_criteria)?;
        Ok(SimulatedAnnealingParams::from_keywords(
            "simulated annealing",
            f.0,
        )?)
    }
}

/// Writes the default parameters (dwave's defaults) into the caller's struct of `struct_size`
/// bytes (pass `sizeof *params`), and sets `params->struct_size`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nq_sa_params_default(params: *mut NqSaParams, struct_size: usize) -> NqStatus {
    guard(|| unsafe { init_sized(params, struct_size, "params") })
}

/// Creates a simulated-annealing sampler; invalid parameters are reported here (those that
/// depend on the model, such as the width of the initial states, when sampling).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nq_sampler_new_simulated_annealing(
    params: *const NqSaParams,
    out: *mut *mut NqSampler,
) -> NqStatus {
    guard(|| {
        let p = unsafe { read_sized(params, "params") }?;
        let out = Out::new(out, "out")?;
        boxed(out, SimulatedAnnealing::new(unsafe { p.to_core() }?)?);
        Ok(())
    })
}
