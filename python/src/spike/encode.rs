//! Encoders and decoders: numpy in, numpy (or a `SpikeRaster`) out, the GIL released around the
//! core call. Parameters are read by the core from `**kwargs`; `neuroquant/spike.py` gives each
//! function its signature from the same description (`_spike_keywords`).

use super::data::PyRaster;
use crate::arrays::{contiguous, float_array};
use crate::control::RunPolicy;
use crate::errors::{OrRaise, invalid_argument};
use crate::params::{self, from_value};
use neuroquant::params::{Keyword, KeywordArgs};
use neuroquant::spike::{
    self, BsaOutput, BsaParams, DeltaDecodeParams, DeltaParams, Encoder, EncoderParams, LatencyParams,
    PatternParams, PoissonDecodeParams, PoissonParams, PopulationParams, RateDecodeParams, RateParams,
    Reconstruction, SpikeRaster,
};
use numpy::{IntoPyArray, PyArrayDescrMethods, PyArrayDyn, PyArrayMethods, PyUntypedArrayMethods};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyList, PyTuple};

/// Arrays above this many values are encoded with the GIL released.
const DETACH_ABOVE: usize = 1 << 14;

/// The float dtype to return for `obj`: its own when it is a float32/float64 array, else float64.
fn float_dtype<'py>(obj: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
    if let Ok(a) = obj.cast::<numpy::PyUntypedArray>() {
        let d = a.dtype();
        if d.kind() == b'f' && (d.itemsize() == 4 || d.itemsize() == 8) {
            return Ok(d.into_any());
        }
    }
    obj.py().import("numpy")?.getattr("float64")
}

/// Removes a Python-only keyword from `kwargs`.
fn pop<'py>(kwargs: Option<&Bound<'py, PyDict>>, name: &str) -> PyResult<Option<Bound<'py, PyAny>>> {
    match kwargs {
        Some(d) => match d.get_item(name)? {
            Some(v) => {
                d.del_item(name)?;
                Ok(if v.is_none() { None } else { Some(v) })
            }
            None => Ok(None),
        },
        None => Ok(None),
    }
}

/// The raster as a dense numpy array of `T`, written in place into an array numpy allocated
/// (numpy's allocator asks for huge pages on large arrays: several times fewer page faults than
/// handing numpy a Rust `Vec` of the same size).
fn dense_array<'py, T: spike::SpikeValue + numpy::Element>(
    py: Python<'py>,
    raster: &SpikeRaster,
    big: bool,
) -> PyResult<Bound<'py, numpy::PyArray2<T>>> {
    let arr = numpy::PyArray2::<T>::zeros(py, [raster.num_steps(), raster.num_channels()], false);
    {
        let mut cells = arr.readwrite();
        let cells = cells.as_slice_mut()?;
        if big {
            py.detach(|| raster.write_dense(cells))
        } else {
            raster.write_dense(cells)
        }
        .or_raise()?;
    }
    Ok(arr)
}

/// `output="dense"` (an array of `dtype`, shaped `shape`) or `"raster"` (a `SpikeRaster`).
fn emit<'py>(
    py: Python<'py>,
    raster: SpikeRaster,
    shape: Vec<usize>,
    dtype: &Bound<'py, PyAny>,
    output: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyAny>> {
    let output: String = output.map_or(Ok("dense".to_owned()), |o| o.extract())?;
    match output.as_str() {
        "raster" => Ok(Bound::new(py, PyRaster { inner: raster })?.into_any()),
        "dense" => {
            let big = raster.num_steps() * raster.num_channels() > DETACH_ABOVE;
            let is32 = dtype.getattr("itemsize")?.extract::<usize>()? == 4
                && dtype.getattr("kind")?.extract::<String>()? == "f";
            let arr = if is32 {
                dense_array::<f32>(py, &raster, big)?.into_any()
            } else {
                dense_array::<f64>(py, &raster, big)?.into_any()
            };
            arr.call_method1("reshape", (shape,))
        }
        other => Err(invalid_argument(
            "output",
            format!("{other:?} is not one of \"dense\", \"raster\""),
        )),
    }
}

