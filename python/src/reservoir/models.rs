//! `ESN` (reservoir >> Ridge, trained natively with streamed statistics), `NVAR`, `LSM`, and
//! the functions of the area (datasets, metrics, spectral radius, memory capacity).

use super::convert::{Rows, array2, matrix, named_arguments, one_or_list, rows, series, vector};
use super::nodes::{PyReservoir, PyRidge, paired};
use crate::control::RunPolicy;
use crate::errors::{OrRaise, invalid_argument};
use crate::params;
use crate::spike::data::PyRaster;
use neuroquant::control::Control;
use neuroquant::reservoir::{self as rc, Esn, EsnParams, Lsm, LsmParams, Norm, Nvar, NvarParams, Series};
use numpy::{IntoPyArray, PyArrayMethods, PyUntypedArrayMethods};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyTuple, PyType};

/// An echo state network: a Reservoir and a Ridge readout trained together (`reservoir >> Ridge(...)`),
/// from lists of series with teacher forcing, stepped without allocation, run in closed loop by
/// `forecast` and `generate`. With input_to_readout the readout also sees the input.
#[pyclass(name = "ESN", module = "neuroquant.reservoir")]
pub struct PyEsn {
    reservoir: Py<PyReservoir>,
    readout: Py<PyRidge>,
    input_to_readout: bool,
    inner: Option<Esn>,
}

impl PyEsn {
    fn get(&mut self) -> PyResult<&mut Esn> {
        self.inner
            .as_mut()
            .ok_or_else(|| invalid_argument("ESN", "is not fitted: call fit first".into()))
    }

    /// Copies the trained weights and the state back into the node objects.
    fn sync(&self, py: Python<'_>) {
        if let Some(esn) = &self.inner {
            self.reservoir.borrow_mut(py).inner = Some(esn.reservoir().clone());
            self.readout.borrow_mut(py).readout = esn.readout().cloned();
        }
    }

    fn build(&mut self, py: Python<'_>, input_dim: usize, outputs: usize) -> PyResult<&mut Esn> {
        let rebuild = match &self.inner {
            Some(e) => e.outputs() != outputs || e.reservoir().input_dim() != input_dim,
            None => true,
        };
        if rebuild {
            let reservoir = self.reservoir.borrow_mut(py).built(py, input_dim)?.clone();
            let rp = self.readout.borrow(py).params.clone();
            let params = EsnParams::default()
                .ridge(rp.ridge)
                .fit_bias(rp.fit_bias)
                .input_to_readout(self.input_to_readout);
            self.inner = Some(Esn::from_reservoir(params, reservoir, outputs).or_raise()?);
        }
        Ok(self.inner.as_mut().expect("built above"))
    }
}

