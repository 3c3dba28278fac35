//! The local samplers, constructed with dwave-samplers' keyword names (OpenJij's for path-integral
//! annealing). Each pickles through its parameters' container bytes.

use super::sampler::PySampler;
use crate::arrays::{IntArray, with_int_data};
use crate::errors::{OrRaise, invalid_argument, to_pyerr};
use neuroquant::ArgumentError;
use neuroquant::anneal::{
    ExactParams, ExactSolver, InitialStates, InitialStatesGenerator, ParallelTempering,
    ParallelTemperingParams, PathIntegralAnnealing, PathIntegralParams, SimulatedAnnealing,
    SimulatedAnnealingParams, SqaStep, SteepestDescent, SteepestDescentParams, Tabu, TabuParams,
};
use neuroquant::qubo::SampleValue;
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyTuple};

fn parse<T: std::str::FromStr<Err = ArgumentError>>(s: &str) -> PyResult<T> {
    s.parse().map_err(|e: ArgumentError| to_pyerr(e.into()))
}

fn beta_range(r: Option<(f64, f64)>) -> Option<[f64; 2]> {
    r.map(|(a, b)| [a, b])
}

/// Initial states: a 2-D integer array-like (one row per state; a 1-D one is one state), values
/// in the vartype of the model they will be used with (checked when sampling).
fn initial_states(obj: Option<&Bound<'_, PyAny>>) -> PyResult<Option<InitialStates>> {
    let Some(obj) = obj.filter(|o| !o.is_none()) else {
        return Ok(None);
    };
    let arr = IntArray::extract("initial_states", obj)?;
    let (rows, cols) = match arr.shape().as_slice() {
        [c] => (1, *c),
        [r, c] => (*r, *c),
        s => {
            return Err(invalid_argument(
                "initial_states",
                format!("must be two-dimensional, got shape {s:?}"),
            ));
        }
    };
    fn to_i8<T: SampleValue>(data: &[T]) -> PyResult<Vec<i8>> {
        data.iter()
            .map(|&x| {
                i8::try_from(x.to_i64()).map_err(|_| {
                    invalid_argument(
                        "initial_states",
                        format!("value {} is not a spin or binary value", x.to_i64()),
                    )
                })
            })
            .collect()
    }
    let values = with_int_data!(&arr, |data| to_i8(&data))?;
    Ok(Some(InitialStates::new(rows, cols, values).or_raise()?))
}

fn params_bytes<'py>(py: Python<'py>, bytes: neuroquant::Result<Vec<u8>>) -> PyResult<Bound<'py, PyBytes>> {
    Ok(PyBytes::new(py, &bytes.or_raise()?))
}

