//! `neuroquant.spike.SpikeRaster` and `SpikeEvents`: the core types with zero-copy read-only numpy
//! views, dense conversion, and pickling through the container.

use crate::arrays::float_array;
use crate::errors::{OrRaise, invalid_argument};
use neuroquant::spike::{SpikeEvents, SpikeRaster};
use numpy::ndarray::{ArrayView1, ArrayView2};
use numpy::{IntoPyArray, PyArray1, PyArrayMethods, PyUntypedArrayMethods};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyTuple};

/// A read-only numpy array over memory owned by the frozen pyclass `owner`.
fn view<'py, T: numpy::Element, D: numpy::ndarray::Dimension>(
    owner: &Bound<'py, PyAny>,
    view: numpy::ndarray::ArrayView<'_, T, D>,
) -> PyResult<Bound<'py, numpy::PyArray<T, D>>> {
    // SAFETY: the data lives inside a frozen (never mutated) pyclass, which the new array holds
    // as its base object, so the memory outlives the array and never changes under it.
    let arr = unsafe { numpy::PyArray::borrow_from_array(&view, owner.clone()) };
    let kwargs = PyDict::new(owner.py());
    kwargs.set_item("write", false)?;
    arr.call_method("setflags", (), Some(&kwargs))?;
    Ok(arr)
}

/// Spikes on a (time step × channel) grid, bit-packed: step `t` is a row of `⌈C/64⌉` 64-bit
/// words, channel `c` is bit `c % 64` of word `c / 64` (``numpy.packbits(row, bitorder="little")``
/// byte order). A cell holds 1, 0, or -1 (an off spike, as ``delta(off_spike=True)`` emits).
///
/// ``SpikeRaster(data)`` packs a time-first 2-D array of 0/1/-1 (any numeric or bool dtype);
/// ``to_dense()`` / ``numpy.asarray(raster)`` unpack it; ``packed`` is a zero-copy view of the
/// bits. Immutable; pickles through the neuroquant container (kind ``spike_raster``).
#[pyclass(name = "SpikeRaster", module = "neuroquant.spike", frozen, eq)]
#[derive(PartialEq)]
pub struct PyRaster {
    pub(crate) inner: SpikeRaster,
}

/// A raster from a dense 2-D array or a `SpikeRaster` (for the functions taking either).
pub(crate) fn raster_arg(argument: &'static str, obj: &Bound<'_, PyAny>) -> PyResult<SpikeRaster> {
    if let Ok(r) = obj.cast::<PyRaster>() {
        return Ok(r.get().inner.clone());
    }
    let a = float_array(argument, obj)?;
    let shape = a.shape().to_vec();
    let [t, c] = shape[..] else {
        return Err(invalid_argument(
            argument,
            format!("must be a SpikeRaster or a 2-D (time, channel) array, got shape {shape:?}"),
        ));
    };
    let data = crate::arrays::contiguous(&a);
    SpikeRaster::from_dense(t, c, &data).or_raise()
}

#[pymethods]
impl PyRaster {
    #[new]
    fn new(data: &Bound<'_, PyAny>) -> PyResult<Self> {
        Ok(PyRaster {
            inner: raster_arg("data", data)?,
        })
    }

    /// A silent raster of `num_steps × num_channels`.
    #[staticmethod]
    fn zeros(num_steps: usize, num_channels: usize) -> PyResult<Self> {
        Ok(PyRaster {
            inner: SpikeRaster::new(num_steps, num_channels).or_raise()?,
        })
    }

    /// The raster of a `SpikeEvents` (lossless; two events in one cell are an error).
    #[staticmethod]
    fn from_events(events: PyRef<'_, PyEvents>) -> PyResult<Self> {
        Ok(PyRaster {
            inner: SpikeRaster::from_events(&events.inner).or_raise()?,
        })
    }

    /// Time steps.
    #[getter]
    fn num_steps(&self) -> usize {
        self.inner.num_steps()
    }

    /// Channels.
    #[getter]
    fn num_channels(&self) -> usize {
        self.inner.num_channels()
    }

    /// `(num_steps, num_channels)`.
    #[getter]
    fn shape(&self) -> (usize, usize) {
        (self.inner.num_steps(), self.inner.num_channels())
    }

    /// Whether the raster holds off spikes (-1).
    #[getter]
    fn signed(&self) -> bool {
        self.inner.is_signed()
    }

    /// Zero-copy read-only view of the on-spike bits: uint8 `(num_steps, 8·⌈C/64⌉)`, unpacked by
    /// ``numpy.unpackbits(packed, axis=1, bitorder="little")[:, :num_channels]``.
    #[getter]
    fn packed<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyAny>> {
        let r = &slf.get().inner;
        let v = ArrayView2::from_shape((r.num_steps(), r.words_per_step()), r.on_words()).expect("row-major");
        view(slf.as_any(), v)?.call_method1("view", ("<u1",))
    }

