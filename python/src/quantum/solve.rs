//! `_sesolve`, `_mesolve`, `_sesolve_batch`, `anneal_bqm` and `SolverOptions`: the core solvers
//! with the GIL released; Python coefficient callables are called back with the GIL.

use super::operators::{PyOperator, complex_vec, state_data};
use crate::control::RunPolicy;
use crate::errors::{OrRaise, invalid_argument};
use neuroquant::quantum::{AnnealSchedule, C64, Coefficient, Hamiltonian, SolveResult, SolverOptions};
use numpy::{IntoPyArray, PyReadonlyArray1};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyTuple};
use std::sync::{Arc, Mutex};

/// Options of `sesolve` and `mesolve` (QuTiP's names); the solvers take them as a dict.
#[pyclass(name = "SolverOptions", module = "neuroquant.quantum", frozen)]
pub struct PySolverOptions {
    inner: SolverOptions,
}

#[pymethods]
impl PySolverOptions {
    #[new]
    #[pyo3(signature = (**kwargs))]
    fn new(kwargs: Option<&Bound<'_, PyDict>>) -> PyResult<Self> {
        Ok(PySolverOptions {
            inner: crate::params::from_kwargs("SolverOptions", kwargs)?,
        })
    }

    /// The options as a dict (every keyword with its value).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        use neuroquant::params::KeywordArgs;
        let d = PyDict::new(py);
        for (k, v) in self.inner.to_keywords() {
            d.set_item(k, crate::params::from_value(py, &v)?)?;
        }
        Ok(d)
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        crate::params::repr(py, "SolverOptions", &self.inner)
    }
}

type Raised = Arc<Mutex<Option<PyErr>>>;

fn coefficient(
    py: Python<'_>,
    index: usize,
    obj: &Bound<'_, PyAny>,
    raised: &Raised,
) -> PyResult<Coefficient> {
    if let Ok(t) = obj.cast::<PyTuple>() {
        let (kind, times, values): (String, PyReadonlyArray1<'_, f64>, PyReadonlyArray1<'_, C64>) =
            t.extract()?;
        let order = match kind.as_str() {
            "spline" => 3,
            "steps" => 0,
            _ => {
                return Err(invalid_argument(
                    "coefficient",
                    format!("kind {kind:?} is not \"spline\" or \"steps\""),
                ));
            }
        };
        let times: Vec<f64> = times.as_array().iter().copied().collect();
        return Coefficient::sampled(&times, &complex_vec(&values), order).or_raise();
    }
    if !obj.is_callable() {
        return Err(invalid_argument(
            "coefficient",
            format!("term {index}: must be a callable f(t), a string or an array"),
        ));
    }
    let f: Py<PyAny> = obj.clone().unbind();
    let raised = raised.clone();
    let _ = py;
    Ok(Coefficient::function(move |t| {
        Python::attach(
            |py| match f.bind(py).call1((t,)).and_then(|v| v.extract::<C64>()) {
                Ok(v) => v,
                Err(e) => {
                    raised.lock().unwrap_or_else(|p| p.into_inner()).get_or_insert(e);
                    C64::new(f64::NAN, 0.0)
                }
            },
        )
    }))
}

fn hamiltonian(
    py: Python<'_>,
    h0: &PyOperator,
    terms: &Bound<'_, PyList>,
    raised: &Raised,
) -> PyResult<Hamiltonian> {
    let mut h = Hamiltonian::new(h0.inner.clone()).or_raise()?;
    for (k, item) in terms.iter().enumerate() {
        let (op, coef): (PyRef<'_, PyOperator>, Bound<'_, PyAny>) = item.extract()?;
        h.add_term(op.inner.clone(), coefficient(py, k, &coef, raised)?)
            .or_raise()?;
    }
    Ok(h)
}