/// snnTorch `spikegen.rate`.
#[pyfunction(name = "_spike_rate")]
#[pyo3(signature = (data, **kwargs))]
fn rate<'py>(data: &Bound<'py, PyAny>, kwargs: Option<&Bound<'py, PyDict>>) -> PyResult<Bound<'py, PyAny>> {
    let py = data.py();
    let output = pop(kwargs, "output")?;
    let num_threads = pop(kwargs, "num_threads")?;
    let p: RateParams = params::from_kwargs("rate", kwargs)?;
    let a = float_array("data", data)?;
    let shape = a.shape().to_vec();
    let values = contiguous(&a);
    let (channels, out_shape) = match p.num_steps {
        Some(t) => (values.len(), [vec![t], shape.clone()].concat()),
        None => {
            let Some((&first, rest)) = shape.split_first() else {
                return Err(invalid_argument(
                    "data",
                    "is a scalar; with num_steps=None the first axis is time".into(),
                ));
            };
            let steps = if p.time_var_input {
                first + p.first_spike_time
            } else {
                first
            };
            (rest.iter().product(), [vec![steps], rest.to_vec()].concat())
        }
    };
    let policy = RunPolicy::new(None, num_threads.as_ref(), None, None)?;
    let encoded = policy.run(py, |c| spike::rate(&values, channels, &p, c))?;
    emit(
        py,
        encoded.raster,
        out_shape,
        &float_dtype(data)?,
        output.as_ref(),
    )
}

/// BindsNET-style Poisson trains from rates in Hz: `(num_steps, *rates.shape)`.
#[pyfunction(name = "_spike_poisson")]
#[pyo3(signature = (rates, **kwargs))]
fn poisson<'py>(
    rates: &Bound<'py, PyAny>,
    kwargs: Option<&Bound<'py, PyDict>>,
) -> PyResult<Bound<'py, PyAny>> {
    let py = rates.py();
    let output = pop(kwargs, "output")?;
    let num_threads = pop(kwargs, "num_threads")?;
    let p: PoissonParams = params::from_kwargs("poisson", kwargs)?;
    let a = float_array("rates", rates)?;
    let shape = [vec![p.num_steps], a.shape().to_vec()].concat();
    let values = contiguous(&a);
    let policy = RunPolicy::new(None, num_threads.as_ref(), None, None)?;
    let encoded = policy.run(py, |c| spike::poisson(&values, &p, c))?;
    emit(py, encoded.raster, shape, &float_dtype(rates)?, output.as_ref())
}

/// snnTorch `spikegen.latency`; warns when spikes past the last step were moved onto it.
#[pyfunction(name = "_spike_latency")]
#[pyo3(signature = (data, **kwargs))]
fn latency<'py>(
    data: &Bound<'py, PyAny>,
    kwargs: Option<&Bound<'py, PyDict>>,
) -> PyResult<Bound<'py, PyAny>> {
    let py = data.py();
    let output = pop(kwargs, "output")?;
    let p: LatencyParams = params::from_kwargs("latency", kwargs)?;
    let a = float_array("data", data)?;
    let shape = [vec![p.num_steps], a.shape().to_vec()].concat();
    let values = contiguous(&a);
    let out = if values.len() > DETACH_ABOVE {
        py.detach(|| spike::latency(&values, &p))
    } else {
        spike::latency(&values, &p)
    }
    .or_raise()?;
    if out.clamped > 0 {
        let warnings = py.import("warnings")?;
        warnings.call_method1(
            "warn",
            (
                format!(
                    "{} spike(s) past the last step were placed on step {} (normalize=True or a larger num_steps avoids this)",
                    out.clamped,
                    p.num_steps - 1
                ),
                py.get_type::<pyo3::exceptions::PyRuntimeWarning>(),
                2,
            ),
        )?;
    }
    emit(py, out.raster, shape, &float_dtype(data)?, output.as_ref())
}

