//! `Reservoir` and the readouts `Ridge`, `RLS`, `LMS`: ReservoirPy's nodes, lazily sized from the
//! first data they see, their parameters read by the core.

use super::convert::{Rows, array2, matrix, named_arguments, one_or_list, series, to_python, vector};
use crate::control::RunPolicy;
use crate::errors::{OrRaise, invalid_argument};
use crate::params;
use neuroquant::reservoir::{
    Lms, LmsParams, Readout, Reservoir, ReservoirParams, RidgeParams, RidgeStats, Rls, RlsParams, Weights,
};
use numpy::IntoPyArray;
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyTuple, PyType};

/// Parameters of `Reservoir` also accepted by position, in ReservoirPy's order: `units`, `lr`,
/// `sr`, `input_scaling`, `input_connectivity`, `rc_connectivity`.
const RESERVOIR_POSITIONAL: usize = 6;

/// Takes `name` out of `kwargs` when it is an array (a string stays: it names an initialiser).
fn take_matrix(
    kwargs: Option<&Bound<'_, PyDict>>,
    name: &'static str,
    init: &str,
) -> PyResult<Option<neuroquant::reservoir::Csr>> {
    let Some(d) = kwargs else { return Ok(None) };
    let Some(v) = d.get_item(name)? else {
        return Ok(None);
    };
    d.del_item(name)?;
    if v.is_none() {
        return Ok(None);
    }
    if v.is_instance_of::<pyo3::types::PyString>() {
        d.set_item(init, v)?;
        return Ok(None);
    }
    Ok(Some(matrix(name, &v)?))
}

/// An echo state network reservoir with ReservoirPy's parameters and update
/// x' = (1 − lr)·x + lr·f(W·x + Win·u + bias). W, Win and Wfb may be given as arrays (numpy or
/// scipy.sparse), used as they are; a string names the initialiser instead. The input
/// dimension is taken from input_dim, Win, or the first data.
#[pyclass(name = "Reservoir", module = "neuroquant.reservoir")]
pub struct PyReservoir {
    pub(crate) params: ReservoirParams,
    pub(crate) pending: Weights,
    pub(crate) inner: Option<Reservoir>,
}

impl PyReservoir {
    pub(crate) fn describe(cls: &Bound<'_, PyType>) -> PyResult<()> {
        params::describe_positional::<ReservoirParams>(
            cls,
            &[
                (
                    "W",
                    "the recurrent matrix (units, units), used as given; a string names its initialiser",
                ),
                (
                    "Win",
                    "the input matrix (units, input_dim), used as given; a string names its initialiser",
                ),
                ("Wfb", "the feedback matrix (units, fb_dim), used as given"),
            ],
            RESERVOIR_POSITIONAL,
        )
    }

    /// The reservoir, built for `input_dim` inputs if not yet.
    pub(crate) fn built(&mut self, py: Python<'_>, input_dim: usize) -> PyResult<&mut Reservoir> {
        if self.inner.is_none() {
            let mut p = self.params.clone();
            p.input_dim = Some(input_dim);
            let weights = self.pending.clone();
            self.inner = Some(py.detach(|| Reservoir::with_weights(p, weights)).or_raise()?);
        }
        Ok(self.inner.as_mut().expect("built above"))
    }

    fn get(&self) -> PyResult<&Reservoir> {
        self.inner.as_ref().ok_or_else(|| {
            invalid_argument(
                "reservoir",
                "is not initialized: run it on data first (or give input_dim)".into(),
            )
        })
    }

    pub(crate) fn wrap(inner: Reservoir) -> Self {
        PyReservoir {
            params: inner.params().clone(),
            pending: Weights::default(),
            inner: Some(inner),
        }
    }
}