fn series_of<'a>(xs: &'a [Rows<'_>], ys: &'a [Rows<'_>]) -> Vec<Series<'a>> {
    xs.iter()
        .zip(ys)
        .map(|(a, b)| Series {
            inputs: a.data(),
            targets: b.data(),
            steps: a.rows,
        })
        .collect()
}

#[pymethods]
impl PyEsn {
    #[new]
    #[pyo3(signature = (reservoir, readout, input_to_readout = false))]
    fn new(reservoir: Py<PyReservoir>, readout: Py<PyRidge>, input_to_readout: bool) -> Self {
        PyEsn {
            reservoir,
            readout,
            input_to_readout,
            inner: None,
        }
    }

    /// Trains the readout on X (T, input_dim) and Y (T, outputs), or lists of series (each
    /// continuing from the state the previous left), dropping the first `warmup` steps of each;
    /// with feedback the reservoir is fed the true previous target (teacher forcing). Returns self.
    /// `timeout` (seconds) or `interrupt_function()` returning True stops it (StoppedError,
    /// the network unchanged). The readout's Gram product runs on `num_threads` threads
    /// (default: all cores; the result does not depend on it).
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
        {
            let mut me = slf.borrow_mut();
            let esn = me.build(py, xs[0].cols, ys[0].cols)?;
            let s = series_of(&xs, &ys);
            policy.run(py, |c| esn.fit_with(&s, warmup, c))?;
            me.sync(py);
        }
        Ok(slf)
    }

    /// Chooses `ridge` among `ridges` by `folds`-fold cross-validation (one eigendecomposition
    /// per fold whatever the number of values), trains with the best, and returns
    /// {"ridges", "errors" (mean squared validation error), "best"}.
    #[pyo3(signature = (x, y, ridges, folds = 5, warmup = 0))]
    fn fit_cv<'py>(
        &mut self,
        py: Python<'py>,
        x: &Bound<'py, PyAny>,
        y: &Bound<'py, PyAny>,
        ridges: Vec<f64>,
        folds: usize,
        warmup: usize,
    ) -> PyResult<Bound<'py, PyDict>> {
        let (xs, ys, _) = paired(x, y)?;
        let esn = self.build(py, xs[0].cols, ys[0].cols)?;
        let s = series_of(&xs, &ys);
        let cv = py
            .detach(|| esn.fit_cv(&s, warmup, &ridges, folds, &Control::default()))
            .or_raise()?;
        self.readout.borrow_mut(py).params.ridge = cv.best;
        self.sync(py);
        let d = PyDict::new(py);
        d.set_item("ridges", cv.ridges)?;
        d.set_item("errors", cv.errors)?;
        d.set_item("best", cv.best)?;
        Ok(d)
    }

    /// Outputs (T, outputs) for X (T, input_dim) (a list for a list); the feedback, if any, is
    /// the network's own output. With `forced_feedback` (T, outputs) the feedback at step t is
    /// its row t−1 instead (teacher forcing). `timeout` (seconds) or `interrupt_function()`
    /// returning True stops the run (StoppedError, the network as before the series).
    #[pyo3(signature = (x, forced_feedback = None, timeout = None, interrupt_function = None))]
    fn run<'py>(
        &mut self,
        py: Python<'py>,
        x: &Bound<'py, PyAny>,
        forced_feedback: Option<&Bound<'py, PyAny>>,
        timeout: Option<f64>,
        interrupt_function: Option<Py<PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let policy = RunPolicy::new(interrupt_function, None, timeout, None)?;
        let (items, many) = series("X", x)?;
        let forced = forced_feedback.map(|f| rows("forced_feedback", f)).transpose()?;
        let esn = self.get()?;
        let o = esn.outputs();
        let mut outs = Vec::new();
        for item in &items {
            let (data, steps) = (item.data(), item.rows);
            let f = forced.as_ref().map(|f| f.data());
            let y = policy.run(py, |c| esn.run_with(data, f, steps, c))?;
            outs.push(array2(py, y, steps, o)?);
        }
        self.sync(py);
        one_or_list(py, outs, many)
    }

    /// One step on u (input_dim,); returns the output (outputs,). Allocates nothing in the core.
    fn step<'py>(&mut self, py: Python<'py>, u: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
        let u = vector("u", u)?;
        let y = self.get()?.step(&u).or_raise()?.to_vec();
        Ok(y.into_pyarray(py).into_any())
    }

    /// Free-running closed loop for `h` steps from the last output (outputs must equal inputs);
    /// returns (h, outputs). `timeout` and `interrupt_function` as in `run`.
    #[pyo3(signature = (h, timeout = None, interrupt_function = None))]
    fn forecast<'py>(
        &mut self,
        py: Python<'py>,
        h: usize,
        timeout: Option<f64>,
        interrupt_function: Option<Py<PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let policy = RunPolicy::new(interrupt_function, None, timeout, None)?;
        let esn = self.get()?;
        let o = esn.outputs();
        let y = policy.run(py, |c| esn.forecast_with(h, c))?;
        self.sync(py);
        array2(py, y, h, o)
    }

    /// Runs on the true inputs `warmup` (T, input_dim) if given (teacher forcing), then `n`
    /// free-running closed-loop steps; returns (n, outputs). `timeout` and `interrupt_function`
    /// as in `run`.
    #[pyo3(signature = (n, warmup = None, timeout = None, interrupt_function = None))]
    fn generate<'py>(
        &mut self,
        py: Python<'py>,
        n: usize,
        warmup: Option<&Bound<'py, PyAny>>,
        timeout: Option<f64>,
        interrupt_function: Option<Py<PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let policy = RunPolicy::new(interrupt_function, None, timeout, None)?;
        let w = warmup.map(|w| rows("warmup", w)).transpose()?;
        let esn = self.get()?;
        let o = esn.outputs();
        let (data, steps) = w.as_ref().map(|r| (r.data(), r.rows)).unwrap_or((&[][..], 0));
        let y = policy.run(py, |c| esn.generate_with(n, data, steps, c))?;
        self.sync(py);
        array2(py, y, n, o)
    }

    /// Zeroes the reservoir state and the last output.
    fn reset(&mut self, py: Python<'_>) {
        if let Some(e) = self.inner.as_mut() {
            e.reset();
        }
        self.reservoir.borrow_mut(py).reset();
    }

    /// The reservoir node.
    #[getter]
    fn reservoir(&self, py: Python<'_>) -> Py<PyReservoir> {
        self.reservoir.clone_ref(py)
    }

    /// The readout node.
    #[getter]
    fn readout(&self, py: Python<'_>) -> Py<PyRidge> {
        self.readout.clone_ref(py)
    }

    /// The reservoir state (units,).
    #[getter]
    fn state<'py>(&mut self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        Ok(self
            .get()?
            .reservoir()
            .state()
            .to_vec()
            .into_pyarray(py)
            .into_any())
    }

    /// The network in the neuroquant container (weights, parameters, seed, state, last output).
    fn to_bytes<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyBytes>> {
        let esn = self
            .inner
            .as_ref()
            .ok_or_else(|| invalid_argument("ESN", "is not fitted: call fit first".into()))?;
        Ok(PyBytes::new(py, &esn.to_bytes().or_raise()?))
    }

    /// A network from `to_bytes()` output.
    #[staticmethod]
    fn from_bytes(py: Python<'_>, data: &[u8]) -> PyResult<Self> {
        let esn = Esn::from_bytes(data).or_raise()?;
        let p = esn.params().clone();
        let readout = PyRidge {
            params: rc::RidgeParams::default().ridge(p.ridge).fit_bias(p.fit_bias),
            readout: esn.readout().cloned(),
        };
        Ok(PyEsn {
            reservoir: Py::new(py, PyReservoir::wrap(esn.reservoir().clone()))?,
            readout: Py::new(py, readout)?,
            input_to_readout: p.input_to_readout,
            inner: Some(esn),
        })
    }

    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<(Bound<'py, PyAny>, (Bound<'py, PyBytes>,))> {
        let restore = slf.get_type().getattr("from_bytes")?;
        Ok((restore, (slf.borrow().to_bytes(slf.py())?,)))
    }
}

