//! Parallel tempering from C.

use super::params::{NqProposalAcceptance, NqReadParams};
use super::sampler::{NqSampler, boxed};
use crate::convert::{CEnum, Fields, Versioned, c_enum, init_sized, read_sized};
use crate::guard::{FfiResult, Out, guard};
use crate::status::NqStatus;
use nq::anneal::{Ladder, ParallelTempering, ParallelTemperingParams, ProposalAcceptance, PtOutput};
use nq::params::KeywordArgs;

/// Which state a parallel-tempering read returns (`uint32_t`).
pub type NqPtOutput = u32;
/// The lowest-energy state any replica held at the end of a sweep (for optimisation).
pub const NQ_PT_OUTPUT_BEST: NqPtOutput = 0 as NqPtOutput;
/// The final state at the coldest temperature: a sample of the Boltzmann distribution at the
/// coldest inverse temperature once the run has equilibrated.
pub const NQ_PT_OUTPUT_COLDEST: NqPtOutput = 1 as NqPtOutput;

c_enum!(PtOutput {
    NQ_PT_OUTPUT_BEST => PtOutput::Best,
    NQ_PT_OUTPUT_COLDEST => PtOutput::Coldest,
});

/// Parameters of parallel tempering. Initialise with `nq_pt_params_default(&params, sizeof
/// params)`; a `has_*` flag of 0 leaves the field before it at its default.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct NqPtParams {
    /// `sizeof` the struct as the caller compiled it (set by `nq_pt_params_default`).
    pub struct_size: usize,
    /// Reads (independent runs), seed and initial states (every replica of a read starts from
    /// the read's state).
    pub reads: NqReadParams,
    /// Temperatures in a geometric ladder (not with betas).
    pub num_replicas: usize,
    /// Non-zero: use `num_replicas`; 0: None (16).
    pub has_num_replicas: u8,
    /// [hot, cold] ends of a geometric ladder (not with betas). None: the model's
    /// default_beta_range (dwave-samplers' heuristic).
    pub beta_range: [f64; 2],
    /// Non-zero: use `beta_range`; 0: None.
    pub has_beta_range: u8,
    /// An explicit non-decreasing ladder, hot first (instead of num_replicas and beta_range).
    /// `betas_len` values; NULL: None.
    pub betas: *const f64,
    /// Values at `betas`.
    pub betas_len: usize,
    /// Sweeps per replica.
    pub num_sweeps: usize,
    /// Sweeps between exchange rounds.
    pub swap_interval: usize,
    /// Random instead of sequential spin order within a sweep.
    /// Non-zero: true.
    pub randomize_order: u8,
    /// The rule accepting a proposed single-spin flip.
    /// An NQ_PROPOSAL_* constant.
    pub proposal_acceptance_criteria: NqProposalAcceptance,
    /// The state each read returns.
    /// An NQ_PT_OUTPUT_* constant.
    pub output: NqPtOutput,
}

// SAFETY: repr(C), Copy, `struct_size` first, integer/float/pointer fields only.
unsafe impl Versioned for NqPtParams {
    const MIN_SIZE: usize = std::mem::size_of::<Self>();

    fn defaults() -> Self {
        let d = ParallelTemperingParams::default();
        let (num_replicas, range) = match d.ladder {
            Ladder::Geometric { num_replicas, range } => (num_replicas, range),
            _ => (0, None),
        };
        NqPtParams {
            struct_size: std::mem::size_of::<Self>(),
            reads: NqReadParams::defaults(),
            num_replicas,
            has_num_replicas: 0,
            beta_range: range.unwrap_or([0.0; 2]),
            has_beta_range: u8::from(range.is_some()),
            betas: std::ptr::null(),
            betas_len: 0,
            num_sweeps: d.num_sweeps,
            swap_interval: d.swap_interval,
            randomize_order: u8::from(d.randomize_order),
            proposal_acceptance_criteria: d.proposal_acceptance_criteria.to_c(),
            output: d.output.to_c(),
        }
    }
}

impl NqPtParams {
    unsafe fn to_core(self) -> FfiResult<ParallelTemperingParams> {
        let mut f = Fields::default();
        unsafe { self.reads.put(&mut f) }?;
        f.opt("num_replicas", self.has_num_replicas, self.num_replicas)?;
        f.opt("beta_range", self.has_beta_range, self.beta_range)?;
        unsafe { f.floats("betas", self.betas, self.betas_len) }?;
        f.set("num_sweeps", self.num_sweeps)?;
        f.set("swap_interval", self.swap_interval)?;
        f.flag("randomize_order", self.randomize_order)?;
        f.code::<ProposalAcceptance>("proposal_acceptance_criteria", self.proposal_acceptance_criteria)?;
        f.code::<PtOutput>("output", self.output)?;
        Ok(ParallelTemperingParams::from_keywords("parallel tempering", f.0)?)
    }
}

/// Writes the default parameters into the caller's struct of `struct_size` bytes (pass
/// `sizeof *params`), and sets `params->struct_size`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nq_pt_params_default(params: *mut NqPtParams, struct_size: usize) -> NqStatus {
    guard(|| unsafe { init_sized(params, struct_size, "params") })
}

/// Creates a parallel-tempering sampler.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nq_sampler_new_parallel_tempering(
    params: *const NqPtParams,
    out: *mut *mut NqSampler,
) -> NqStatus {
    guard(|| {
        let p = unsafe { read_sized(params, "params") }?;
        let out = Out::new(out, "out")?;
        boxed(out, ParallelTempering::new(unsafe { p.to_core() }?)?);
        Ok(())
    })
}
