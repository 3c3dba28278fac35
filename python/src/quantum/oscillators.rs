//! `Kuramoto`, `PhaseState` and `interference`.

use crate::control::RunPolicy;
use crate::errors::OrRaise;
use neuroquant::quantum::{Kuramoto, PhaseState};
use numpy::{IntoPyArray, PyArray1, PyUntypedArrayMethods};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyIterator, PyTuple};

/// A Kuramoto network `d theta_i/dt = omega_i + (K/N) sum_j A_ij sin(theta_j - theta_i)`
/// (all-to-all when `adjacency` is None), integrated with classical RK4.
#[pyclass(name = "Kuramoto", module = "neuroquant.quantum")]
pub struct PyKuramoto {
    inner: Kuramoto,
}

#[pymethods]
impl PyKuramoto {
    #[new]
    #[pyo3(signature = (frequencies, coupling, phases, adjacency=None))]
    fn new(
        frequencies: Vec<f64>,
        coupling: f64,
        phases: Vec<f64>,
        adjacency: Option<Vec<f64>>,
    ) -> PyResult<Self> {
        Ok(PyKuramoto {
            inner: Kuramoto::new(frequencies, coupling, phases, adjacency).or_raise()?,
        })
    }

    /// The current phases.
    #[getter]
    fn phases<'py>(&self, py: Python<'py>) -> Bound<'py, PyArray1<f64>> {
        self.inner.phases.clone().into_pyarray(py)
    }

    /// The current time.
    #[getter]
    fn time(&self) -> f64 {
        self.inner.time
    }

    /// `(R, psi)`: the order parameter of the current phases.
    fn order_parameter(&self) -> (f64, f64) {
        self.inner.order_parameter()
    }

    /// Advances `steps` RK4 steps of `dt`; returns a `KuramotoTrace` (unpacks as `(times, R,
    /// psi)`) recorded before the first step and every `record_every` steps. A stop
    /// (`interrupt_function()` returning True, or `timeout` seconds passed) keeps the steps done
    /// and returns the records made so far with `interrupted` set, as the samplers' and
    /// `sesolve`'s results report it.
    #[pyo3(signature = (dt, steps, record_every=1, timeout=None, interrupt_function=None))]
    fn run(
        &mut self,
        py: Python<'_>,
        dt: f64,
        steps: usize,
        record_every: usize,
        timeout: Option<f64>,
        interrupt_function: Option<Py<PyAny>>,
    ) -> PyResult<PyKuramotoTrace> {
        let policy = RunPolicy::new(interrupt_function, None, timeout, None)?;
        let mut net = self.inner.clone();
        let tr = policy.run(py, |c| net.run(dt, steps, record_every, c))?;
        self.inner = net;
        Ok(PyKuramotoTrace {
            times: tr.times.into_pyarray(py).unbind(),
            order: tr.order.into_pyarray(py).unbind(),
            mean_phase: tr.mean_phase.into_pyarray(py).unbind(),
            interrupted: tr.interrupted,
        })
    }

    /// The network, its phases and time in the neuroquant container (kind `kuramoto`); a
    /// network read back continues bit for bit.
    fn to_bytes<'py>(&self, py: Python<'py>) -> Bound<'py, PyBytes> {
        PyBytes::new(py, &self.inner.to_bytes())
    }

    /// Reads a network written by `to_bytes` (from any surface).
    #[staticmethod]
    fn from_bytes(data: &[u8]) -> PyResult<Self> {
        Ok(PyKuramoto {
            inner: Kuramoto::from_bytes(data).or_raise()?,
        })
    }

    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<(Bound<'py, PyAny>, Bound<'py, PyTuple>)> {
        let py = slf.py();
        let ctor = py.get_type::<PyKuramoto>().getattr("from_bytes")?;
        Ok((ctor, PyTuple::new(py, [slf.borrow().to_bytes(py)])?))
    }
}

/// The records of `Kuramoto.run`: `times`, `order` (R(t) in [0, 1]), `mean_phase` (psi(t) in
/// (-pi, pi]) and `interrupted` (the run was stopped before its last step; the network stands
/// after the steps done). Unpacks as `times, R, psi = net.run(...)`.
#[pyclass(name = "KuramotoTrace", module = "neuroquant.quantum", frozen)]
pub struct PyKuramotoTrace {
    times: Py<PyArray1<f64>>,
    order: Py<PyArray1<f64>>,
    mean_phase: Py<PyArray1<f64>>,
    interrupted: bool,
}

impl PyKuramotoTrace {
    fn fields<'py>(&self, py: Python<'py>) -> [Bound<'py, PyAny>; 3] {
        [
            self.times.bind(py).clone().into_any(),
            self.order.bind(py).clone().into_any(),
            self.mean_phase.bind(py).clone().into_any(),
        ]
    }
}