/// Next-generation reservoir computing features (ReservoirPy's NVAR): the input and its
/// delays, then every unique monomial of the given order of them, optionally preceded by a
/// constant; inputs can be standardised first (fit_standardization).
#[pyclass(name = "NVAR", module = "neuroquant.reservoir")]
pub struct PyNvar {
    params: NvarParams,
    inner: Option<Nvar>,
}

impl PyNvar {
    pub(crate) fn describe(cls: &Bound<'_, PyType>) -> PyResult<()> {
        params::describe_positional::<NvarParams>(cls, &[], 3)
    }

    fn built(&mut self, d: usize) -> PyResult<&mut Nvar> {
        if self.inner.is_none() {
            self.inner = Some(Nvar::new(self.params.clone().input_dim(d)).or_raise()?);
        }
        Ok(self.inner.as_mut().expect("built above"))
    }
}

#[pymethods]
impl PyNvar {
    #[new]
    #[pyo3(signature = (*args, **kwargs))]
    fn new(args: &Bound<'_, PyTuple>, kwargs: Option<&Bound<'_, PyDict>>) -> PyResult<Self> {
        let kwargs = named_arguments::<NvarParams>("NVAR", args, kwargs, 3)?;
        let params: NvarParams = params::from_kwargs("NVAR", kwargs.as_ref())?;
        let inner = params
            .input_dim
            .map(|_| Nvar::new(params.clone()))
            .transpose()
            .or_raise()?;
        Ok(PyNvar { params, inner })
    }

