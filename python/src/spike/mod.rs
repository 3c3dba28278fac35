//! `neuroquant.spike`: spike data, encoders and decoders, and spike-train measures.

pub(crate) mod data;
mod encode;
mod measure;

use pyo3::prelude::*;

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    data::register(m)?;
    encode::register(m)?;
    measure::register(m)
}