#[pymethods]
impl PyReservoir {
    #[new]
    #[pyo3(signature = (*args, **kwargs))]
    fn new(py: Python<'_>, args: &Bound<'_, PyTuple>, kwargs: Option<&Bound<'_, PyDict>>) -> PyResult<Self> {
        let kwargs = named_arguments::<ReservoirParams>("Reservoir", args, kwargs, RESERVOIR_POSITIONAL)?;
        let kwargs = kwargs.as_ref();
        let w = take_matrix(kwargs, "W", "w_init")?;
        let win = take_matrix(kwargs, "Win", "win_init")?;
        let wfb = take_matrix(kwargs, "Wfb", "fb_init")?;
        let params: ReservoirParams = params::from_kwargs("Reservoir", kwargs)?;
        let mut pending = Weights::new();
        pending.w = w;
        pending.win = win;
        pending.wfb = wfb;
        let mut me = PyReservoir {
            params,
            pending,
            inner: None,
        };
        if me.params.units.is_none() && me.pending.w.is_none() {
            return Err(invalid_argument("units", "is None: give units or W".into()));
        }
        let dim = me.params.input_dim.or(me.pending.win.as_ref().map(|m| m.cols()));
        if let Some(d) = dim {
            me.built(py, d)?;
        }
        Ok(me)
    }

    /// Runs the reservoir over X ((T, input_dim), or a list of series, each continuing from the
    /// state the previous left) and returns the states (T, units) (a list for a list). A
    /// C-contiguous float64 X is read in place (no copy). `timeout` (seconds) or
    /// `interrupt_function()` returning True stops the run (StoppedError, the state as
    /// before the series).
    #[pyo3(signature = (x, timeout = None, interrupt_function = None))]
    fn run<'py>(
        &mut self,
        py: Python<'py>,
        x: &Bound<'py, PyAny>,
        timeout: Option<f64>,
        interrupt_function: Option<Py<PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let policy = RunPolicy::new(interrupt_function, None, timeout, None)?;
        let (items, many) = series("X", x)?;
        let mut outs = Vec::new();
        for item in &items {
            let (data, rows) = (item.data(), item.rows);
            let r = self.built(py, item.cols)?;
            let n = r.units();
            let states = policy.run(py, |c| r.run_with(data, rows, c))?;
            outs.push(array2(py, states, rows, n)?);
        }
        one_or_list(py, outs, many)
    }

    /// One step on u (input_dim,) (and fb (fb_dim,) with feedback); returns the new state.
    #[pyo3(signature = (u, fb = None))]
    fn step<'py>(
        &mut self,
        py: Python<'py>,
        u: &Bound<'py, PyAny>,
        fb: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let u = vector("u", u)?;
        let fb = fb.map(|f| vector("fb", f)).transpose()?.unwrap_or_default();
        let r = self.built(py, u.len())?;
        Ok(r.step(&u, &fb).or_raise()?.to_vec().into_pyarray(py).into_any())
    }

    /// Sets the state to zeros.
    pub(crate) fn reset(&mut self) {
        if let Some(r) = self.inner.as_mut() {
            r.reset();
        }
    }

    /// The current state (units,).
    #[getter]
    fn get_state<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        Ok(self.get()?.state().to_vec().into_pyarray(py).into_any())
    }

    #[setter]
    fn set_state(&mut self, x: &Bound<'_, PyAny>) -> PyResult<()> {
        let x = vector("state", x)?;
        let r = self
            .inner
            .as_mut()
            .ok_or_else(|| invalid_argument("reservoir", "is not initialized".into()))?;
        r.set_state(&x).or_raise()
    }

    /// Number of units.
    #[getter]
    fn units(&self) -> Option<usize> {
        self.inner
            .as_ref()
            .map(|r| r.units())
            .or(self.params.units)
            .or(self.pending.w.as_ref().map(|w| w.rows()))
    }

    /// Number of inputs (None before the first data).
    #[getter]
    fn input_dim(&self) -> Option<usize> {
        self.inner.as_ref().map(|r| r.input_dim())
    }

    /// Whether the weights exist (after the first data, or at once with input_dim or Win).
    #[getter]
    fn initialized(&self) -> bool {
        self.inner.is_some()
    }

    /// The recurrent matrix (scipy.sparse CSR when scipy is installed).
    #[getter(W)]
    fn w<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_python(py, self.get()?.w())
    }

    /// The input matrix (scipy.sparse CSR when scipy is installed).
    #[getter(Win)]
    fn win<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_python(py, self.get()?.win())
    }

    /// The feedback matrix (scipy.sparse CSR when scipy is installed).
    #[getter(Wfb)]
    fn wfb<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_python(py, self.get()?.wfb())
    }

    /// The bias of each unit.
    #[getter]
    fn bias<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        Ok(self.get()?.bias().to_vec().into_pyarray(py).into_any())
    }

    /// The leak rate of each unit.
    #[getter]
    fn lr<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        Ok(self.get()?.lr().to_vec().into_pyarray(py).into_any())
    }

    /// The seed used (None before initialization when none was given).
    #[getter]
    fn seed(&self) -> Option<u64> {
        self.inner.as_ref().map(|r| r.seed()).or(self.params.seed)
    }

    /// The reservoir (weights, parameters, seed, state) in the neuroquant container.
    fn to_bytes<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyBytes>> {
        Ok(PyBytes::new(py, &self.get()?.to_bytes().or_raise()?))
    }

    /// A reservoir from `to_bytes()` output.
    #[staticmethod]
    fn from_bytes(data: &[u8]) -> PyResult<Self> {
        Ok(PyReservoir::wrap(Reservoir::from_bytes(data).or_raise()?))
    }

    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<(Bound<'py, PyAny>, (Bound<'py, PyAny>,))> {
        let py = slf.py();
        let me = slf.borrow();
        if me.inner.is_some() {
            let restore = slf.get_type().getattr("from_bytes")?;
            return Ok((restore, (me.to_bytes(py)?.into_any(),)));
        }
        if me.pending.w.is_some() || me.pending.wfb.is_some() {
            return Err(invalid_argument(
                "reservoir",
                "with injected W and no input dimension yet cannot be pickled: give input_dim".into(),
            ));
        }
        let restore = py
            .import("neuroquant.reservoir")?
            .getattr("_reservoir_from_params")?;
        Ok((
            restore,
            (PyBytes::new(py, &me.params.to_bytes().or_raise()?).into_any(),),
        ))
    }

    /// The parameters in the neuroquant container (for unpickling an uninitialized reservoir).
    #[staticmethod]
    fn _from_params_bytes(py: Python<'_>, data: &[u8]) -> PyResult<Self> {
        let params = ReservoirParams::from_bytes(data).or_raise()?;
        let mut me = PyReservoir {
            params,
            pending: Weights::new(),
            inner: None,
        };
        if let Some(d) = me.params.input_dim {
            me.built(py, d)?;
        }
        Ok(me)
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        params::repr(py, "Reservoir", &self.params)
    }

    /// `reservoir >> readout`: an ESN (or a model chaining the two).
    fn __rshift__<'py>(slf: &Bound<'py, Self>, other: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
        slf.py()
            .import("neuroquant.reservoir")?
            .getattr("_chain")?
            .call1((slf, other))
    }
}