    /// The features (T, output_dim) of X (T, input_dim) (a list for a list), continuing the
    /// delay line. `timeout` (seconds) or `interrupt_function()` returning True stops it
    /// (StoppedError, the delay line as before the series).
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
            let nv = self.built(item.cols)?;
            let f = nv.output_dim();
            let y = policy.run(py, |c| nv.run_with(data, rows, c))?;
            outs.push(array2(py, y, rows, f)?);
        }
        one_or_list(py, outs, many)
    }

    /// The features of one step u (input_dim,).
    fn step<'py>(&mut self, py: Python<'py>, u: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
        let u = vector("u", u)?;
        Ok(self
            .built(u.len())?
            .step(&u)
            .or_raise()?
            .to_vec()
            .into_pyarray(py)
            .into_any())
    }

    /// Standardises the inputs by the mean and standard deviation of each column of X.
    fn fit_standardization(&mut self, x: &Bound<'_, PyAny>) -> PyResult<()> {
        let r = rows("X", x)?;
        self.built(r.cols)?
            .fit_standardization(r.data(), r.rows)
            .or_raise()
    }

    /// Clears the delay line.
    fn reset(&mut self) {
        if let Some(n) = self.inner.as_mut() {
            n.reset();
        }
    }

    /// Number of features (None before the first data).
    #[getter]
    fn output_dim(&self) -> Option<usize> {
        self.inner.as_ref().map(|n| n.output_dim())
    }

    /// The delay line and standardisation in the neuroquant container (parameters only before data).
    fn to_bytes<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyBytes>> {
        let b = match &self.inner {
            Some(n) => n.to_bytes(),
            None => self.params.to_bytes(),
        };
        Ok(PyBytes::new(py, &b.or_raise()?))
    }

    /// NVAR features from `to_bytes()` output.
    #[staticmethod]
    fn from_bytes(data: &[u8]) -> PyResult<Self> {
        match Nvar::from_bytes(data) {
            Ok(n) => Ok(PyNvar {
                params: n.params().clone(),
                inner: Some(n),
            }),
            Err(e) => match NvarParams::from_bytes(data) {
                Ok(params) => Ok(PyNvar { params, inner: None }),
                Err(_) => Err(crate::errors::to_pyerr(e)),
            },
        }
    }

    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<(Bound<'py, PyAny>, (Bound<'py, PyBytes>,))> {
        let restore = slf.get_type().getattr("from_bytes")?;
        Ok((restore, (slf.borrow().to_bytes(slf.py())?,)))
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        params::repr(py, "NVAR", &self.params)
    }

    /// `nvar >> readout`: a model chaining the two.
    fn __rshift__<'py>(slf: &Bound<'py, Self>, other: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
        slf.py()
            .import("neuroquant.reservoir")?
            .getattr("_chain")?
            .call1((slf, other))
    }
}

/// A liquid state machine of leaky integrate-and-fire neurons (snnTorch's Leaky dynamics, with
/// refractory steps and inhibitory neurons) driven by spike rasters (T, channels) of 0/1.
#[pyclass(name = "LSM", module = "neuroquant.reservoir")]
pub struct PyLsm {
    inner: Lsm,
}