/// snnTorch `spikegen.latency_code`: `(spike_time, below_threshold)` before rounding.
#[pyfunction(name = "_spike_latency_code")]
#[pyo3(signature = (data, **kwargs))]
fn latency_code<'py>(
    data: &Bound<'py, PyAny>,
    kwargs: Option<&Bound<'py, PyDict>>,
) -> PyResult<Bound<'py, PyTuple>> {
    let py = data.py();
    let p: LatencyParams = params::from_kwargs("latency", kwargs)?;
    let a = float_array("data", data)?;
    let shape = a.shape().to_vec();
    let (t, below) = spike::latency_times(&contiguous(&a), &p).or_raise()?;
    let t = t.into_pyarray(py).call_method1("reshape", (shape.clone(),))?;
    let below = below.into_pyarray(py).call_method1("reshape", (shape,))?;
    PyTuple::new(py, [t, below])
}

/// Inverts the latency code (log form without normalize/first_spike_time, or linear).
#[pyfunction(name = "_spike_latency_decode")]
#[pyo3(signature = (spike_time, **kwargs))]
fn latency_decode<'py>(
    spike_time: &Bound<'py, PyAny>,
    kwargs: Option<&Bound<'py, PyDict>>,
) -> PyResult<Bound<'py, PyAny>> {
    let p: LatencyParams = params::from_kwargs("latency", kwargs)?;
    let a = float_array("spike_time", spike_time)?;
    let shape = a.shape().to_vec();
    let x = contiguous(&a)
        .iter()
        .map(|&t| spike::latency_decode(t, &p))
        .collect::<neuroquant::Result<Vec<f64>>>()
        .or_raise()?;
    x.into_pyarray(spike_time.py()).call_method1("reshape", (shape,))
}

/// snnTorch `spikegen.delta` on time-first data.
#[pyfunction(name = "_spike_delta")]
#[pyo3(signature = (data, **kwargs))]
fn delta<'py>(data: &Bound<'py, PyAny>, kwargs: Option<&Bound<'py, PyDict>>) -> PyResult<Bound<'py, PyAny>> {
    let py = data.py();
    let output = pop(kwargs, "output")?;
    let p: DeltaParams = params::from_kwargs("delta", kwargs)?;
    let a = float_array("data", data)?;
    let shape = a.shape().to_vec();
    if shape.is_empty() {
        return Err(invalid_argument(
            "data",
            "is a scalar, must be time-first (its first axis is time)".into(),
        ));
    }
    let channels = shape[1..].iter().product();
    let values = contiguous(&a);
    let raster = if values.len() > DETACH_ABOVE {
        py.detach(|| spike::delta(&values, channels, &p))
    } else {
        spike::delta(&values, channels, &p)
    }
    .or_raise()?;
    emit(py, raster, shape, &float_dtype(data)?, output.as_ref())
}

/// Ben's Spiker Algorithm on time-first data: `(spikes int8, shift, scale, filter)`.
#[pyfunction(name = "_spike_bsa")]
#[pyo3(signature = (data, **kwargs))]
fn bsa<'py>(data: &Bound<'py, PyAny>, kwargs: Option<&Bound<'py, PyDict>>) -> PyResult<Bound<'py, PyTuple>> {
    let py = data.py();
    let p: BsaParams = params::from_kwargs("bsa", kwargs)?;
    let a = float_array("data", data)?;
    let shape = a.shape().to_vec();
    let channels = shape.get(1..).map_or(1, |s| s.iter().product());
    let values = contiguous(&a);
    let out = py.detach(|| spike::bsa(&values, channels, &p)).or_raise()?;
    let spikes = out
        .raster
        .to_dense::<i8>()
        .or_raise()?
        .into_pyarray(py)
        .call_method1("reshape", (shape,))?;
    PyTuple::new(
        py,
        [
            spikes,
            out.shift.into_pyarray(py).into_any(),
            out.scale.into_pyarray(py).into_any(),
            out.filter.into_pyarray(py).into_any(),
        ],
    )
}

