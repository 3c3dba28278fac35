//! Codes and conversions shared by the sampler constructors: optional values (`has_*` flags),
//! initial states, and the names of dwave's string options as integer codes.

use crate::guard::{FfiResult, arg_slice};
use nq::ArgumentError;
use nq::anneal::{InitialStates, InitialStatesGenerator, ProposalAcceptance};

/// Initial states: uniformly random states fill the missing reads (default).
pub const NQ_INITIAL_STATES_RANDOM: u32 = 0;
/// Initial states: the given states are repeated in order.
pub const NQ_INITIAL_STATES_TILE: u32 = 1;
/// Initial states: fewer states than reads is an error.
pub const NQ_INITIAL_STATES_NONE: u32 = 2;
/// Proposal acceptance: Metropolis (default).
pub const NQ_PROPOSAL_METROPOLIS: u32 = 0;
/// Proposal acceptance: Gibbs (heat bath).
pub const NQ_PROPOSAL_GIBBS: u32 = 1;

pub(crate) fn invalid(argument: &'static str, reason: String) -> crate::guard::Failure {
    nq::Error::from(ArgumentError::Invalid { argument, reason }).into()
}

/// `Some(value)` when `flag` is non-zero.
pub(crate) fn opt<T>(flag: u8, value: T) -> Option<T> {
    (flag != 0).then_some(value)
}

pub(crate) fn generator(code: u32) -> FfiResult<InitialStatesGenerator> {
    match code {
        NQ_INITIAL_STATES_RANDOM => Ok(InitialStatesGenerator::Random),
        NQ_INITIAL_STATES_TILE => Ok(InitialStatesGenerator::Tile),
        NQ_INITIAL_STATES_NONE => Ok(InitialStatesGenerator::None),
        _ => Err(invalid(
            "initial_states_generator",
            format!("{code} is not NQ_INITIAL_STATES_RANDOM (0), _TILE (1) or _NONE (2)"),
        )),
    }
}

pub(crate) fn criterion(code: u32) -> FfiResult<ProposalAcceptance> {
    match code {
        NQ_PROPOSAL_METROPOLIS => Ok(ProposalAcceptance::Metropolis),
        NQ_PROPOSAL_GIBBS => Ok(ProposalAcceptance::Gibbs),
        _ => Err(invalid(
            "proposal_acceptance_criteria",
            format!("{code} is not NQ_PROPOSAL_METROPOLIS (0) or NQ_PROPOSAL_GIBBS (1)"),
        )),
    }
}

/// `num_states` rows of `len / num_states` values at `ptr`; `None` when `num_states` is 0 (then
/// `len` must be 0).
///
/// # Safety
/// `ptr` must point to `len` readable `int8_t` (or be NULL with `len` 0).
pub(crate) unsafe fn initial_states(
    ptr: *const i8,
    len: usize,
    num_states: usize,
) -> FfiResult<Option<InitialStates>> {
    let values = unsafe { arg_slice(ptr, len, "initial_states") }?;
    if num_states == 0 {
        if len != 0 {
            return Err(invalid(
                "num_initial_states",
                format!("is 0 but initial_states_len is {len}"),
            ));
        }
        return Ok(None);
    }
    if !len.is_multiple_of(num_states) {
        return Err(invalid(
            "initial_states_len",
            format!("{len} is not a multiple of num_initial_states = {num_states}"),
        ));
    }
    Ok(Some(InitialStates::new(
        num_states,
        len / num_states,
        values.to_vec(),
    )?))
}