impl PyLsm {
    pub(crate) fn describe(cls: &Bound<'_, PyType>) -> PyResult<()> {
        params::describe_positional::<LsmParams>(
            cls,
            &[
                (
                    "W",
                    "recurrent weights (units, units), target × source, used as given",
                ),
                ("Win", "input weights (units, input_dim), used as given"),
            ],
            1,
        )
    }
}

fn spikes_in(argument: &'static str, obj: &Bound<'_, PyAny>) -> PyResult<(Vec<u8>, usize, usize)> {
    if let Ok(r) = obj.cast::<PyRaster>() {
        let r = &r.get().inner;
        if r.is_signed() {
            return Err(invalid_argument(
                argument,
                "holds off spikes (-1); the liquid takes on spikes only".into(),
            ));
        }
        return Ok((r.to_dense::<u8>().or_raise()?, r.num_steps(), r.num_channels()));
    }
    let a = crate::arrays::IntArray::extract(argument, obj)?;
    let shape = a.shape();
    // One conversion for every integer dtype (a no-op for int64).
    #[allow(clippy::useless_conversion)]
    let data: Vec<i64> = crate::arrays::with_int_data!(&a, |d| d.iter().map(|&v| i64::from(v)).collect());
    let (t, c) = match shape[..] {
        [t] => (1, t),
        [t, c] => (t, c),
        _ => {
            return Err(invalid_argument(
                argument,
                format!("must be a (timesteps, channels) array, got shape {shape:?}"),
            ));
        }
    };
    let bytes = data
        .iter()
        .enumerate()
        .map(|(i, &v)| {
            u8::try_from(v)
                .ok()
                .filter(|b| *b <= 1)
                .ok_or_else(|| invalid_argument(argument, format!("element {i} is {v}, must be 0 or 1")))
        })
        .collect::<PyResult<Vec<u8>>>()?;
    Ok((bytes, t, c))
}

#[pymethods]
impl PyLsm {
    #[new]
    #[pyo3(signature = (*args, **kwargs))]
    fn new(args: &Bound<'_, PyTuple>, kwargs: Option<&Bound<'_, PyDict>>) -> PyResult<Self> {
        let kwargs = named_arguments::<LsmParams>("LSM", args, kwargs, 1)?;
        let kwargs = kwargs.as_ref();
        let take = |name: &'static str| -> PyResult<Option<rc::Csr>> {
            let Some(d) = kwargs else { return Ok(None) };
            let Some(v) = d.get_item(name)? else {
                return Ok(None);
            };
            d.del_item(name)?;
            if v.is_none() {
                Ok(None)
            } else {
                Ok(Some(matrix(name, &v)?))
            }
        };
        let (w, win) = (take("W")?, take("Win")?);
        let params: LsmParams = params::from_kwargs("LSM", kwargs)?;
        let inner = match (w, win) {
            (Some(w), Some(win)) => Lsm::with_weights(params, w, win),
            (None, None) => Lsm::new(params),
            _ => return Err(invalid_argument("W", "W and Win must be given together".into())),
        }
        .or_raise()?;
        Ok(PyLsm { inner })
    }

    /// Runs on a (T, input_dim) array of 0/1 and returns the (T, units) output raster (uint8);
    /// on a `neuroquant.spike.SpikeRaster` (T × input_dim, on spikes only) returns a
    /// `SpikeRaster` (T × units), bit-packed both ways and equal to the dense run.
    /// `timeout` (seconds) or `interrupt_function()` returning True stops the run
    /// (StoppedError, the liquid unchanged); looked at about every millisecond of work.
    #[pyo3(signature = (spikes, timeout = None, interrupt_function = None))]
    fn run<'py>(
        &mut self,
        py: Python<'py>,
        spikes: &Bound<'py, PyAny>,
        timeout: Option<f64>,
        interrupt_function: Option<Py<PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let policy = RunPolicy::new(interrupt_function, None, timeout, None)?;
        if let Ok(r) = spikes.cast::<PyRaster>() {
            let raster = &r.get().inner;
            let inner = &mut self.inner;
            let out = policy.run(py, |c| inner.run_raster_with(raster, c))?;
            return Ok(Bound::new(py, PyRaster { inner: out })?.into_any());
        }
        let (data, t, _) = spikes_in("spikes", spikes)?;
        let n = self.inner.units();
        let inner = &mut self.inner;
        let out = policy.run(py, |c| inner.run_with(&data, t, c))?;
        Ok(out.into_pyarray(py).reshape([t, n])?.into_any())
    }

    /// One step on input spikes (input_dim,); returns the output spikes (units,).
    fn step<'py>(&mut self, py: Python<'py>, spikes: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
        let (data, _, _) = spikes_in("spikes", spikes)?;
        Ok(self
            .inner
            .step(&data)
            .or_raise()?
            .to_vec()
            .into_pyarray(py)
            .into_any())
    }

    /// Zero potentials, no spikes.
    fn reset(&mut self) {
        self.inner.reset();
    }

    /// The membrane potentials (units,).
    #[getter]
    fn potential<'py>(&self, py: Python<'py>) -> Bound<'py, PyAny> {
        self.inner.potential().to_vec().into_pyarray(py).into_any()
    }

    /// The recurrent weights (target × source).
    #[getter(W)]
    fn w<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        super::convert::to_python(py, &self.inner.w().or_raise()?)
    }

    /// The input weights.
    #[getter(Win)]
    fn win<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        super::convert::to_python(py, &self.inner.win().or_raise()?)
    }

    /// The liquid in the neuroquant container.
    fn to_bytes<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyBytes>> {
        Ok(PyBytes::new(py, &self.inner.to_bytes().or_raise()?))
    }

    /// A liquid from `to_bytes()` output.
    #[staticmethod]
    fn from_bytes(data: &[u8]) -> PyResult<Self> {
        Ok(PyLsm {
            inner: Lsm::from_bytes(data).or_raise()?,
        })
    }

    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<(Bound<'py, PyAny>, (Bound<'py, PyBytes>,))> {
        let restore = slf.get_type().getattr("from_bytes")?;
        Ok((restore, (slf.borrow().to_bytes(slf.py())?,)))
    }
}

