//! Binary quadratic models (dimod's data model): SPIN or BINARY variables, linear and quadratic
//! biases, offset, energies, vartype conversion, serialization.

mod bqm;
mod build;
mod change_vartype;
mod combine;
mod csr;
mod edit;
mod energy;
mod error;
pub mod expr;
pub mod formats;
pub mod generators;
mod measures;
pub mod penalty;
mod serialize;
mod transform;
mod vartype;
mod vartype_view;

pub(crate) use bqm::overflow;
pub use bqm::{Bqm, MAX_VARIABLES};
pub use combine::rounds_to_zero;
pub use csr::Csr;
pub(crate) use energy::check_sample_values;
pub use energy::{SampleValue, exact_sample_values};
pub use error::QuboError;
pub use vartype::Vartype;
