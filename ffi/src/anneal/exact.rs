//! The exact solver from C.

use super::sampler::{NqSampler, boxed};
use crate::convert::{CEnum, Fields, Versioned, c_enum, init_sized, read_sized};
use crate::guard::{FfiResult, Out, guard};
use crate::status::NqStatus;
use nq::anneal::{ExactMode, ExactParams, ExactSolver};
use nq::params::KeywordArgs;

/// What the exact solver returns (`uint32_t`).
pub type NqExactMode = u32;
/// Every state, in Gray-code order (dimod's `ExactSolver`); up to `max_variables` variables
/// (default 24, at most 26: `MAX_ALL_STATES_VARIABLES`).
pub const NQ_EXACT_ALL_STATES: NqExactMode = 0 as NqExactMode;
/// Only the states of minimum energy (within `1e-9 * (1 + sum |bias|)`), in Gray-code order, at
/// most `max_ground_states` of them; up to `max_variables` variables (default and at most 32:
/// `MAX_GROUND_STATE_VARIABLES`). Memory is about `max_ground_states` rows however many ground
/// states exist; a cap whose rows (at most 2^n) exceed `SampleSet::max_rows` is refused
/// (`LimitExceeded`).
pub const NQ_EXACT_GROUND_STATES: NqExactMode = 1 as NqExactMode;

c_enum!(ExactMode {
    NQ_EXACT_ALL_STATES => ExactMode::AllStates,
    NQ_EXACT_GROUND_STATES => ExactMode::GroundStates,
});

/// Parameters of the exact solver. Initialise with `nq_exact_params_default(&params, sizeof
/// params)`.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct NqExactParams {
    /// `sizeof` the struct as the caller compiled it (set by `nq_exact_params_default`).
    pub struct_size: usize,
    /// Every state, or only the ground states.
    /// An NQ_EXACT_* constant.
    pub mode: NqExactMode,
    /// Cap on the ground states returned with mode "ground_states" (at least 1); when more
    /// exist, the first in Gray-code order are kept and info["truncated"] is true.
    pub max_ground_states: usize,
    /// Largest model enumerated; a larger one is refused (LimitExceeded) before anything is
    /// allocated. None: 24 with mode "all_states" (2^24 rows, about 1 GB; dimod's
    /// ExactSolver has no limit and needs as much), 32 with "ground_states". At most 26
    /// (all states: the sample-set limit) or 32 (ground states).
    pub max_variables: usize,
    /// Non-zero: use `max_variables`; 0: None.
    pub has_max_variables: u8,
}

// SAFETY: repr(C), Copy, `struct_size` first, integer fields only.
unsafe impl Versioned for NqExactParams {
    const MIN_SIZE: usize = std::mem::size_of::<Self>();

    fn defaults() -> Self {
        let d = ExactParams::default();
        NqExactParams {
            struct_size: std::mem::size_of::<Self>(),
            mode: d.mode.to_c(),
            max_ground_states: d.max_ground_states,
            max_variables: d.max_variables.unwrap_or(0),
            has_max_variables: u8::from(d.max_variables.is_some()),
        }
    }
}

impl NqExactParams {
    fn to_core(self) -> FfiResult<ExactParams> {
        let mut f = Fields::default();
        f.code::<ExactMode>("mode", self.mode)?;
        f.set("max_ground_states", self.max_ground_states)?;
        f.opt("max_variables", self.has_max_variables, self.max_variables)?;
        Ok(ExactParams::from_keywords("the exact solver", f.0)?)
    }
}

/// Writes the default parameters into the caller's struct of `struct_size` bytes (pass
/// `sizeof *params`), and sets `params->struct_size`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nq_exact_params_default(params: *mut NqExactParams, struct_size: usize) -> NqStatus {
    guard(|| unsafe { init_sized(params, struct_size, "params") })
}

/// Creates an exact solver; sampling a model above the mode's limit fails with
/// NQ_LIMIT_EXCEEDED.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nq_sampler_new_exact(
    params: *const NqExactParams,
    out: *mut *mut NqSampler,
) -> NqStatus {
    guard(|| {
        let p = unsafe { read_sized(params, "params") }?;
        let out = Out::new(out, "out")?;
        boxed(out, ExactSolver::new(p.to_core()?)?);
        Ok(())
    })
}