/// Spike counts of each unit in consecutive windows of `window` steps of a (T, units) raster
/// (an array of 0/1 or a `SpikeRaster`).
#[pyfunction]
pub(crate) fn spike_counts<'py>(
    py: Python<'py>,
    raster: &Bound<'py, PyAny>,
    window: usize,
) -> PyResult<Bound<'py, PyAny>> {
    let (data, _, n) = spikes_in("raster", raster)?;
    let out = rc::spike_counts(&data, n, window).or_raise()?;
    let rows = out.len() / n.max(1);
    array2(py, out, rows, n)
}

/// Exponentially filtered traces r[t] = decay·r[t−1] + S[t] of a (T, units) raster (an array
/// of 0/1 or a `SpikeRaster`).
#[pyfunction]
pub(crate) fn filtered_traces<'py>(
    py: Python<'py>,
    raster: &Bound<'py, PyAny>,
    decay: f64,
) -> PyResult<Bound<'py, PyAny>> {
    let (data, t, n) = spikes_in("raster", raster)?;
    array2(py, rc::filtered_traces(&data, n, decay).or_raise()?, t, n)
}

/// The spectral radius max |λ| of W (numpy or scipy.sparse) by the deterministic Krylov–Schur
/// solver (dense below 65 rows).
#[pyfunction]
#[pyo3(signature = (w, tol = 1e-12, maxiter = 2000))]
pub(crate) fn spectral_radius(
    py: Python<'_>,
    w: &Bound<'_, PyAny>,
    tol: f64,
    maxiter: usize,
) -> PyResult<f64> {
    let m = matrix("W", w)?;
    py.detach(|| rc::spectral_radius(&m, tol, maxiter, &Control::default()))
        .or_raise()
}

