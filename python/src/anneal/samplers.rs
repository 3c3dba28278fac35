//! The local samplers. Each class takes its parameters as keyword arguments, read by the core
//! (names, defaults, validation and messages are the core's: see `crate::params`), and pickles
//! through its parameters' container bytes.

use super::sampler::PySampler;
use crate::errors::OrRaise;
use crate::params;
use neuroquant::anneal::{
    DwavePathIntegralAnnealing, DwavePathIntegralParams, ExactParams, ExactSolver, ParallelTempering,
    ParallelTemperingParams, PathIntegralAnnealing, PathIntegralParams, SimulatedAnnealing,
    SimulatedAnnealingParams, SteepestDescent, SteepestDescentParams, Tabu, TabuParams,
};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyType};

/// Defines a sampler pyclass extending `Sampler` from the core sampler and its parameter type;
/// `$owner` names the sampler in errors about unknown keywords.
macro_rules! sampler_class {
    ($py:ident, $name:literal, $core:ident, $params:ident, $owner:literal) => {
        #[pyclass(name = $name, module = "neuroquant.anneal", extends = PySampler, frozen)]
        pub struct $py {
            params: $params,
        }

        impl $py {
            fn build(params: $params) -> PyResult<PyClassInitializer<Self>> {
                let sampler = $core::new(params.clone()).or_raise()?;
                Ok(PyClassInitializer::from(PySampler::new(sampler)).add_subclass($py { params }))
            }

            /// Signature and docstring from the core's parameter description.
            pub(crate) fn describe(cls: &Bound<'_, PyType>) -> PyResult<()> {
                params::describe::<$params>(cls)
            }
        }

        #[pymethods]
        impl $py {
            #[new]
            #[pyo3(signature = (**kwargs))]
            fn new(kwargs: Option<&Bound<'_, PyDict>>) -> PyResult<PyClassInitializer<Self>> {
                Self::build(params::from_kwargs($owner, kwargs)?)
            }

            /// The parameters in the neuroquant container format.
            fn params_bytes<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyBytes>> {
                Ok(PyBytes::new(py, &self.params.to_bytes().or_raise()?))
            }

            /// A sampler from `params_bytes()` output (used by pickle).
            #[staticmethod]
            fn from_params_bytes(py: Python<'_>, data: &[u8]) -> PyResult<Py<Self>> {
                let params = $params::from_bytes(data).or_raise()?;
                Py::new(py, Self::build(params)?)
            }

            fn __reduce__<'py>(
                slf: &Bound<'py, Self>,
            ) -> PyResult<(Bound<'py, PyAny>, (Bound<'py, PyBytes>,))> {
                let restore = slf.get_type().getattr("from_params_bytes")?;
                Ok((restore, (slf.get().params_bytes(slf.py())?,)))
            }

            fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
                params::repr(py, $name, &self.params)
            }
        }
    };
}

sampler_class!(
    PySimulatedAnnealing,
    "SimulatedAnnealing",
    SimulatedAnnealing,
    SimulatedAnnealingParams,
    "simulated annealing"
);
sampler_class!(
    PySteepestDescent,
    "SteepestDescent",
    SteepestDescent,
    SteepestDescentParams,
    "steepest descent"
);
sampler_class!(PyTabu, "Tabu", Tabu, TabuParams, "tabu search");
sampler_class!(PyExact, "Exact", ExactSolver, ExactParams, "the exact solver");
sampler_class!(
    PyParallelTempering,
    "ParallelTempering",
    ParallelTempering,
    ParallelTemperingParams,
    "parallel tempering"
);
sampler_class!(
    PyPathIntegral,
    "PathIntegralAnnealing",
    PathIntegralAnnealing,
    PathIntegralParams,
    "path-integral annealing"
);
sampler_class!(
    PyDwavePathIntegral,
    "DwavePathIntegralAnnealing",
    DwavePathIntegralAnnealing,
    DwavePathIntegralParams,
    "path-integral annealing (dwave-samplers' keywords)"
);