/// Defines a sampler pyclass extending `Sampler` that keeps its params for pickling.
macro_rules! sampler_class {
    ($py:ident, $name:literal, $core:ident, $params:ident) => {
        #[pyclass(name = $name, module = "neuroquant.anneal", extends = PySampler, frozen)]
        pub struct $py {
            params: $params,
        }

        impl $py {
            fn build(params: $params) -> PyResult<PyClassInitializer<Self>> {
                let sampler = $core::new(params.clone()).or_raise()?;
                Ok(PyClassInitializer::from(PySampler::new(sampler)).add_subclass($py { params }))
            }
        }

        #[pymethods]
        impl $py {
            /// The parameters in the neuroquant container format.
            fn params_bytes<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyBytes>> {
                params_bytes(py, self.params.to_bytes())
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

            fn __repr__(&self) -> String {
                format!("{}({:?})", $name, self.params)
            }
        }
    };
}

sampler_class!(
    PySimulatedAnnealing,
    "SimulatedAnnealing",
    SimulatedAnnealing,
    SimulatedAnnealingParams
);
sampler_class!(
    PySteepestDescent,
    "SteepestDescent",
    SteepestDescent,
    SteepestDescentParams
);
sampler_class!(PyTabu, "Tabu", Tabu, TabuParams);
sampler_class!(PyExact, "Exact", ExactSolver, ExactParams);
sampler_class!(
    PyParallelTempering,
    "ParallelTempering",
    ParallelTempering,
    ParallelTemperingParams
);
sampler_class!(
    PyPathIntegral,
    "PathIntegralAnnealing",
    PathIntegralAnnealing,
    PathIntegralParams
);

#[pymethods]
impl PySimulatedAnnealing {
    /// Simulated annealing with dwave-samplers' keywords and defaults.
    #[new]
    #[allow(clippy::too_many_arguments)]
    #[pyo3(signature = (*, num_reads = None, num_sweeps = None, num_sweeps_per_beta = 1, beta_range = None,
        beta_schedule_type = "geometric", beta_schedule = None, seed = None, initial_states = None,
        initial_states_generator = "random", randomize_order = false, proposal_acceptance_criteria = "Metropolis"))]
    fn new(
        num_reads: Option<usize>,
        num_sweeps: Option<usize>,
        num_sweeps_per_beta: usize,
        beta_range: Option<(f64, f64)>,
        beta_schedule_type: &str,
        beta_schedule: Option<Vec<f64>>,
        seed: Option<u64>,
        initial_states: Option<&Bound<'_, PyAny>>,
        initial_states_generator: &str,
        randomize_order: bool,
        proposal_acceptance_criteria: &str,
    ) -> PyResult<PyClassInitializer<Self>> {
        Self::build(SimulatedAnnealingParams {
            num_reads,
            num_sweeps,
            num_sweeps_per_beta,
            beta_range: self::beta_range(beta_range),
            beta_schedule_type: parse(beta_schedule_type)?,
            beta_schedule,
            seed,
            initial_states: self::initial_states(initial_states)?,
            initial_states_generator: parse(initial_states_generator)?,
            randomize_order,
            proposal_acceptance_criteria: parse(proposal_acceptance_criteria)?,
        })
    }
}

#[pymethods]
impl PySteepestDescent {
    /// Greedy descent to a local minimum (dwave-samplers' SteepestDescentSolver).
    #[new]
    #[pyo3(signature = (*, num_reads = None, seed = None, initial_states = None, initial_states_generator = "random",
        large_sparse_opt = false))]
    fn new(
        num_reads: Option<usize>,
        seed: Option<u64>,
        initial_states: Option<&Bound<'_, PyAny>>,
        initial_states_generator: &str,
        large_sparse_opt: bool,
    ) -> PyResult<PyClassInitializer<Self>> {
        Self::build(SteepestDescentParams {
            num_reads,
            seed,
            initial_states: self::initial_states(initial_states)?,
            initial_states_generator: parse::<InitialStatesGenerator>(initial_states_generator)?,
            large_sparse_opt,
        })
    }
}

#[pymethods]
impl PyTabu {
    /// Multistart tabu search (MST2) with dwave-samplers' keywords; `timeout` in ms per read
    /// (default 20, dwave's: results then depend on machine speed and load, so a seed repeats a
    /// run only with `timeout=None`).
    #[new]
    #[allow(clippy::too_many_arguments)]
    #[pyo3(signature = (*, num_reads = None, seed = None, initial_states = None, initial_states_generator = "random",
        tenure = None, timeout = Some(neuroquant::anneal::DEFAULT_TABU_TIMEOUT_MS), num_restarts = neuroquant::anneal::DEFAULT_NUM_RESTARTS,
        energy_threshold = None, coefficient_z_first = None, coefficient_z_restart = None, lower_bound_z = None))]
    fn new(
        num_reads: Option<usize>,
        seed: Option<u64>,
        initial_states: Option<&Bound<'_, PyAny>>,
        initial_states_generator: &str,
        tenure: Option<usize>,
        timeout: Option<u64>,
        num_restarts: u64,
        energy_threshold: Option<f64>,
        coefficient_z_first: Option<u64>,
        coefficient_z_restart: Option<u64>,
        lower_bound_z: Option<u64>,
    ) -> PyResult<PyClassInitializer<Self>> {
        Self::build(TabuParams {
            num_reads,
            seed,
            initial_states: self::initial_states(initial_states)?,
            initial_states_generator: parse(initial_states_generator)?,
            tenure,
            timeout,
            num_restarts,
            energy_threshold,
            coefficient_z_first,
            coefficient_z_restart,
            lower_bound_z,
        })
    }
}