#[pymethods]
impl PyKuramotoTrace {
    /// Record times.
    #[getter]
    fn times<'py>(&self, py: Python<'py>) -> Bound<'py, PyArray1<f64>> {
        self.times.bind(py).clone()
    }

    /// The order parameter R(t) in [0, 1].
    #[getter]
    fn order<'py>(&self, py: Python<'py>) -> Bound<'py, PyArray1<f64>> {
        self.order.bind(py).clone()
    }

    /// The mean phase psi(t) in (-pi, pi].
    #[getter]
    fn mean_phase<'py>(&self, py: Python<'py>) -> Bound<'py, PyArray1<f64>> {
        self.mean_phase.bind(py).clone()
    }

    /// Whether the run was stopped (interrupt or timeout) before its last step.
    #[getter]
    fn interrupted(&self) -> bool {
        self.interrupted
    }

    fn __len__(&self) -> usize {
        3
    }

    fn __getitem__<'py>(&self, py: Python<'py>, index: isize) -> PyResult<Bound<'py, PyAny>> {
        let i = if index < 0 { index + 3 } else { index };
        if !(0..3).contains(&i) {
            return Err(pyo3::exceptions::PyIndexError::new_err(
                "KuramotoTrace index out of range (it unpacks as times, R, psi)",
            ));
        }
        let [times, order, mean_phase] = self.fields(py);
        Ok(match i {
            0 => times,
            1 => order,
            _ => mean_phase,
        })
    }

    fn __iter__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyIterator>> {
        PyTuple::new(py, self.fields(py))?.try_iter()
    }

    fn __repr__(&self, py: Python<'_>) -> String {
        format!(
            "KuramotoTrace(records={}, interrupted={})",
            self.times.bind(py).len(),
            if self.interrupted { "True" } else { "False" }
        )
    }
}

/// The phenomenological phase state host applications use (NOT quantum mechanics): `evolve(dt)`
/// sets coherence *= exp(-dt/energy), phase += energy*dt, uncertainty = min(1, uncertainty +
/// dt/10).
#[pyclass(name = "PhaseState", module = "neuroquant.quantum")]
pub struct PyPhaseState {
    inner: PhaseState,
}

#[pymethods]
impl PyPhaseState {
    #[new]
    #[pyo3(signature = (energy, phase=0.0, coherence=1.0, uncertainty=0.0))]
    fn new(energy: f64, phase: f64, coherence: f64, uncertainty: f64) -> PyResult<Self> {
        Ok(PyPhaseState {
            inner: PhaseState::new(energy, phase, coherence, uncertainty).or_raise()?,
        })
    }

    /// Advances by `dt >= 0`.
    fn evolve(&mut self, dt: f64) -> PyResult<()> {
        self.inner.evolve(dt).or_raise()
    }

    /// Energy (> 0).
    #[getter]
    fn energy(&self) -> f64 {
        self.inner.energy
    }

    /// Phase (radians).
    #[getter]
    fn phase(&self) -> f64 {
        self.inner.phase
    }

    /// Coherence in [0, 1].
    #[getter]
    fn coherence(&self) -> f64 {
        self.inner.coherence
    }

    /// Uncertainty in [0, 1].
    #[getter]
    fn uncertainty(&self) -> f64 {
        self.inner.uncertainty
    }

    /// The state in the neuroquant container (kind `phase_state`).
    fn to_bytes<'py>(&self, py: Python<'py>) -> Bound<'py, PyBytes> {
        PyBytes::new(py, &self.inner.to_bytes())
    }

    /// Reads a state written by `to_bytes`.
    #[staticmethod]
    fn from_bytes(data: &[u8]) -> PyResult<Self> {
        Ok(PyPhaseState {
            inner: PhaseState::from_bytes(data).or_raise()?,
        })
    }

    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<(Bound<'py, PyAny>, Bound<'py, PyTuple>)> {
        let py = slf.py();
        let ctor = py.get_type::<PyPhaseState>().getattr("from_bytes")?;
        Ok((ctor, PyTuple::new(py, [slf.borrow().to_bytes(py)])?))
    }

    fn __repr__(&self) -> String {
        let s = &self.inner;
        format!(
            "PhaseState(energy={}, phase={}, coherence={}, uncertainty={})",
            s.energy, s.phase, s.coherence, s.uncertainty
        )
    }
}

/// `cos(phase_a - phase_b) * coherence_a * coherence_b` (phenomenological).
#[pyfunction]
fn interference(a: PyRef<'_, PyPhaseState>, b: PyRef<'_, PyPhaseState>) -> f64 {
    neuroquant::quantum::interference(&a.inner, &b.inner)
}

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyKuramoto>()?;
    m.add_class::<PyKuramotoTrace>()?;
    m.add_class::<PyPhaseState>()?;
    m.add_function(wrap_pyfunction!(interference, m)?)?;
    let _ = PyDict::new(m.py());
    Ok(())
}
