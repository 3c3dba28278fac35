//! `neuroquant.qubo`, one file per concept.

mod bqm;
mod expr;

pub(crate) use bqm::PyBqm;
use pyo3::prelude::*;

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyBqm>()?;
    expr::register(m)
}