/// Decodes BSA spikes: the spikes filtered by `filter`, scaled back per channel.
#[pyfunction(name = "_spike_bsa_decode")]
fn bsa_decode<'py>(
    spikes: &Bound<'py, PyAny>,
    shift: Vec<f64>,
    scale: Vec<f64>,
    filter: Vec<f64>,
) -> PyResult<Bound<'py, PyAny>> {
    let py = spikes.py();
    let a = float_array("spikes", spikes)?;
    let shape = a.shape().to_vec();
    let (rows, channels) = (
        shape.first().copied().unwrap_or(0),
        shape.get(1..).map_or(1, |s| s.iter().product()),
    );
    let raster = SpikeRaster::from_dense(rows, channels, &contiguous(&a)).or_raise()?;
    for (name, v) in [("shift", &shift), ("scale", &scale)] {
        neuroquant::error::check::len(name, channels, v.len())
            .map_err(|e| crate::errors::to_pyerr(e.into()))?;
        neuroquant::error::check::all_finite(name, v).map_err(|e| crate::errors::to_pyerr(e.into()))?;
    }
    // The filter is validated as a BSA parameter (non-empty, finite, bounded).
    let filter = BsaParams::default().filter(filter);
    filter.validate().or_raise()?;
    let out = BsaOutput {
        raster,
        shift,
        scale,
        filter: filter.taps(),
    };
    spike::bsa_decode(&out)
        .into_pyarray(py)
        .call_method1("reshape", (shape,))
}

/// Spikes to decode: a `SpikeRaster` (time × channel) or a dense time-first array
/// `(num_steps, *shape)`, as the raster and the trailing shape of one step.
fn spikes_arg(obj: &Bound<'_, PyAny>) -> PyResult<(SpikeRaster, Vec<usize>)> {
    if let Ok(r) = obj.cast::<PyRaster>() {
        let inner = r.get().inner.clone();
        let c = inner.num_channels();
        return Ok((inner, vec![c]));
    }
    let a = float_array("spikes", obj)?;
    let shape = a.shape().to_vec();
    let Some((&t, rest)) = shape.split_first() else {
        return Err(invalid_argument(
            "spikes",
            "is a scalar, must be time-first (num_steps, ...) or a SpikeRaster".into(),
        ));
    };
    let c = rest.iter().product();
    let values = contiguous(&a);
    let raster = if values.len() > DETACH_ABOVE {
        obj.py().detach(|| SpikeRaster::from_dense(t, c, &values))
    } else {
        SpikeRaster::from_dense(t, c, &values)
    }
    .map_err(|e| match e {
        // The core names its dense argument `data`; here it is `spikes`.
        neuroquant::Error::Spike(spike::SpikeError::NotASpike { index, value, .. }) => {
            spike::SpikeError::NotASpike {
                argument: "spikes",
                index,
                value,
            }
            .into()
        }
        other => other,
    })
    .or_raise()?;
    Ok((raster, rest.to_vec()))
}

/// Decoded values, shaped `step` (one per channel) or `(rows, *step)` (one per step).
fn decoded_array<'py>(
    py: Python<'py>,
    values: Vec<f64>,
    step: &[usize],
    per_step: bool,
) -> PyResult<Bound<'py, PyAny>> {
    let c: usize = step.iter().product();
    let shape = if per_step {
        [vec![values.len().checked_div(c).unwrap_or(0)], step.to_vec()].concat()
    } else {
        step.to_vec()
    };
    values.into_pyarray(py).call_method1("reshape", (shape,))
}

/// Inverse of rate coding: `(m − offset)/gain` from the spike frequencies.
#[pyfunction(name = "_spike_rate_decode")]
#[pyo3(signature = (spikes, **kwargs))]
fn rate_decode<'py>(
    spikes: &Bound<'py, PyAny>,
    kwargs: Option<&Bound<'py, PyDict>>,
) -> PyResult<Bound<'py, PyAny>> {
    let py = spikes.py();
    let p: RateDecodeParams = params::from_kwargs("rate_decode", kwargs)?;
    let (raster, step) = spikes_arg(spikes)?;
    let values = py.detach(|| spike::rate_decode(&raster, &p)).or_raise()?;
    decoded_array(py, values, &step, p.window.is_some())
}

/// Inverse of Poisson coding: rates in Hz, `−ln(1 − m)/dt`.
#[pyfunction(name = "_spike_poisson_decode")]
#[pyo3(signature = (spikes, **kwargs))]
fn poisson_decode<'py>(
    spikes: &Bound<'py, PyAny>,
    kwargs: Option<&Bound<'py, PyDict>>,
) -> PyResult<Bound<'py, PyAny>> {
    let py = spikes.py();
    let p: PoissonDecodeParams = params::from_kwargs("poisson_decode", kwargs)?;
    let (raster, step) = spikes_arg(spikes)?;
    let values = py.detach(|| spike::poisson_decode(&raster, &p)).or_raise()?;
    decoded_array(py, values, &step, p.window.is_some())
}