    /// Zero-copy read-only view of the off-spike bits (same layout as `packed`; all zero for an
    /// unsigned raster).
    #[getter]
    fn off_packed<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyAny>> {
        let r = &slf.get().inner;
        if r.off_words().is_empty() {
            let z = numpy::PyArray2::<u8>::zeros(slf.py(), (r.num_steps(), 8 * r.words_per_step()), false);
            return Ok(z.into_any());
        }
        let v =
            ArrayView2::from_shape((r.num_steps(), r.words_per_step()), r.off_words()).expect("row-major");
        view(slf.as_any(), v)?.call_method1("view", ("<u1",))
    }

    /// The dense `(num_steps, num_channels)` array of 1/0/-1 in `dtype` (int8 by default; any
    /// float or signed integer dtype, or bool).
    #[pyo3(signature = (dtype = None))]
    fn to_dense<'py>(
        &self,
        py: Python<'py>,
        dtype: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let shape = (self.inner.num_steps(), self.inner.num_channels());
        let dense = py.detach(|| self.inner.to_dense::<i8>()).or_raise()?;
        let arr = dense.into_pyarray(py).reshape(shape)?.into_any();
        match dtype {
            None => Ok(arr),
            Some(d) => arr.call_method1("astype", (d,)),
        }
    }

    #[pyo3(signature = (dtype = None, copy = None))]
    fn __array__<'py>(
        &self,
        py: Python<'py>,
        dtype: Option<&Bound<'py, PyAny>>,
        copy: Option<bool>,
    ) -> PyResult<Bound<'py, PyAny>> {
        if copy == Some(false) {
            return Err(invalid_argument(
                "copy",
                "a raster is bit-packed: a dense array is always a copy".into(),
            ));
        }
        self.to_dense(py, dtype)
    }

    /// The cell's value (1, 0 or -1).
    fn __getitem__(&self, index: (i64, i64)) -> PyResult<i8> {
        let t = neuroquant::error::check::index("t", index.0, self.inner.num_steps())
            .map_err(|e| crate::errors::to_pyerr(e.into()))?;
        let c = neuroquant::error::check::index("c", index.1, self.inner.num_channels())
            .map_err(|e| crate::errors::to_pyerr(e.into()))?;
        Ok(self.inner.polarity(t, c))
    }

    /// The channels spiking (either polarity) at step `t`, increasing, as int64.
    fn active<'py>(&self, py: Python<'py>, t: i64) -> PyResult<Bound<'py, PyArray1<i64>>> {
        let t = neuroquant::error::check::index("t", t, self.inner.num_steps())
            .map_err(|e| crate::errors::to_pyerr(e.into()))?;
        Ok(self
            .inner
            .active(t)
            .map(|c| c as i64)
            .collect::<Vec<_>>()
            .into_pyarray(py))
    }

    /// Total number of spikes.
    fn count(&self) -> u64 {
        self.inner.count()
    }

    /// Spikes per channel.
    fn counts<'py>(&self, py: Python<'py>) -> Bound<'py, PyArray1<u64>> {
        self.inner.counts_per_channel().into_pyarray(py)
    }

    /// The spikes as `SpikeEvents` (by step, then channel).
    fn to_events(&self) -> PyEvents {
        PyEvents {
            inner: self.inner.to_events(),
        }
    }

    /// The raster in the neuroquant container format (kind ``spike_raster``).
    fn to_bytes<'py>(&self, py: Python<'py>) -> Bound<'py, PyBytes> {
        PyBytes::new(py, &self.inner.to_bytes())
    }

    /// Reads a raster written by `to_bytes` (from any surface).
    #[staticmethod]
    fn from_bytes(data: &[u8]) -> PyResult<Self> {
        Ok(PyRaster {
            inner: SpikeRaster::from_bytes(data).or_raise()?,
        })
    }

    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyTuple>> {
        let py = slf.py();
        let restore = py.get_type::<PyRaster>().getattr("from_bytes")?;
        let args = PyTuple::new(py, [slf.get().to_bytes(py)])?;
        PyTuple::new(py, [restore, args.into_any()])
    }

    fn __repr__(&self) -> String {
        format!(
            "SpikeRaster(num_steps={}, num_channels={}, spikes={})",
            self.inner.num_steps(),
            self.inner.num_channels(),
            self.inner.count()
        )
    }
}

/// Spikes as an address-event list: event `i` is channel `channels[i]` firing at step `times[i]`
/// with polarity `polarities[i]` (1 or -1), on a grid of `num_steps × num_channels`. The arrays are
/// zero-copy read-only views; ``to_structured()`` gives a Tonic-style structured array.
/// Immutable; pickles through the neuroquant container (kind ``spike_events``).
#[pyclass(name = "SpikeEvents", module = "neuroquant.spike", frozen, eq)]
#[derive(PartialEq)]
pub struct PyEvents {
    pub(crate) inner: SpikeEvents,
}

