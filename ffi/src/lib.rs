//! The C ABI of neuroquant (`include/neuroquant.h`, library `libneuroquant`).
//!
//! Conventions, stated once for every function (see README "C API conventions"):
//! fallible functions return `NqStatus`; pointer arguments are checked for NULL and alignment;
//! arrays are (pointer, length) pairs, row-major; outputs are written only on `NQ_OK`; objects are
//! created by `nq_<type>_new…(…, out)` and released by `nq_<type>_free` (NULL is a no-op); every
//! body runs inside a panic guard, so no unwinding crosses the boundary. The safety contract of
//! every `unsafe extern "C"` function is therefore the same: each non-NULL pointer must point to
//! valid memory of the documented length and type for the duration of the call.
#![allow(clippy::missing_safety_doc)]

mod anneal;
mod control;
mod convert;
mod dwave;
mod guard;
#[cfg(test)]
mod header_docs;
mod lsm;
#[cfg(test)]
mod parameter_cases;
mod quantum;
mod qubo;
mod reservoir;
mod spike;
mod status;
mod version;

pub use anneal::*;
pub use control::*;
pub use dwave::*;
pub use guard::nq_last_error_message;
pub use lsm::*;
pub use quantum::*;
pub use qubo::*;
pub use reservoir::*;
pub use spike::*;
pub use status::{NqStatus, nq_status_name};
pub use version::nq_version;