/// Inverse of delta modulation: the staircase of ±threshold steps from `initial`.
#[pyfunction(name = "_spike_delta_decode")]
#[pyo3(signature = (spikes, **kwargs))]
fn delta_decode<'py>(
    spikes: &Bound<'py, PyAny>,
    kwargs: Option<&Bound<'py, PyDict>>,
) -> PyResult<Bound<'py, PyAny>> {
    let py = spikes.py();
    // `initial` is an array of one step's shape: read here, checked by the core.
    let initial = pop(kwargs, "initial")?;
    let mut p: DeltaDecodeParams = params::from_kwargs("delta_decode", kwargs)?;
    let (raster, step) = spikes_arg(spikes)?;
    if let Some(v) = initial {
        let a = float_array("initial", &v)?;
        if a.shape() != step.as_slice() {
            return Err(crate::errors::shape_mismatch("initial", &step, a.shape()));
        }
        p.initial = Some(contiguous(&a).into_owned());
    }
    let values = py.detach(|| spike::delta_decode(&raster, &p)).or_raise()?;
    decoded_array(py, values, &step, true)
}

/// The TBR threshold per channel: mean + factor·std of the changes.
#[pyfunction(name = "_spike_tbr_threshold")]
#[pyo3(signature = (data, factor = 0.5))]
fn tbr_threshold<'py>(data: &Bound<'py, PyAny>, factor: f64) -> PyResult<Bound<'py, PyAny>> {
    let a = float_array("data", data)?;
    let shape = a.shape().to_vec();
    let channels = shape.get(1..).map_or(1, |s| s.iter().product());
    let th = spike::tbr_threshold(&contiguous(&a), channels, factor).or_raise()?;
    th.into_pyarray(data.py())
        .call_method1("reshape", (shape.get(1..).unwrap_or(&[]).to_vec(),))
}

/// Gaussian receptive-field population coding: `(num_steps, *data.shape, num_neurons)`.
#[pyfunction(name = "_spike_population")]
#[pyo3(signature = (data, **kwargs))]
fn population<'py>(
    data: &Bound<'py, PyAny>,
    kwargs: Option<&Bound<'py, PyDict>>,
) -> PyResult<Bound<'py, PyAny>> {
    let py = data.py();
    let output = pop(kwargs, "output")?;
    let p: PopulationParams = params::from_kwargs("population", kwargs)?;
    let a = float_array("data", data)?;
    let shape = [vec![p.num_steps], a.shape().to_vec(), vec![p.num_neurons]].concat();
    let values = contiguous(&a);
    let raster = py.detach(|| spike::population(&values, &p)).or_raise()?;
    emit(py, raster, shape, &float_dtype(data)?, output.as_ref())
}

/// Decodes a population raster `(num_steps, ..., num_neurons)` back to values `(...)`.
#[pyfunction(name = "_spike_population_decode")]
#[pyo3(signature = (spikes, **kwargs))]
fn population_decode<'py>(
    spikes: &Bound<'py, PyAny>,
    kwargs: Option<&Bound<'py, PyDict>>,
) -> PyResult<Bound<'py, PyAny>> {
    let py = spikes.py();
    let p: PopulationParams = params::from_kwargs("population", kwargs)?;
    let a = float_array("spikes", spikes)?;
    let shape = a.shape().to_vec();
    if shape.len() < 2 {
        return Err(invalid_argument(
            "spikes",
            format!("must be (num_steps, ..., num_neurons), got shape {shape:?}"),
        ));
    }
    let channels: usize = shape[1..].iter().product();
    let raster = SpikeRaster::from_dense(shape[0], channels, &contiguous(&a)).or_raise()?;
    let values = spike::population_decode(&raster, &p).or_raise()?;
    let out_shape = shape[1..shape.len() - 1].to_vec();
    values.into_pyarray(py).call_method1("reshape", (out_shape,))
}