/// Offline ridge regression readout (ReservoirPy's Ridge): Wout (features, outputs) and bias
/// (outputs,) minimise Σ‖y − Woutᵀx − b‖² + ridge·‖Wout‖² over every series after warmup, the
/// bias unpenalised, from streamed centred statistics.
#[pyclass(name = "Ridge", module = "neuroquant.reservoir")]
pub struct PyRidge {
    pub(crate) params: RidgeParams,
    pub(crate) readout: Option<Readout>,
}

impl PyRidge {
    pub(crate) fn describe(cls: &Bound<'_, PyType>) -> PyResult<()> {
        params::describe_positional::<RidgeParams>(cls, &[], 2)
    }

    fn get(&self) -> PyResult<&Readout> {
        self.readout
            .as_ref()
            .ok_or_else(|| invalid_argument("Ridge", "is not fitted: call fit first".into()))
    }
}

/// Pairs input and target series, checking their count and lengths.
pub(crate) fn paired<'py>(
    x: &Bound<'py, PyAny>,
    y: &Bound<'py, PyAny>,
) -> PyResult<(Vec<Rows<'py>>, Vec<Rows<'py>>, bool)> {
    let (xs, many) = series("X", x)?;
    let (ys, _) = series("Y", y)?;
    if xs.len() != ys.len() {
        return Err(crate::errors::to_pyerr(
            neuroquant::error::check::len("Y", xs.len(), ys.len())
                .map_err(neuroquant::Error::from)
                .unwrap_err(),
        ));
    }
    for (a, b) in xs.iter().zip(&ys) {
        neuroquant::error::check::len("Y", a.rows, b.rows)
            .map_err(neuroquant::Error::from)
            .or_raise()?;
    }
    Ok((xs, ys, many))
}

