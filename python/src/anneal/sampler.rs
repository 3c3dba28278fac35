//! The `Sampler` base class (sampling with the GIL released, interrupts, thread count) and
//! `FallbackSampler`.

use super::sampleset::PySampleSet;
use crate::control::RunPolicy;
use crate::errors::OrRaise;
use crate::qubo::PyBqm;
use neuroquant::anneal::{FallbackParams, FallbackSampler, RoutingSampler, Sampler};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyTuple};
use std::sync::Arc;

/// Base class of every neuroquant sampler: `sample(bqm)` returns a `SampleSet`.
#[pyclass(name = "Sampler", module = "neuroquant.anneal", subclass, frozen)]
pub struct PySampler {
    pub(crate) sampler: Arc<dyn Sampler>,
}

impl PySampler {
    pub(crate) fn new(sampler: impl Sampler + 'static) -> Self {
        PySampler {
            sampler: Arc::new(sampler),
        }
    }
}

#[pymethods]
impl PySampler {
    /// Samples `bqm` with the GIL released, under the run's execution policy:
    /// `interrupt_function()` is called between reads and every few milliseconds inside long
    /// reads (returning True stops the run and returns the reads completed so far; an exception it
    /// raises stops the run and is re-raised); `timeout` stops it after that many seconds;
    /// `num_threads` runs on that many threads (default: all cores; results do not depend on
    /// it); `progress(completed, total)` is called after each completed read.
    /// `interrupt_between_reads=True` gives `interrupt_function` dwave-samplers' contract
    /// instead: it is called once after each read, in read order, never inside a read; the first
    /// read always completes; when it returns True (or raises, which then counts as an interrupt)
    /// after read r, exactly reads 0..r are returned, whatever the thread count.
    #[pyo3(signature = (bqm, *, interrupt_function = None, num_threads = None, timeout = None, progress = None, interrupt_between_reads = false))]
    #[allow(clippy::too_many_arguments)]
    fn sample(
        &self,
        py: Python<'_>,
        bqm: PyRef<'_, PyBqm>,
        interrupt_function: Option<Py<PyAny>>,
        num_threads: Option<&Bound<'_, PyAny>>,
        timeout: Option<f64>,
        progress: Option<Py<PyAny>>,
        interrupt_between_reads: bool,
    ) -> PyResult<PySampleSet> {
        if self.sampler.name() == neuroquant::dwave::DWaveSampler::NAME {
            crate::dwave::check_qubit_labels(py, &bqm)?;
        }
        let policy = RunPolicy::new(interrupt_function, num_threads, timeout, progress)?
            .between_reads(interrupt_between_reads);
        let sampler = &self.sampler;
        let model = &bqm.inner;
        let result = policy.run(py, |control| sampler.sample_with(model, control))?;
        Ok(PySampleSet {
            inner: result,
            variables: bqm.labels.to_list(py)?.unbind(),
        })
    }

    /// The sampler's name as reported in `SampleSet.info["sampler"]`.
    #[getter]
    fn name(&self) -> &'static str {
        self.sampler.name()
    }

    /// `{keyword: description}` of the parameters this sampler understands.
    #[getter]
    fn parameters<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let d = PyDict::new(py);
        for p in self.sampler.parameters() {
            d.set_item(p.name(), p.doc())?;
        }
        Ok(d)
    }

    /// Fixed properties of the sampler.
    #[getter]
    fn properties<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        py.import("json")?
            .call_method1("loads", (self.sampler.properties().to_string(),))
    }
}

/// Answers from `primary`, or from `fallback` when the primary fails or exceeds `timeout_ms`,
/// with a circuit breaker (`failure_threshold`, `cooldown_ms`); `info["sampler"]` and
/// `info["extra"]["fallback"]` say which answered, why, and the breaker's state.
#[pyclass(name = "FallbackSampler", module = "neuroquant.anneal", extends = PySampler, frozen)]
pub struct PyFallbackSampler {
    primary: Py<PySampler>,
    fallback: Py<PySampler>,
    params: FallbackParams,
}

