//! C functions of the `qubo` area, one file per concept.

mod bqm;
mod formats;

pub use bqm::*;
pub use formats::*;
