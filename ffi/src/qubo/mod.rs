//! C functions of the `qubo` area, one file per concept.

mod bqm;
mod generators;
mod penalty;

pub use bqm::*;
pub use generators::*;
pub use penalty::*;
