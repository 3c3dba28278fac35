//! `neuroquant._neuroquant` quantum classes and functions behind `neuroquant.quantum`: operators,
//! solvers, metrics, coherence, channels, annealing and oscillators. Argument conversion that is
//! Python-only (QuTiP objects, list-form Hamiltonians, `args`) lives in `neuroquant/quantum.py`.

mod measures;
mod operators;
mod oscillators;
mod solve;

use pyo3::prelude::*;

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    operators::register(m)?;
    solve::register(m)?;
    measures::register(m)?;
    oscillators::register(m)?;
    Ok(())
}
