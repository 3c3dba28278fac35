//! C functions of the `anneal` area: samplers (`NqSampler`, one constructor per kind with a
//! `#[repr(C)]` parameter struct and its `nq_*_params_default` initialiser), sampling with an
//! optional interrupt callback, fallback composition, and sample sets (`NqSampleSet`).

mod exact;
mod local_search;
mod parallel_tempering;
mod params;
mod path_integral;
mod sampler;
mod sampleset;
mod simulated_annealing;

pub use exact::*;
pub use local_search::*;
pub use parallel_tempering::*;
pub use params::*;
pub use path_integral::*;
pub use sampler::*;
pub use sampleset::*;
pub use simulated_annealing::*;
