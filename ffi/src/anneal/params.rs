//! What every sampler's C parameters share: the reads group (`NqReadParams`, embedded in each
//! sampler's struct as `reads`) and the enum codes of the anneal area.

use crate::convert::{CEnum, Fields, c_enum};
use crate::guard::{FfiResult, arg_slice};
use nq::anneal::{InitialStates, InitialStatesGenerator, ProposalAcceptance, ReadParams};

/// How the reads without a given initial state start (`uint32_t`).
pub type NqInitialStatesGenerator = u32;
/// Uniformly random states fill the missing reads.
pub const NQ_INITIAL_STATES_RANDOM: NqInitialStatesGenerator = 0 as NqInitialStatesGenerator;
/// The given states are repeated in order.
pub const NQ_INITIAL_STATES_TILE: NqInitialStatesGenerator = 1 as NqInitialStatesGenerator;
/// No extension: fewer states than reads is an error.
pub const NQ_INITIAL_STATES_NONE: NqInitialStatesGenerator = 2 as NqInitialStatesGenerator;

c_enum!(InitialStatesGenerator {
    NQ_INITIAL_STATES_RANDOM => InitialStatesGenerator::Random,
    NQ_INITIAL_STATES_TILE => InitialStatesGenerator::Tile,
    NQ_INITIAL_STATES_NONE => InitialStatesGenerator::None,
});

/// The rule accepting a proposed flip (`uint32_t`).
pub type NqProposalAcceptance = u32;
/// Accept with probability `min(1, exp(-beta * delta))`.
pub const NQ_PROPOSAL_METROPOLIS: NqProposalAcceptance = 0 as NqProposalAcceptance;
/// Accept with probability `1 / (1 + exp(beta * delta))` (heat bath).
pub const NQ_PROPOSAL_GIBBS: NqProposalAcceptance = 1 as NqProposalAcceptance;

c_enum!(ProposalAcceptance {
    NQ_PROPOSAL_METROPOLIS => ProposalAcceptance::Metropolis,
    NQ_PROPOSAL_GIBBS => ProposalAcceptance::Gibbs,
});

/// How many reads a sampler runs and where they start, embedded as `reads` in every sampler's
/// parameters. Its layout is frozen: new read options are appended to each sampler's struct.
/// A `has_*` flag of 0 leaves the field before it at its default.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct NqReadParams {
    /// Number of reads (independent runs). None: the number of initial states, else 1.
    pub num_reads: usize,
    /// Non-zero: use `num_reads`; 0: None.
    pub has_num_reads: u8,
    /// Random seed. None: drawn from the operating system and reported in `info["seed"]`.
    pub seed: u64,
    /// Non-zero: use `seed`; 0: None.
    pub has_seed: u8,
    /// Starting states, one row per read, in the model's vartype.
    /// `num_initial_states` rows, row-major, `initial_states_len` values in all; NULL with both
    /// counts 0: none.
    pub initial_states: *const i8,
    /// Values at `initial_states`.
    pub initial_states_len: usize,
    /// Rows at `initial_states`.
    pub num_initial_states: usize,
    /// How the reads without a given initial state start.
    /// An NQ_INITIAL_STATES_* constant.
    pub initial_states_generator: NqInitialStatesGenerator,
}

impl NqReadParams {
    /// The library's defaults.
    pub(crate) fn defaults() -> Self {
        let d = ReadParams::default();
        NqReadParams {
            num_reads: d.num_reads.unwrap_or(0),
            has_num_reads: u8::from(d.num_reads.is_some()),
            seed: d.seed.unwrap_or(0),
            has_seed: u8::from(d.seed.is_some()),
            initial_states: std::ptr::null(),
            initial_states_len: 0,
            num_initial_states: 0,
            initial_states_generator: d.initial_states_generator.to_c(),
        }
    }

    /// Adds the keywords of the set fields.
    ///
    /// # Safety
    /// `initial_states` must point to `initial_states_len` readable values (or be NULL with 0).
    pub(crate) unsafe fn put(&self, f: &mut Fields) -> FfiResult {
        f.opt("num_reads", self.has_num_reads, self.num_reads)?;
        f.opt("seed", self.has_seed, self.seed)?;
        let values = unsafe { arg_slice(self.initial_states, self.initial_states_len, "initial_states") }?;
        if self.num_initial_states > 0 || !values.is_empty() {
            f.set(
                "initial_states",
                InitialStates::from_rows(self.num_initial_states, values.to_vec())?,
            )?;
        }
        f.code::<InitialStatesGenerator>("initial_states_generator", self.initial_states_generator)
    }
}