impl PyFallbackSampler {
    /// Signature and docstring from the core's parameter description.
    pub(crate) fn describe(cls: &Bound<'_, pyo3::types::PyType>) -> PyResult<()> {
        crate::params::describe_with::<FallbackParams>(cls, &["primary", "fallback"], &[])
    }
}

#[pymethods]
impl PyFallbackSampler {
    #[new]
    #[pyo3(signature = (primary, fallback, **kwargs))]
    fn new(
        primary: Bound<'_, PySampler>,
        fallback: Bound<'_, PySampler>,
        kwargs: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<PyClassInitializer<Self>> {
        let params: FallbackParams = crate::params::from_kwargs("the fallback sampler", kwargs)?;
        let sampler = FallbackSampler::with_params(
            primary.get().sampler.clone(),
            fallback.get().sampler.clone(),
            params.clone(),
        );
        Ok(
            PyClassInitializer::from(PySampler::new(sampler)).add_subclass(PyFallbackSampler {
                primary: primary.unbind(),
                fallback: fallback.unbind(),
                params,
            }),
        )
    }

    /// The sampler tried first.
    #[getter]
    fn primary(&self, py: Python<'_>) -> Py<PySampler> {
        self.primary.clone_ref(py)
    }

    /// The sampler that answers when the primary fails, times out or is skipped by the breaker.
    #[getter]
    fn fallback(&self, py: Python<'_>) -> Py<PySampler> {
        self.fallback.clone_ref(py)
    }

    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyTuple>> {
        let me = slf.get();
        let py = slf.py();
        let kwargs = PyDict::new(py);
        for (k, v) in neuroquant::params::KeywordArgs::to_keywords(&me.params) {
            kwargs.set_item(k, crate::params::from_value(py, &v)?)?;
        }
        let functools = py.import("functools")?;
        let make = functools.call_method1("partial", (slf.get_type(), me.primary(py), me.fallback(py)))?;
        let make = functools.getattr("partial")?.call((make,), Some(&kwargs))?;
        PyTuple::new(py, [make.into_any(), PyTuple::empty(py).into_any()])
    }
}

/// Answers each model with the first route whose `max_variables` is at least the model's number
/// of variables (`routes`: `(max_variables, sampler)` pairs, limits increasing), or with
/// `default` for larger ones; `info["extra"]["routing"]` records the choice.
#[pyclass(name = "RoutingSampler", module = "neuroquant.anneal", extends = PySampler, frozen)]
pub struct PyRoutingSampler {
    routes: Vec<(usize, Py<PySampler>)>,
    default: Py<PySampler>,
}

#[pymethods]
impl PyRoutingSampler {
    #[new]
    fn new(
        routes: Vec<(usize, Bound<'_, PySampler>)>,
        default: Bound<'_, PySampler>,
    ) -> PyResult<PyClassInitializer<Self>> {
        let core_routes = routes
            .iter()
            .map(|(m, s)| (*m, s.get().sampler.clone()))
            .collect();
        let sampler = RoutingSampler::new(core_routes, default.get().sampler.clone()).or_raise()?;
        Ok(
            PyClassInitializer::from(PySampler::new(sampler)).add_subclass(PyRoutingSampler {
                routes: routes.into_iter().map(|(m, s)| (m, s.unbind())).collect(),
                default: default.unbind(),
            }),
        )
    }

    /// The `(max_variables, sampler)` routes, in order.
    #[getter]
    fn routes(&self, py: Python<'_>) -> Vec<(usize, Py<PySampler>)> {
        self.routes.iter().map(|(m, s)| (*m, s.clone_ref(py))).collect()
    }

    /// The sampler for models larger than every route.
    #[getter]
    fn default(&self, py: Python<'_>) -> Py<PySampler> {
        self.default.clone_ref(py)
    }

    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyTuple>> {
        let me = slf.get();
        let py = slf.py();
        let args = (me.routes(py), me.default(py)).into_pyobject(py)?;
        PyTuple::new(py, [slf.get_type().into_any(), args.into_any()])
    }
}
