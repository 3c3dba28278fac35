//! The exact solver from C.

use super::common::invalid;
use super::sampler::{NqSampler, boxed};
use crate::guard::{Out, arg_mut, arg_ref, guard};
use crate::status::NqStatus;
use nq::anneal::{ExactMode, ExactParams, ExactSolver};

/// Exact mode: every state in Gray-code order (at most 20 variables).
pub const NQ_EXACT_ALL_STATES: u32 = 0;
/// Exact mode: only the ground states, streamed (at most 32 variables).
pub const NQ_EXACT_GROUND_STATES: u32 = 1;

/// Parameters of the exact solver. Initialise with `nq_exact_params_default`.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct NqExactParams {
    /// NQ_EXACT_ALL_STATES (default) or NQ_EXACT_GROUND_STATES.
    pub mode: u32,
    /// Cap on the ground states returned (default 1000, at least 1).
    pub max_ground_states: usize,
}

/// Writes the default exact-solver parameters to `*params`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nq_exact_params_default(params: *mut NqExactParams) -> NqStatus {
    guard(|| {
        *unsafe { arg_mut(params, "params") }? = NqExactParams {
            mode: NQ_EXACT_ALL_STATES,
            max_ground_states: nq::anneal::DEFAULT_MAX_GROUND_STATES,
        };
        Ok(())
    })
}

/// Creates an exact solver; sampling a model above the mode's limit fails with
/// NQ_LIMIT_EXCEEDED.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nq_sampler_new_exact(
    params: *const NqExactParams,
    out: *mut *mut NqSampler,
) -> NqStatus {
    guard(|| {
        let p = unsafe { arg_ref(params, "params") }?;
        let out = Out::new(out, "out")?;
        let mode = match p.mode {
            NQ_EXACT_ALL_STATES => ExactMode::AllStates,
            NQ_EXACT_GROUND_STATES => ExactMode::GroundStates,
            other => {
                return Err(invalid(
                    "mode",
                    format!("{other} is not NQ_EXACT_ALL_STATES (0) or NQ_EXACT_GROUND_STATES (1)"),
                ));
            }
        };
        boxed(
            out,
            ExactSolver::new(ExactParams {
                mode,
                max_ground_states: p.max_ground_states,
            })?,
        );
        Ok(())
    })
}
