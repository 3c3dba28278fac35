//! Problem generators (`neuroquant.qubo.max_cut`, …): each returns an object holding the model
//! as a `Bqm` with meaningful labels, the strengths and bounds it chose, and `decode(sample)`.
//!
//! Generator objects pickle by rebuilding from their inputs (the core builds deterministically),
//! so an unpickled object has the model as built, not later edits of `.bqm`.

mod args;
mod graph_coloring;
mod hvac;
mod knapsack;
mod max_cut;
mod number_partitioning;
mod tsp;

use pyo3::prelude::*;

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    max_cut::register(m)?;
    number_partitioning::register(m)?;
    knapsack::register(m)?;
    graph_coloring::register(m)?;
    tsp::register(m)?;
    hvac::register(m)
}
