//! C functions of the `qubo` area, one file per concept.

mod bqm;
mod formats;
mod generators;
mod penalty;

pub use bqm::*;
pub use formats::*;
pub use generators::*;
pub use penalty::*;
