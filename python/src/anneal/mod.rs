//! `neuroquant.anneal`: samplers and sample sets.

mod sampler;
mod samplers;
mod sampleset;

pub(crate) use sampler::PySampler;
pub(crate) use sampleset::PySampleSet;

use crate::errors::OrRaise;
use crate::qubo::PyBqm;
use pyo3::prelude::*;

/// dwave-samplers' default `[hot, cold]` inverse temperatures for `bqm`.
#[pyfunction]
fn default_beta_range(bqm: PyRef<'_, PyBqm>) -> PyResult<(f64, f64)> {
    let [a, b] = neuroquant::anneal::default_beta_range(&bqm.inner).or_raise()?;
    Ok((a, b))
}

/// Checks `seed` against dwave-samplers' range for the sampler named `sampler` (its `name`):
/// `InvalidArgumentError` outside it. Used by `neuroquant.ocean`, which refuses what dwave refuses.
#[pyfunction]
fn check_dwave_seed(sampler: &str, seed: u64) -> PyResult<()> {
    neuroquant::anneal::check_dwave_seed(sampler, seed).or_raise()
}

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<sampleset::PySampleSet>()?;
    m.add_class::<sampler::PySampler>()?;
    m.add_class::<sampler::PyFallbackSampler>()?;
    sampler::PyFallbackSampler::describe(&m.py().get_type::<sampler::PyFallbackSampler>())?;
    m.add_class::<sampler::PyRoutingSampler>()?;
    macro_rules! sampler {
        ($t:ty) => {{
            m.add_class::<$t>()?;
            <$t>::describe(&m.py().get_type::<$t>())?;
        }};
    }
    sampler!(samplers::PySimulatedAnnealing);
    sampler!(samplers::PySteepestDescent);
    sampler!(samplers::PyTabu);
    sampler!(samplers::PyExact);
    sampler!(samplers::PyParallelTempering);
    sampler!(samplers::PyPathIntegral);
    sampler!(samplers::PyDwavePathIntegral);
    m.add_function(wrap_pyfunction!(check_dwave_seed, m)?)?;
    m.add_function(wrap_pyfunction!(default_beta_range, m)?)
}
