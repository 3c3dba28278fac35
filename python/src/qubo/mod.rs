//! `neuroquant.qubo`, one file per concept.

mod arith;
mod bqm;
mod convert;
mod expr;
mod labels;
mod samples;

// Files, constraint penalties and problem generators (issue 3).
mod formats;
mod generators;
mod penalty;
mod record;

pub(crate) use bqm::{PyBqm, vartype_arg};
use pyo3::prelude::*;

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyBqm>()?;
    expr::register(m)?;
    // Files, constraint penalties and problem generators (issue 3).
    formats::register(m)?;
    penalty::register(m)?;
    generators::register(m)?;
    Ok(())
}