/// Scores a reconstruction: `{"rmse", "nrmse", "snr_db", "spikes_per_sample"}`.
#[pyfunction(name = "_spike_reconstruction")]
fn reconstruction<'py>(
    signal: &Bound<'py, PyAny>,
    decoded: &Bound<'py, PyAny>,
    num_spikes: u64,
) -> PyResult<Bound<'py, PyDict>> {
    let py = signal.py();
    let x = float_array("signal", signal)?;
    let y = float_array("decoded", decoded)?;
    if x.shape() != y.shape() {
        return Err(crate::errors::shape_mismatch("decoded", x.shape(), y.shape()));
    }
    let samples = x.shape().first().copied().unwrap_or(0);
    let r: Reconstruction =
        Reconstruction::new(&contiguous(&x), &contiguous(&y), num_spikes, samples).or_raise()?;
    let d = PyDict::new(py);
    d.set_item("rmse", r.rmse)?;
    d.set_item("nrmse", r.nrmse)?;
    d.set_item("snr_db", r.snr_db)?;
    d.set_item("spikes_per_sample", r.spikes_per_sample)?;
    Ok(d)
}

/// A streaming encoder: one sample (a value per channel) in, one int32 spike value per channel
/// out (the signed number of quanta for send_on_delta), O(1) state per channel. Pickles through
/// the neuroquant container (kind ``spike_encoder``) with its state, so a stream resumes exactly.
#[pyclass(name = "Encoder", module = "neuroquant.spike")]
pub struct PyEncoder {
    inner: Encoder,
}

#[pymethods]
impl PyEncoder {
    #[new]
    #[pyo3(signature = (**kwargs))]
    fn new(kwargs: Option<&Bound<'_, PyDict>>) -> PyResult<Self> {
        let p: EncoderParams = params::from_kwargs("Encoder", kwargs)?;
        Ok(PyEncoder {
            inner: Encoder::new(&p).or_raise()?,
        })
    }

    /// Encodes one sample: `x` holds `num_channels` values; returns int32 `(num_channels,)`.
    fn step<'py>(&mut self, py: Python<'py>, x: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyArrayDyn<i32>>> {
        let a = float_array("x", x)?;
        let mut out = vec![0i32; self.inner.num_channels()];
        self.inner.step(&contiguous(&a), &mut out).or_raise()?;
        out.into_pyarray(py).reshape(a.shape().to_vec())
    }

    /// Encodes a time-first array `(T, num_channels)` (or `(T,)` for one channel); returns int32
    /// of the same shape. Equal to calling `step` on each row.
    fn run<'py>(
        &mut self,
        py: Python<'py>,
        data: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyArrayDyn<i32>>> {
        let a = float_array("data", data)?;
        let shape = a.shape().to_vec();
        let values = contiguous(&a);
        let mut out = vec![0i32; values.len()];
        let inner = &mut self.inner;
        if values.len() > DETACH_ABOVE {
            py.detach(|| inner.run(&values, &mut out))
        } else {
            inner.run(&values, &mut out)
        }
        .or_raise()?;
        out.into_pyarray(py).reshape(shape)
    }

