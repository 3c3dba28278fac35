//! `neuroquant._neuroquant`: the native module behind the `neuroquant` Python package.
//!
//! Each file mirrors one core area; a binding extracts arguments, calls one core function and
//! converts the result. Errors are mapped in `errors.rs` only.

mod anneal;
mod arrays;
mod building;
mod control;
mod dwave;
mod errors;
mod params;
mod quantum;
mod qubo;
mod reservoir;
mod spike;

use pyo3::prelude::*;

#[pymodule(gil_used = true)]
fn _neuroquant(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", neuroquant::VERSION)?;
    errors::register(m)?;
    qubo::register(m)?;
    anneal::register(m)?;
    building::register(m)?;
    spike::register(m)?;
    reservoir::register(m)?;
    dwave::register(m)?;
    quantum::register(m)?;
    Ok(())
}