fn run_readout<'py>(py: Python<'py>, ro: &Readout, x: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
    let (items, many) = series("X", x)?;
    let mut outs = Vec::new();
    for item in &items {
        let (data, rows) = (item.data(), item.rows);
        let y = py.detach(|| ro.run(data, rows)).or_raise()?;
        outs.push(array2(py, y, rows, ro.outputs())?);
    }
    one_or_list(py, outs, many)
}

#[pymethods]
impl PyRidge {
    #[new]
    #[pyo3(signature = (*args, **kwargs))]
    fn new(args: &Bound<'_, PyTuple>, kwargs: Option<&Bound<'_, PyDict>>) -> PyResult<Self> {
        let kwargs = named_arguments::<RidgeParams>("Ridge", args, kwargs, 2)?;
        Ok(PyRidge {
            params: params::from_kwargs("Ridge", kwargs.as_ref())?,
            readout: None,
        })
    }

    /// Fits on X (T, features) and Y (T, outputs), or lists of series, dropping the first
    /// `warmup` steps of each; returns self. `timeout` (seconds) or `interrupt_function()`
    /// returning True stops it (StoppedError, the readout as before). The Gram product runs
    /// on `num_threads` threads (default: all cores; the result does not depend on it).
    #[pyo3(signature = (x, y, warmup = 0, timeout = None, interrupt_function = None, num_threads = None))]
    fn fit<'py>(
        slf: Bound<'py, Self>,
        x: &Bound<'py, PyAny>,
        y: &Bound<'py, PyAny>,
        warmup: usize,
        timeout: Option<f64>,
        interrupt_function: Option<Py<PyAny>>,
        num_threads: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, Self>> {
        let py = slf.py();
        let policy = RunPolicy::new(interrupt_function, num_threads, timeout, None)?;
        let (xs, ys, _) = paired(x, y)?;
        let params = slf.borrow().params.clone();
        let (features, outputs, count) = (xs[0].cols, ys[0].cols, xs.len());
        // (inputs, targets, rows) after the warm-up, borrowed from the arrays.
        let parts: Vec<(&[f64], &[f64], usize)> = xs
            .iter()
            .zip(&ys)
            .map(|(a, b)| {
                let skip = warmup.min(a.rows);
                (
                    &a.data()[skip * a.cols..],
                    &b.data()[skip * b.cols..],
                    a.rows - skip,
                )
            })
            .collect();
        let readout = policy.run(py, |c| -> neuroquant::Result<Readout> {
            let mut stats = RidgeStats::new(features, outputs)?;
            for &(a, b, rows) in &parts {
                stats.add_with(a, b, rows, c)?;
            }
            if stats.is_empty() {
                return Err(neuroquant::reservoir::ReservoirError::NoSamples {
                    series: count,
                    warmup,
                }
                .into());
            }
            stats.solve(params.ridge, params.fit_bias)
        })?;
        slf.borrow_mut().readout = Some(readout);
        Ok(slf)
    }