#[pymethods]
impl PyExact {
    /// Exact enumeration: every state (`mode="all_states"`, dimod's ExactSolver) or only the
    /// ground states (`mode="ground_states"`, at most `max_ground_states`).
    #[new]
    #[pyo3(signature = (*, mode = "all_states", max_ground_states = neuroquant::anneal::DEFAULT_MAX_GROUND_STATES))]
    fn new(mode: &str, max_ground_states: usize) -> PyResult<PyClassInitializer<Self>> {
        Self::build(ExactParams {
            mode: parse(mode)?,
            max_ground_states,
        })
    }
}

#[pymethods]
impl PyParallelTempering {
    /// Replica exchange over a temperature ladder (`betas`, or `num_replicas` geometric between
    /// `beta_range`); `output="best"` (lowest state seen) or `"coldest"` (a Boltzmann sample).
    #[new]
    #[allow(clippy::too_many_arguments)]
    #[pyo3(signature = (*, num_reads = None, num_replicas = neuroquant::anneal::DEFAULT_NUM_REPLICAS, num_sweeps = 1000,
        swap_interval = 1, beta_range = None, betas = None, seed = None, initial_states = None,
        initial_states_generator = "random", randomize_order = false, proposal_acceptance_criteria = "Metropolis",
        output = "best"))]
    fn new(
        num_reads: Option<usize>,
        num_replicas: usize,
        num_sweeps: usize,
        swap_interval: usize,
        beta_range: Option<(f64, f64)>,
        betas: Option<Vec<f64>>,
        seed: Option<u64>,
        initial_states: Option<&Bound<'_, PyAny>>,
        initial_states_generator: &str,
        randomize_order: bool,
        proposal_acceptance_criteria: &str,
        output: &str,
    ) -> PyResult<PyClassInitializer<Self>> {
        Self::build(ParallelTemperingParams {
            num_reads,
            num_replicas,
            num_sweeps,
            swap_interval,
            beta_range: self::beta_range(beta_range),
            betas,
            seed,
            initial_states: self::initial_states(initial_states)?,
            initial_states_generator: parse(initial_states_generator)?,
            randomize_order,
            proposal_acceptance_criteria: parse(proposal_acceptance_criteria)?,
            output: parse(output)?,
        })
    }
}

#[pymethods]
impl PyPathIntegral {
    /// Path-integral (simulated quantum) annealing in OpenJij's vocabulary: `beta`, `gamma`,
    /// `trotter`, `num_sweeps` on the quartic schedule, or `schedule` as `(s, beta, sweeps)` or
    /// `(s, sweeps)` tuples (the latter at `beta`).
    #[new]
    #[allow(clippy::too_many_arguments)]
    #[pyo3(signature = (*, num_reads = None, beta = 5.0, gamma = 1.0, trotter = 4, num_sweeps = 1000, schedule = None,
        seed = None, initial_states = None, initial_states_generator = "random", return_all_slices = false))]
    fn new(
        num_reads: Option<usize>,
        beta: f64,
        gamma: f64,
        trotter: usize,
        num_sweeps: usize,
        schedule: Option<Vec<Bound<'_, PyTuple>>>,
        seed: Option<u64>,
        initial_states: Option<&Bound<'_, PyAny>>,
        initial_states_generator: &str,
        return_all_slices: bool,
    ) -> PyResult<PyClassInitializer<Self>> {
        let schedule = schedule
            .map(|steps| {
                steps
                    .iter()
                    .map(|t| match t.len() {
                        3 => Ok(SqaStep {
                            s: t.get_item(0)?.extract()?,
                            beta: t.get_item(1)?.extract()?,
                            sweeps: t.get_item(2)?.extract()?,
                        }),
                        2 => Ok(SqaStep {
                            s: t.get_item(0)?.extract()?,
                            beta,
                            sweeps: t.get_item(1)?.extract()?,
                        }),
                        n => Err(invalid_argument(
                            "schedule",
                            format!("a step has {n} entries, must be (s, beta, sweeps) or (s, sweeps)"),
                        )),
                    })
                    .collect::<PyResult<Vec<_>>>()
            })
            .transpose()?;
        Self::build(PathIntegralParams {
            num_reads,
            beta,
            gamma,
            trotter,
            num_sweeps,
            schedule,
            seed,
            initial_states: self::initial_states(initial_states)?,
            initial_states_generator: parse(initial_states_generator)?,
            return_all_slices,
        })
    }
}