/// ReservoirPy's effective_spectral_radius: ρ(lr·W + (1 − lr)·I).
#[pyfunction]
#[pyo3(signature = (w, lr = 1.0))]
pub(crate) fn effective_spectral_radius(py: Python<'_>, w: &Bound<'_, PyAny>, lr: f64) -> PyResult<f64> {
    let m = matrix("W", w)?;
    py.detach(|| rc::effective_spectral_radius(&m, lr, &Control::default()))
        .or_raise()
}

/// Mackey–Glass τ = 17 (by default) sampled every h, integrated by RK4 (h/substeps) with
/// cubic Hermite interpolation of the delayed term, history x0; returns (n_timesteps, 1).
#[pyfunction]
#[pyo3(signature = (n_timesteps, tau = 17.0, a = 0.2, b = 0.1, n = 10.0, x0 = 1.2, h = 1.0, substeps = 10))]
#[allow(clippy::too_many_arguments)]
pub(crate) fn mackey_glass<'py>(
    py: Python<'py>,
    n_timesteps: usize,
    tau: f64,
    a: f64,
    b: f64,
    n: f64,
    x0: f64,
    h: f64,
    substeps: usize,
) -> PyResult<Bound<'py, PyAny>> {
    let v = py
        .detach(|| rc::mackey_glass(n_timesteps, tau, a, b, n, x0, h, substeps))
        .or_raise()?;
    array2(py, v, n_timesteps, 1)
}

/// Standard NARMA10: returns (u, y), each (n_timesteps, 1), with u uniform on [0, 0.5) from
/// `seed` unless given.
#[pyfunction]
#[pyo3(signature = (n_timesteps, seed = None, u = None))]
pub(crate) fn narma10<'py>(
    py: Python<'py>,
    n_timesteps: usize,
    seed: Option<u64>,
    u: Option<&Bound<'py, PyAny>>,
) -> PyResult<(Bound<'py, PyAny>, Bound<'py, PyAny>)> {
    let u = match u {
        Some(u) => {
            let r = rows("u", u)?;
            neuroquant::error::check::len("u", n_timesteps, r.data().len())
                .map_err(neuroquant::Error::from)
                .or_raise()?;
            r.data().to_vec()
        }
        None => rc::narma10_input(n_timesteps, neuroquant::rng::resolve_seed(seed)).or_raise()?,
    };
    let y = rc::narma10(&u).or_raise()?;
    Ok((array2(py, u, n_timesteps, 1)?, array2(py, y, n_timesteps, 1)?))
}

/// Lorenz-63 sampled every h from x0 (default (1, 1, 1)) by RK4 (h/substeps); returns (n_timesteps, 3).
#[pyfunction]
#[pyo3(signature = (n_timesteps, rho = 28.0, sigma = 10.0, beta = 2.6666666666666665, x0 = None, h = 0.03, substeps = 10))]
#[allow(clippy::too_many_arguments)]
pub(crate) fn lorenz<'py>(
    py: Python<'py>,
    n_timesteps: usize,
    rho: f64,
    sigma: f64,
    beta: f64,
    x0: Option<(f64, f64, f64)>,
    h: f64,
    substeps: usize,
) -> PyResult<Bound<'py, PyAny>> {
    let v = py
        .detach(|| {
            let x0 = x0.unwrap_or((1.0, 1.0, 1.0));
            rc::lorenz(n_timesteps, sigma, rho, beta, [x0.0, x0.1, x0.2], h, substeps)
        })
        .or_raise()?;
    array2(py, v, n_timesteps, 3)
}

fn flat(argument: &'static str, obj: &Bound<'_, PyAny>) -> PyResult<(Vec<f64>, Vec<usize>)> {
    let a = crate::arrays::float_array(argument, obj)?;
    let shape = a.shape().to_vec();
    Ok((crate::arrays::contiguous(&a).into_owned(), shape))
}

fn same_shape(a: &[usize], b: &[usize]) -> PyResult<()> {
    if a != b {
        return Err(crate::errors::shape_mismatch("y_pred", a, b));
    }
    Ok(())
}

