//! `neuroquant.qubo`, one file per concept.

mod bqm;
mod convert;
mod expr;
mod labels;
mod samples;

pub(crate) use bqm::PyBqm;
use pyo3::prelude::*;

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyBqm>()?;
    expr::register(m)
}
