//! Samplers of binary quadratic models behind one [`Sampler`] trait, and the [`SampleSet`] they
//! return: simulated annealing, steepest descent, tabu search, exact enumeration, parallel
//! tempering and path-integral quantum annealing, plus [`FallbackSampler`].

mod acceptance;
mod beta_range;
mod dwave_path_integral;
mod dwave_seed;
mod error;
mod exact;
mod fallback;
mod initial_states;
mod parallel_tempering;
mod path_integral;
mod reads;
mod routing;
mod sampler;
mod sampleset;
mod schedule;
mod serialize;
mod simulated_annealing;
mod spin_model;
mod steepest_descent;
mod sweep;
mod tabu;
mod tabu_search;

pub use crate::control::{Control, MAX_THREADS, Progress};
pub use acceptance::ProposalAcceptance;
pub use beta_range::{ZERO_MODEL_BETA_RANGE, default_beta_range};
pub use dwave_path_integral::{
    DWAVE_PIMC_NUM_SWEEPS, DWAVE_PIMC_TROTTER, DwavePathIntegralAnnealing, DwavePathIntegralParams,
};
pub use dwave_seed::{check_dwave_seed, dwave_seed_bound};
pub use error::AnnealError;
pub use exact::{
    DEFAULT_ALL_STATES_VARIABLES, DEFAULT_MAX_GROUND_STATES, ExactMode, ExactParams, ExactSolver,
    MAX_ALL_STATES_VARIABLES, MAX_GROUND_STATE_VARIABLES,
};
pub use fallback::{FallbackParams, FallbackSampler};
pub use initial_states::{
    InitialStates, InitialStatesGenerator, MAX_READ_SPINS, MAX_SAMPLE_VALUES, ReadParams,
};
pub use parallel_tempering::{
    DEFAULT_NUM_REPLICAS, Ladder, MAX_REPLICAS, ParallelTempering, ParallelTemperingParams, PtOutput,
};
pub use path_integral::{MAX_TROTTER, PathIntegralAnnealing, PathIntegralParams, SqaSchedule, SqaStep};
pub use routing::RoutingSampler;
pub use sampler::Sampler;
pub use sampleset::{Column, Info, MAX_SAMPLE_SET_BYTES, SAMPLE_ROW_BYTES, SampleSet, Timing};
pub use schedule::{BetaSchedule, BetaScheduleType};
pub use simulated_annealing::{DEFAULT_NUM_SWEEPS, SimulatedAnnealing, SimulatedAnnealingParams};
pub use steepest_descent::{SteepestDescent, SteepestDescentParams};
pub use tabu::{DEFAULT_LOWER_BOUND_Z, DEFAULT_NUM_RESTARTS, DEFAULT_TABU_TIMEOUT_MS, Tabu, TabuParams};