macro_rules! metric {
    ($name:ident, $doc:literal) => {
        #[doc = $doc]
        #[pyfunction]
        pub(crate) fn $name(y_true: &Bound<'_, PyAny>, y_pred: &Bound<'_, PyAny>) -> PyResult<f64> {
            let ((a, sa), (b, sb)) = (flat("y_true", y_true)?, flat("y_pred", y_pred)?);
            same_shape(&sa, &sb)?;
            rc::$name(&a, &b).or_raise()
        }
    };
}

metric!(mse, "Mean squared error over all elements.");
metric!(rmse, "Root mean squared error over all elements.");
metric!(nmse, "MSE divided by the variance of y_true.");
metric!(rsquare, "Coefficient of determination 1 − SS_res/SS_tot.");

/// RMSE divided by `norm` of y_true: "std" (default), "var" (ReservoirPy's: the variance
/// itself), "minmax" (ReservoirPy's default), "mean", "q1q3".
#[pyfunction]
#[pyo3(signature = (y_true, y_pred, norm = "std"))]
pub(crate) fn nrmse(y_true: &Bound<'_, PyAny>, y_pred: &Bound<'_, PyAny>, norm: &str) -> PyResult<f64> {
    let ((a, sa), (b, sb)) = (flat("y_true", y_true)?, flat("y_pred", y_pred)?);
    same_shape(&sa, &sb)?;
    let norm: Norm = norm.parse().map_err(neuroquant::Error::from).or_raise()?;
    rc::nrmse(&a, &b, norm).or_raise()
}

/// Steps before the error ‖y_t − ŷ_t‖ / sqrt(Σ var(y)) first exceeds `threshold` (valid time).
#[pyfunction]
#[pyo3(signature = (y_true, y_pred, threshold = 0.4))]
pub(crate) fn valid_time(
    y_true: &Bound<'_, PyAny>,
    y_pred: &Bound<'_, PyAny>,
    threshold: f64,
) -> PyResult<usize> {
    let ((a, sa), (b, sb)) = (flat("y_true", y_true)?, flat("y_pred", y_pred)?);
    same_shape(&sa, &sb)?;
    let dim = if sa.len() == 2 { sa[1] } else { 1 };
    rc::valid_time(&a, &b, dim, threshold).or_raise()
}

/// Memory capacity per delay k = 1..k_max (ReservoirPy's protocol: uniform input on
/// [−0.8, 0.8] of length 10·k_max unless `series` is given, the last `test_size` fraction for
/// testing); returns the capacities (their sum is the MC).
#[pyfunction]
#[pyo3(signature = (reservoir, k_max, series = None, test_size = 0.2, ridge = 1e-8, seed = None))]
pub(crate) fn memory_capacity<'py>(
    py: Python<'py>,
    reservoir: &Bound<'py, PyReservoir>,
    k_max: usize,
    series: Option<&Bound<'py, PyAny>>,
    test_size: f64,
    ridge: f64,
    seed: Option<u64>,
) -> PyResult<Bound<'py, PyAny>> {
    use rand::RngExt as _;
    let s = match series {
        Some(s) => rows("series", s)?.data().to_vec(),
        None => {
            let mut r = neuroquant::rng::stream(neuroquant::rng::resolve_seed(seed), 0);
            (0..10 * k_max).map(|_| r.random_range(-0.8..0.8)).collect()
        }
    };
    if !(0.0..1.0).contains(&test_size) {
        return Err(invalid_argument(
            "test_size",
            format!("is {test_size}, must be in [0, 1)"),
        ));
    }
    let test_len = (s.len() as f64 * test_size).round() as usize;
    let mut r = reservoir.borrow_mut();
    let res = r.built(py, 1)?.clone();
    let mc = py
        .detach(|| rc::memory_capacity(&res, k_max, &s, test_len, ridge))
        .or_raise()?;
    Ok(mc.into_pyarray(py).into_any())
}