#[pymethods]
impl PyEvents {
    /// `num_steps` and `num_channels` default to one past the largest time and channel.
    #[new]
    #[pyo3(signature = (times, channels, polarities = None, num_steps = None, num_channels = None))]
    fn new(
        times: &Bound<'_, PyAny>,
        channels: &Bound<'_, PyAny>,
        polarities: Option<&Bound<'_, PyAny>>,
        num_steps: Option<u64>,
        num_channels: Option<u32>,
    ) -> PyResult<Self> {
        let times = ints::<u64>("times", times)?;
        let channels = ints::<u32>("channels", channels)?;
        let polarities = match polarities {
            Some(p) => ints::<i8>("polarities", p)?,
            None => vec![1; times.len()],
        };
        let num_steps = num_steps.unwrap_or_else(|| times.iter().max().map_or(0, |m| m.saturating_add(1)));
        let num_channels =
            num_channels.unwrap_or_else(|| channels.iter().max().map_or(0, |m| m.saturating_add(1)));
        Ok(PyEvents {
            inner: SpikeEvents::new(num_steps, num_channels, times, channels, polarities).or_raise()?,
        })
    }

    /// Time step of each event (uint64, read-only view).
    #[getter]
    fn times<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyArray1<u64>>> {
        view(slf.as_any(), ArrayView1::from(slf.get().inner.times()))
    }

    /// Channel (address) of each event (uint32, read-only view).
    #[getter]
    fn channels<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyArray1<u32>>> {
        view(slf.as_any(), ArrayView1::from(slf.get().inner.channels()))
    }

    /// Polarity of each event (int8, read-only view).
    #[getter]
    fn polarities<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyArray1<i8>>> {
        view(slf.as_any(), ArrayView1::from(slf.get().inner.polarities()))
    }

    /// Time steps of the grid.
    #[getter]
    fn num_steps(&self) -> u64 {
        self.inner.num_steps()
    }

    /// Channels of the grid.
    #[getter]
    fn num_channels(&self) -> u32 {
        self.inner.num_channels()
    }

    fn __len__(&self) -> usize {
        self.inner.len()
    }

    /// The events in canonical order (by step, then channel), as a new object.
    fn sorted(&self) -> Self {
        let mut inner = self.inner.clone();
        inner.sort();
        PyEvents { inner }
    }

    /// The raster of these events.
    fn to_raster(&self) -> PyResult<PyRaster> {
        Ok(PyRaster {
            inner: self.inner.to_raster().or_raise()?,
        })
    }

    /// A Tonic-style structured array with fields ``x`` (channel), ``t`` (step) and ``p``
    /// (polarity, 1 or -1), a copy.
    fn to_structured<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyAny>> {
        let py = slf.py();
        let np = py.import("numpy")?;
        let dtype = np.call_method1("dtype", (vec![("x", "<u4"), ("t", "<u8"), ("p", "i1")],))?;
        let out = np.call_method1("empty", (slf.get().inner.len(), dtype))?;
        out.set_item("x", Self::channels(slf)?)?;
        out.set_item("t", Self::times(slf)?)?;
        out.set_item("p", Self::polarities(slf)?)?;
        Ok(out)
    }

    /// The events in the neuroquant container format (kind ``spike_events``).
    fn to_bytes<'py>(&self, py: Python<'py>) -> Bound<'py, PyBytes> {
        PyBytes::new(py, &self.inner.to_bytes())
    }

    /// Reads events written by `to_bytes` (from any surface).
    #[staticmethod]
    fn from_bytes(data: &[u8]) -> PyResult<Self> {
        Ok(PyEvents {
            inner: SpikeEvents::from_bytes(data).or_raise()?,
        })
    }

    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyTuple>> {
        let py = slf.py();
        let restore = py.get_type::<PyEvents>().getattr("from_bytes")?;
        let args = PyTuple::new(py, [slf.get().to_bytes(py)])?;
        PyTuple::new(py, [restore, args.into_any()])
    }

    fn __repr__(&self) -> String {
        format!(
            "SpikeEvents(len={}, num_steps={}, num_channels={})",
            self.inner.len(),
            self.inner.num_steps(),
            self.inner.num_channels()
        )
    }
}

/// A 1-D integer array-like as `T` (values outside `T`'s range are an error naming `argument`).
fn ints<T: TryFrom<i64>>(argument: &'static str, obj: &Bound<'_, PyAny>) -> PyResult<Vec<T>> {
    let a = crate::arrays::index_array(argument, obj)?;
    crate::arrays::one_dimensional(argument, &a)?;
    crate::arrays::contiguous(&a)
        .iter()
        .enumerate()
        .map(|(i, &v)| {
            T::try_from(v)
                .map_err(|_| invalid_argument(argument, format!("element {i} is {v}, out of range")))
        })
        .collect()
}

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyRaster>()?;
    m.add_class::<PyEvents>()?;
    Ok(())
}