fn ops(list: &Bound<'_, PyList>) -> PyResult<Vec<neuroquant::quantum::Operator>> {
    list.iter()
        .map(|o| Ok(o.extract::<PyRef<'_, PyOperator>>()?.inner.clone()))
        .collect()
}

fn result<'py>(py: Python<'py>, r: SolveResult) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    d.set_item("times", r.times.into_pyarray(py))?;
    let expect = PyList::empty(py);
    for e in r.expect {
        expect.append(e.into_pyarray(py))?;
    }
    d.set_item("expect", expect)?;
    d.set_item("hermitian", r.hermitian_e_ops)?;
    match r.states {
        Some(states) => {
            let l = PyList::empty(py);
            for s in states {
                l.append(s.into_pyarray(py))?;
            }
            d.set_item("states", l)?;
        }
        None => d.set_item("states", py.None())?,
    }
    d.set_item("final_state", r.final_state.into_pyarray(py))?;
    let stats = PyDict::new(py);
    stats.set_item("matvecs", r.stats.matvecs)?;
    stats.set_item("steps", r.stats.steps)?;
    stats.set_item("rejected", r.stats.rejected)?;
    stats.set_item("method", r.method.name())?;
    d.set_item("stats", stats)?;
    d.set_item("interrupted", r.interrupted)?;
    Ok(d)
}

fn finish<T>(raised: &Raised, r: PyResult<T>) -> PyResult<T> {
    if let Some(e) = raised.lock().unwrap_or_else(|p| p.into_inner()).take() {
        return Err(e);
    }
    r
}

/// The core `sesolve`; `neuroquant.quantum.sesolve` is the QuTiP-style entry point.
#[pyfunction]
#[pyo3(signature = (h0, terms, psi0, tlist, e_ops, options=None, num_threads=None, timeout=None, interrupt_function=None, progress=None))]
#[allow(clippy::too_many_arguments)]
fn _sesolve<'py>(
    py: Python<'py>,
    h0: PyRef<'_, PyOperator>,
    terms: &Bound<'_, PyList>,
    psi0: PyReadonlyArray1<'_, C64>,
    tlist: Vec<f64>,
    e_ops: &Bound<'_, PyList>,
    options: Option<&Bound<'_, PyDict>>,
    num_threads: Option<&Bound<'_, PyAny>>,
    timeout: Option<f64>,
    interrupt_function: Option<Py<PyAny>>,
    progress: Option<Py<PyAny>>,
) -> PyResult<Bound<'py, PyDict>> {
    let raised: Raised = Arc::default();
    let h = hamiltonian(py, &h0, terms, &raised)?;
    let opts: SolverOptions = crate::params::from_kwargs("options", options)?;
    let e = ops(e_ops)?;
    let psi = complex_vec(&psi0);
    let policy = RunPolicy::new(interrupt_function, num_threads, timeout, progress)?;
    let r = policy.run(py, |c| {
        neuroquant::quantum::sesolve(&h, &psi, &tlist, &e, &opts, c)
    });
    let r = finish(&raised, r)?;
    result(py, r)
}

/// The core `sesolve_batch` (one result dict per initial state).
#[pyfunction]
#[pyo3(signature = (h0, terms, states, tlist, e_ops, options=None, num_threads=None, timeout=None, interrupt_function=None, progress=None))]
#[allow(clippy::too_many_arguments)]
fn _sesolve_batch<'py>(
    py: Python<'py>,
    h0: PyRef<'_, PyOperator>,
    terms: &Bound<'_, PyList>,
    states: Vec<PyReadonlyArray1<'_, C64>>,
    tlist: Vec<f64>,
    e_ops: &Bound<'_, PyList>,
    options: Option<&Bound<'_, PyDict>>,
    num_threads: Option<&Bound<'_, PyAny>>,
    timeout: Option<f64>,
    interrupt_function: Option<Py<PyAny>>,
    progress: Option<Py<PyAny>>,
) -> PyResult<Bound<'py, PyList>> {
    let raised: Raised = Arc::default();
    let h = hamiltonian(py, &h0, terms, &raised)?;
    let opts: SolverOptions = crate::params::from_kwargs("options", options)?;
    let e = ops(e_ops)?;
    let psis: Vec<Vec<C64>> = states.iter().map(complex_vec).collect();
    let policy = RunPolicy::new(interrupt_function, num_threads, timeout, progress)?;
    let rs = policy.run(py, |c| {
        neuroquant::quantum::sesolve_batch(&h, &psis, &tlist, &e, &opts, c)
    });
    let rs = finish(&raised, rs)?;
    let out = PyList::empty(py);
    for r in rs {
        out.append(result(py, r)?)?;
    }
    Ok(out)
}