    /// Reconstructs the signal from this encoder's whole output (see the core's `Encoder::decode`).
    fn decode<'py>(&self, py: Python<'py>, spikes: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
        let a = float_array("spikes", spikes)?;
        let shape = a.shape().to_vec();
        let s: Vec<i32> = contiguous(&a).iter().map(|&v| v as i32).collect();
        self.inner
            .decode(&s)
            .or_raise()?
            .into_pyarray(py)
            .call_method1("reshape", (shape,))
    }

    /// Back to the start of a stream.
    fn reset(&mut self) {
        self.inner.reset();
    }

    /// Channels per sample.
    #[getter]
    fn num_channels(&self) -> usize {
        self.inner.num_channels()
    }

    /// The seed in use (rate, poisson).
    #[getter]
    fn seed(&self) -> u64 {
        self.inner.seed()
    }

    /// Samples encoded so far.
    #[getter]
    fn steps(&self) -> u64 {
        self.inner.steps()
    }

    /// The parameters as a dict.
    #[getter]
    fn params<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let d = PyDict::new(py);
        for (k, v) in self.inner.params().to_keywords() {
            d.set_item(k, from_value(py, &v)?)?;
        }
        Ok(d)
    }

    /// The encoder and its state in the neuroquant container format.
    fn to_bytes<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyBytes>> {
        Ok(PyBytes::new(py, &self.inner.to_bytes().or_raise()?))
    }

    /// Reads an encoder written by `to_bytes` (from any surface); it continues the stream.
    #[staticmethod]
    fn from_bytes(data: &[u8]) -> PyResult<Self> {
        Ok(PyEncoder {
            inner: Encoder::from_bytes(data).or_raise()?,
        })
    }

    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyTuple>> {
        let py = slf.py();
        let restore = py.get_type::<PyEncoder>().getattr("from_bytes")?;
        let args = PyTuple::new(py, [slf.borrow().to_bytes(py)?])?;
        PyTuple::new(py, [restore, args.into_any()])
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        params::repr(py, "Encoder", self.inner.params())
    }
}

/// `(description, [(keyword, default, doc, accepted)])` of a parameter set, for spike.py.
fn keywords_of<'py, P: KeywordArgs>(py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
    let defaults = P::default().to_keywords();
    let list = PyList::empty(py);
    for k in P::keywords() {
        let k: &Keyword = k;
        let default = defaults
            .iter()
            .find(|(n, _)| *n == k.name())
            .map_or(Ok(py.None().into_bound(py)), |(_, v)| from_value(py, v))?;
        list.append((k.name(), default, k.doc(), k.expected()))?;
    }
    let desc: String = P::description()
        .lines()
        .map(|l| format!("{}\n", l.trim()))
        .collect();
    PyTuple::new(py, [desc.into_pyobject(py)?.into_any(), list.into_any()])
}

/// The core's description of the named parameter set (`rate`, `latency`, `delta`, `poisson`,
/// `bsa`, `population`, `encoder`, `patterns`, `rate_decode`, `poisson_decode`, `delta_decode`).
#[pyfunction]
fn _spike_keywords<'py>(py: Python<'py>, name: &str) -> PyResult<Bound<'py, PyTuple>> {
    match name {
        "rate" => keywords_of::<RateParams>(py),
        "latency" => keywords_of::<LatencyParams>(py),
        "delta" => keywords_of::<DeltaParams>(py),
        "poisson" => keywords_of::<PoissonParams>(py),
        "bsa" => keywords_of::<BsaParams>(py),
        "population" => keywords_of::<PopulationParams>(py),
        "rate_decode" => keywords_of::<RateDecodeParams>(py),
        "poisson_decode" => keywords_of::<PoissonDecodeParams>(py),
        "delta_decode" => keywords_of::<DeltaDecodeParams>(py),
        "encoder" => keywords_of::<EncoderParams>(py),
        "patterns" => keywords_of::<PatternParams>(py),
        other => Err(invalid_argument(
            "name",
            format!("{other:?} is not a spike parameter set"),
        )),
    }
}

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyEncoder>()?;
    params::describe::<EncoderParams>(&m.py().get_type::<PyEncoder>())?;
    for f in [
        wrap_pyfunction!(rate, m)?,
        wrap_pyfunction!(poisson, m)?,
        wrap_pyfunction!(latency, m)?,
        wrap_pyfunction!(latency_code, m)?,
        wrap_pyfunction!(latency_decode, m)?,
        wrap_pyfunction!(delta, m)?,
        wrap_pyfunction!(bsa, m)?,
        wrap_pyfunction!(bsa_decode, m)?,
        wrap_pyfunction!(tbr_threshold, m)?,
        wrap_pyfunction!(population, m)?,
        wrap_pyfunction!(population_decode, m)?,
        wrap_pyfunction!(rate_decode, m)?,
        wrap_pyfunction!(poisson_decode, m)?,
        wrap_pyfunction!(delta_decode, m)?,
        wrap_pyfunction!(reconstruction, m)?,
        wrap_pyfunction!(_spike_keywords, m)?,
    ] {
        m.add_function(f)?;
    }
    Ok(())
}
