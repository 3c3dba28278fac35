//! The `Sampler` base class (sampling with the GIL released, interrupts, thread count) and
//! `FallbackSampler`.

use super::sampleset::PySampleSet;
use crate::control::RunPolicy;
use crate::errors::invalid_argument;
use crate::qubo::PyBqm;
use neuroquant::anneal::{FallbackSampler, Sampler};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyTuple};
use std::sync::Arc;
use std::time::Duration;

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

/// Answers from `primary`, or from `fallback` when the primary fails or exceeds `timeout`
/// seconds; `info["sampler"]` and `info["extra"]["fallback"]` say which answered and why.
#[pyclass(name = "FallbackSampler", module = "neuroquant.anneal", extends = PySampler, frozen)]
pub struct PyFallbackSampler {
    primary: Py<PySampler>,
    fallback: Py<PySampler>,
    timeout: Option<f64>,
}

#[pymethods]
impl PyFallbackSampler {
    #[new]
    #[pyo3(signature = (primary, fallback, timeout = None))]
    fn new(
        primary: Bound<'_, PySampler>,
        fallback: Bound<'_, PySampler>,
        timeout: Option<f64>,
    ) -> PyResult<PyClassInitializer<Self>> {
        let duration = match timeout {
            None => None,
            // Longer than a Duration holds (about 5.8e11 years): no limit, not a panic.
            Some(t) if t.is_finite() && t >= 0.0 => Duration::try_from_secs_f64(t).ok(),
            Some(t) => {
                return Err(invalid_argument(
                    "timeout",
                    format!("{t} must be a finite number of seconds >= 0"),
                ));
            }
        };
        let sampler = FallbackSampler::new(
            primary.get().sampler.clone(),
            fallback.get().sampler.clone(),
            duration,
        );
        Ok(
            PyClassInitializer::from(PySampler::new(sampler)).add_subclass(PyFallbackSampler {
                primary: primary.unbind(),
                fallback: fallback.unbind(),
                timeout,
            }),
        )
    }

    #[getter]
    /// The sampler tried first.
    fn primary(&self, py: Python<'_>) -> Py<PySampler> {
        self.primary.clone_ref(py)
    }

    #[getter]
    /// The sampler that answers when the primary fails or times out.
    fn fallback(&self, py: Python<'_>) -> Py<PySampler> {
        self.fallback.clone_ref(py)
    }

    #[getter]
    /// Seconds the primary may run before the fallback answers (None: no limit).
    fn timeout(&self) -> Option<f64> {
        self.timeout
    }

    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyTuple>> {
        let me = slf.get();
        let py = slf.py();
        let args = (me.primary(py), me.fallback(py), me.timeout).into_pyobject(py)?;
        PyTuple::new(py, [slf.get_type().into_any(), args.into_any()])
    }
}