/// The core `mesolve`; `neuroquant.quantum.mesolve` is the QuTiP-style entry point.
#[pyfunction]
#[pyo3(signature = (h0, terms, rho0, tlist, c_ops, e_ops, options=None, num_threads=None, timeout=None, interrupt_function=None, progress=None))]
#[allow(clippy::too_many_arguments)]
fn _mesolve<'py>(
    py: Python<'py>,
    h0: PyRef<'_, PyOperator>,
    terms: &Bound<'_, PyList>,
    rho0: &Bound<'_, PyAny>,
    tlist: Vec<f64>,
    c_ops: &Bound<'_, PyList>,
    e_ops: &Bound<'_, PyList>,
    options: Option<&Bound<'_, PyDict>>,
    num_threads: Option<&Bound<'_, PyAny>>,
    timeout: Option<f64>,
    interrupt_function: Option<Py<PyAny>>,
    progress: Option<Py<PyAny>>,
) -> PyResult<Bound<'py, PyDict>> {
    let raised: Raised = Arc::default();
    let h = hamiltonian(py, &h0, terms, &raised)?;
    let opts: SolverOptions = crate::params::from_kwargs("options", options)?;
    let (c, e) = (ops(c_ops)?, ops(e_ops)?);
    let rho = state_data(rho0)?;
    let policy = RunPolicy::new(interrupt_function, num_threads, timeout, progress)?;
    let r = policy.run(py, |ctl| {
        neuroquant::quantum::mesolve(&h, &rho, &tlist, &c, &e, &opts, ctl)
    });
    let r = finish(&raised, r)?;
    result(py, r)
}

/// Quantum annealing of a small `Bqm`: `H(s) = -A(s)/2 sum X_i + B(s)/2 H_ising`, `s = t /
/// anneal_time`, from `|+...+>`. `schedule` is `"linear"` (A = 1 - s, B = s) or a tuple of arrays
/// `(s, A, B)` interpolated linearly. Returns a dict with `probabilities` (per basis state, qubit
/// 0 the most significant bit, bit 0 = spin +1), `energies`, `ground_energy`,
/// `ground_state_probability`.
#[pyfunction]
#[pyo3(signature = (bqm, anneal_time, schedule=None, options=None, num_threads=None, timeout=None, interrupt_function=None, progress=None))]
#[allow(clippy::too_many_arguments)]
fn anneal_bqm<'py>(
    py: Python<'py>,
    bqm: PyRef<'_, crate::qubo::PyBqm>,
    anneal_time: f64,
    schedule: Option<&Bound<'_, PyAny>>,
    options: Option<&Bound<'_, PyDict>>,
    num_threads: Option<&Bound<'_, PyAny>>,
    timeout: Option<f64>,
    interrupt_function: Option<Py<PyAny>>,
    progress: Option<Py<PyAny>>,
) -> PyResult<Bound<'py, PyDict>> {
    let sched = match schedule {
        None => AnnealSchedule::Linear { scale: 1.0 },
        Some(s) if s.extract::<String>().is_ok_and(|n| n == "linear") => {
            AnnealSchedule::Linear { scale: 1.0 }
        }
        Some(s) => {
            let (sv, a, b): (Vec<f64>, Vec<f64>, Vec<f64>) = s.extract().map_err(|_| {
                invalid_argument(
                    "schedule",
                    "must be \"linear\" or a tuple of arrays (s, A, B)".into(),
                )
            })?;
            AnnealSchedule::Table { s: sv, a, b }
        }
    };
    let opts: SolverOptions = crate::params::from_kwargs("options", options)?;
    let model = bqm.inner.clone();
    let policy = RunPolicy::new(interrupt_function, num_threads, timeout, progress)?;
    let r = policy.run(py, |c| {
        neuroquant::quantum::anneal_bqm(&model, &sched, anneal_time, &opts, c)
    })?;
    let d = PyDict::new(py);
    d.set_item("probabilities", r.probabilities.into_pyarray(py))?;
    d.set_item("energies", r.energies.into_pyarray(py))?;
    d.set_item("ground_energy", r.ground_energy)?;
    d.set_item("ground_state_probability", r.ground_state_probability)?;
    Ok(d)
}

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PySolverOptions>()?;
    crate::params::describe::<SolverOptions>(&m.py().get_type::<PySolverOptions>())?;
    m.add_function(wrap_pyfunction!(_sesolve, m)?)?;
    m.add_function(wrap_pyfunction!(_sesolve_batch, m)?)?;
    m.add_function(wrap_pyfunction!(_mesolve, m)?)?;
    m.add_function(wrap_pyfunction!(anneal_bqm, m)?)?;
    Ok(())
}