    /// Wout·x + bias for X (T, features) or a list of series.
    fn run<'py>(&self, py: Python<'py>, x: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
        run_readout(py, self.get()?, x)
    }

    /// The output for one sample x (features,).
    fn step<'py>(&self, py: Python<'py>, x: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
        let ro = self.get()?;
        let x = vector("x", x)?;
        Ok(ro.run(&x, 1).or_raise()?.into_pyarray(py).into_any())
    }

    /// The weights (features, outputs).
    #[getter(Wout)]
    fn wout<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let ro = self.get()?;
        array2(py, ro.wout().to_vec(), ro.features(), ro.outputs())
    }

    /// The bias (outputs,).
    #[getter]
    fn bias<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        Ok(self.get()?.bias().to_vec().into_pyarray(py).into_any())
    }

    /// Whether fit has run.
    #[getter]
    fn fitted(&self) -> bool {
        self.readout.is_some()
    }

    /// The readout and its parameters in the neuroquant container (parameters only when unfitted).
    fn to_bytes<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyBytes>> {
        let bytes = match &self.readout {
            Some(r) => r.to_bytes(&self.params),
            None => self.params.to_bytes(),
        };
        Ok(PyBytes::new(py, &bytes.or_raise()?))
    }

    /// A readout from `to_bytes()` output.
    #[staticmethod]
    fn from_bytes(data: &[u8]) -> PyResult<Self> {
        match Readout::from_bytes(data) {
            Ok((r, params)) => Ok(PyRidge {
                params,
                readout: Some(r),
            }),
            Err(e) => match RidgeParams::from_bytes(data) {
                Ok(params) => Ok(PyRidge {
                    params,
                    readout: None,
                }),
                Err(_) => Err(crate::errors::to_pyerr(e)),
            },
        }
    }

    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<(Bound<'py, PyAny>, (Bound<'py, PyBytes>,))> {
        let restore = slf.get_type().getattr("from_bytes")?;
        Ok((restore, (slf.borrow().to_bytes(slf.py())?,)))
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        params::repr(py, "Ridge", &self.params)
    }

    /// `ridge >> node`: a model chaining the two.
    fn __rshift__<'py>(slf: &Bound<'py, Self>, other: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
        slf.py()
            .import("neuroquant.reservoir")?
            .getattr("_chain")?
            .call1((slf, other))
    }
}

