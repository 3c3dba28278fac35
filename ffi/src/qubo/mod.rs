//! C functions of the `qubo` area, one file per concept.

mod bqm;

pub use bqm::*;
