//! `neuroquant.reservoir`: reservoir computing with ReservoirPy's vocabulary.

mod convert;
mod models;
mod nodes;

use pyo3::prelude::*;

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add_class::<nodes::PyReservoir>()?;
    nodes::PyReservoir::describe(&py.get_type::<nodes::PyReservoir>())?;
    m.add_class::<nodes::PyRidge>()?;
    nodes::PyRidge::describe(&py.get_type::<nodes::PyRidge>())?;
    m.add_class::<nodes::PyRls>()?;
    nodes::PyRls::describe(&py.get_type::<nodes::PyRls>())?;
    m.add_class::<nodes::PyLms>()?;
    nodes::PyLms::describe(&py.get_type::<nodes::PyLms>())?;
    m.add_class::<models::PyEsn>()?;
    m.add_class::<models::PyNvar>()?;
    models::PyNvar::describe(&py.get_type::<models::PyNvar>())?;
    m.add_class::<models::PyLsm>()?;
    models::PyLsm::describe(&py.get_type::<models::PyLsm>())?;
    for f in [
        wrap_pyfunction!(models::spike_counts, m)?,
        wrap_pyfunction!(models::filtered_traces, m)?,
        wrap_pyfunction!(models::spectral_radius, m)?,
        wrap_pyfunction!(models::effective_spectral_radius, m)?,
        wrap_pyfunction!(models::mackey_glass, m)?,
        wrap_pyfunction!(models::narma10, m)?,
        wrap_pyfunction!(models::lorenz, m)?,
        wrap_pyfunction!(models::mse, m)?,
        wrap_pyfunction!(models::rmse, m)?,
        wrap_pyfunction!(models::nmse, m)?,
        wrap_pyfunction!(models::rsquare, m)?,
        wrap_pyfunction!(models::nrmse, m)?,
        wrap_pyfunction!(models::valid_time, m)?,
        wrap_pyfunction!(models::memory_capacity, m)?,
    ] {
        m.add_function(f)?;
    }
    Ok(())
}