macro_rules! online_readout {
    ($py:ident, $name:literal, $core:ident, $params:ident, $doc:literal) => {
        #[doc = $doc]
        #[pyclass(name = $name, module = "neuroquant.reservoir")]
        pub struct $py {
            pub(crate) params: $params,
            pub(crate) inner: Option<$core>,
        }

        impl $py {
            pub(crate) fn describe(cls: &Bound<'_, PyType>) -> PyResult<()> {
                params::describe_positional::<$params>(cls, &[], 1)
            }

            fn get(&self) -> PyResult<&$core> {
                self.inner.as_ref().ok_or_else(|| {
                    invalid_argument($name, "is not fitted: call partial_fit or fit first".into())
                })
            }

            /// Updates on every series in turn; on any error (a stop included) the readout is
            /// as it was before the call.
            fn train(
                &mut self,
                py: Python<'_>,
                xs: &[Rows<'_>],
                ys: &[Rows<'_>],
                warmup: usize,
                policy: &RunPolicy,
            ) -> PyResult<()> {
                let saved = self.inner.clone();
                let mut all = || -> PyResult<()> {
                    for (a, b) in xs.iter().zip(ys) {
                        if self.inner.is_none() {
                            self.inner = Some($core::new(self.params.clone(), a.cols, b.cols).or_raise()?);
                        }
                        let inner = self.inner.as_mut().expect("built above");
                        let skip = warmup.min(a.rows);
                        let (u, y, rows) = (
                            &a.data()[skip * a.cols..],
                            &b.data()[skip * b.cols..],
                            a.rows - skip,
                        );
                        policy.run(py, |c| inner.partial_fit_with(u, y, rows, c))?;
                    }
                    Ok(())
                };
                let result = all();
                if result.is_err() {
                    self.inner = saved;
                }
                result
            }
        }

        #[pymethods]
        impl $py {
            #[new]
            #[pyo3(signature = (*args, **kwargs))]
            fn new(args: &Bound<'_, PyTuple>, kwargs: Option<&Bound<'_, PyDict>>) -> PyResult<Self> {
                let kwargs = named_arguments::<$params>($name, args, kwargs, 1)?;
                Ok($py {
                    params: params::from_kwargs($name, kwargs.as_ref())?,
                    inner: None,
                })
            }

            /// Updates the weights one sample at a time on X and Y (or lists of series); returns
            /// self. `timeout` (seconds) or `interrupt_function()` returning True stops it
            /// (StoppedError, the weights as before the call).
            #[pyo3(signature = (x, y, timeout = None, interrupt_function = None))]
            fn partial_fit<'py>(
                slf: Bound<'py, Self>,
                x: &Bound<'py, PyAny>,
                y: &Bound<'py, PyAny>,
                timeout: Option<f64>,
                interrupt_function: Option<Py<PyAny>>,
            ) -> PyResult<Bound<'py, Self>> {
                let policy = RunPolicy::new(interrupt_function, None, timeout, None)?;
                let (xs, ys, _) = paired(x, y)?;
                slf.borrow_mut().train(slf.py(), &xs, &ys, 0, &policy)?;
                Ok(slf)
            }

            /// Starts from zero weights, then partial_fit on every series after `warmup` steps;
            /// returns self. `timeout` and `interrupt_function` as in `partial_fit`.
            #[pyo3(signature = (x, y, warmup = 0, timeout = None, interrupt_function = None))]
            fn fit<'py>(
                slf: Bound<'py, Self>,
                x: &Bound<'py, PyAny>,
                y: &Bound<'py, PyAny>,
                warmup: usize,
                timeout: Option<f64>,
                interrupt_function: Option<Py<PyAny>>,
            ) -> PyResult<Bound<'py, Self>> {
                let policy = RunPolicy::new(interrupt_function, None, timeout, None)?;
                let (xs, ys, _) = paired(x, y)?;
                let py = slf.py();
                {
                    let mut me = slf.borrow_mut();
                    let saved = me.inner.take();
                    let result = me.train(py, &xs, &ys, warmup, &policy);
                    if result.is_err() {
                        me.inner = saved;
                    }
                    result?;
                }
                Ok(slf)
            }

            /// Wout·x + bias for X (T, features) or a list of series.
            fn run<'py>(&self, py: Python<'py>, x: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
                run_readout(py, self.get()?.readout(), x)
            }

            /// The weights (features, outputs).
            #[getter(Wout)]
            fn wout<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
                let ro = self.get()?.readout();
                array2(py, ro.wout().to_vec(), ro.features(), ro.outputs())
            }

            /// The bias (outputs,).
            #[getter]
            fn bias<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
                Ok(self
                    .get()?
                    .readout()
                    .bias()
                    .to_vec()
                    .into_pyarray(py)
                    .into_any())
            }

            /// The state in the neuroquant container (parameters only before training).
            fn to_bytes<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyBytes>> {
                let bytes = match &self.inner {
                    Some(r) => r.to_bytes(),
                    None => self.params.to_bytes(),
                };
                Ok(PyBytes::new(py, &bytes.or_raise()?))
            }

            /// A readout from `to_bytes()` output.
            #[staticmethod]
            fn from_bytes(data: &[u8]) -> PyResult<Self> {
                match $core::from_bytes(data) {
                    Ok(r) => Ok($py {
                        params: r.params().clone(),
                        inner: Some(r),
                    }),
                    Err(e) => match $params::from_bytes(data) {
                        Ok(params) => Ok($py {
                            params,
                            inner: None,
                        }),
                        Err(_) => Err(crate::errors::to_pyerr(e)),
                    },
                }
            }

            fn __reduce__<'py>(
                slf: &Bound<'py, Self>,
            ) -> PyResult<(Bound<'py, PyAny>, (Bound<'py, PyBytes>,))> {
                let restore = slf.get_type().getattr("from_bytes")?;
                Ok((restore, (slf.borrow().to_bytes(slf.py())?,)))
            }

            fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
                params::repr(py, $name, &self.params)
            }
        }
    };
}

online_readout!(
    PyRls,
    "RLS",
    Rls,
    RlsParams,
    "Recursive least squares readout (ReservoirPy's RLS, same update order): P₀ = I/alpha, forgetting factor λ, O(D²) per sample."
);
online_readout!(
    PyLms,
    "LMS",
    Lms,
    LmsParams,
    "Least-mean-squares readout, plain (ReservoirPy's LMS) or normalised (default), O(D) per sample."
);
