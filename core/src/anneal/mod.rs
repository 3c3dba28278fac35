//! Samplers of binary quadratic models behind one [`Sampler`] trait, and the [`SampleSet`] they
//! return.

mod error;
mod sampler;
mod sampleset;

pub use error::AnnealError;
pub use sampler::{Control, ParameterInfo, Sampler};
pub use sampleset::{Column, Info, SampleSet, Timing};
