//! numpy arguments: zero-copy views of contiguous arrays, integer dtypes dispatched without
//! lossy casts.

use crate::errors::{OrRaise, invalid_argument};
use numpy::{PyArrayDescrMethods, PyArrayDyn, PyArrayMethods, PyReadonlyArrayDyn, PyUntypedArrayMethods};
use pyo3::prelude::*;
use std::borrow::Cow;

/// A borrowed numpy array of one of the accepted sample dtypes.
pub(crate) enum IntArray<'py> {
    I8(PyReadonlyArrayDyn<'py, i8>),
    I16(PyReadonlyArrayDyn<'py, i16>),
    I32(PyReadonlyArrayDyn<'py, i32>),
    I64(PyReadonlyArrayDyn<'py, i64>),
    U8(PyReadonlyArrayDyn<'py, u8>),
}

/// Applies `$body` to the contiguous data (`$data: Cow<[T]>`) of whichever dtype `$arr` holds.
macro_rules! with_int_data {
    ($arr:expr, |$data:ident| $body:expr) => {
        match $arr {
            $crate::arrays::IntArray::I8(a) => {
                let $data = $crate::arrays::contiguous(a);
                $body
            }
            $crate::arrays::IntArray::I16(a) => {
                let $data = $crate::arrays::contiguous(a);
                $body
            }
            $crate::arrays::IntArray::I32(a) => {
                let $data = $crate::arrays::contiguous(a);
                $body
            }
            $crate::arrays::IntArray::I64(a) => {
                let $data = $crate::arrays::contiguous(a);
                $body
            }
            $crate::arrays::IntArray::U8(a) => {
                let $data = $crate::arrays::contiguous(a);
                $body
            }
        }
    };
}
pub(crate) use with_int_data;

impl<'py> IntArray<'py> {
    /// Any array-like of integers (numpy array of an integer or bool dtype, or nested sequences);
    /// floats are refused (indices are never truncated).
    pub(crate) fn extract(argument: &'static str, obj: &Bound<'py, PyAny>) -> PyResult<Self> {
        Self::extract_with(argument, obj, false)
    }

    /// Samples as dimod takes them: [`extract`](Self::extract)'s arrays plus float arrays whose
    /// values are exactly ±1/0 (`numpy.sign(x)`).
    pub(crate) fn samples(argument: &'static str, obj: &Bound<'py, PyAny>) -> PyResult<Self> {
        Self::extract_with(argument, obj, true)
    }

    fn extract_with(argument: &'static str, obj: &Bound<'py, PyAny>, floats: bool) -> PyResult<Self> {
        let py = obj.py();
        let arr = if obj.is_instance_of::<numpy::PyUntypedArray>() {
            obj.clone()
        } else {
            py.import("numpy")?.call_method1("asarray", (obj,))?
        };
        let arr = arr.cast_into::<numpy::PyUntypedArray>().map_err(PyErr::from)?;
        let kind = arr.dtype().kind();
        if kind == b'f' && floats {
            // Floats that are exactly ±1/0 (numpy.sign(x)), as dimod accepts them; the core
            // refuses any other value.
            let shape = arr.shape().to_vec();
            let as_f64 = arr.call_method1("astype", ("float64",))?;
            let as_f64 = py.import("numpy")?.call_method1("ascontiguousarray", (as_f64,))?;
            let data = as_f64
                .cast_into::<PyArrayDyn<f64>>()?
                .readonly()
                .as_slice()?
                .to_vec();
            let values = neuroquant::qubo::exact_sample_values(argument, &data).or_raise()?;
            let a = numpy::IntoPyArray::into_pyarray(values, py).call_method1("reshape", (shape,))?;
            return Ok(IntArray::I8(a.cast_into::<PyArrayDyn<i8>>()?.readonly()));
        }
        if kind == b'u' && arr.dtype().itemsize() > 1 {
            // Wider unsigned dtypes as int64; a value above i64::MAX is refused, not wrapped.
            if arr.dtype().itemsize() == 8 && arr.len() > 0 {
                let max: u64 = arr.call_method0("max")?.extract()?;
                if max > i64::MAX as u64 {
                    return Err(invalid_argument(
                        argument,
                        format!("value {max} is out of range (above {})", i64::MAX),
                    ));
                }
            }
            let as_i64 = arr.call_method1("astype", ("int64",))?;
            return Ok(IntArray::I64(as_i64.cast_into::<PyArrayDyn<i64>>()?.readonly()));
        }
        if kind == b'b' {
            let as_u8 = arr.call_method1("astype", ("uint8",))?;
            return Ok(IntArray::U8(as_u8.cast_into::<PyArrayDyn<u8>>()?.readonly()));
        }
        macro_rules! try_dtype {
            ($t:ty, $v:ident) => {
                if let Ok(a) = arr.cast::<PyArrayDyn<$t>>() {
                    return Ok(IntArray::$v(a.readonly()));
                }
            };
        }
        try_dtype!(i8, I8);
        try_dtype!(i16, I16);
        try_dtype!(i32, I32);
        try_dtype!(i64, I64);
        try_dtype!(u8, U8);
        Err(invalid_argument(
            argument,
            format!(
                "dtype {} is not supported, must be an integer array (int8 preferred)",
                arr.dtype().str()?
            ),
        ))
    }

    pub(crate) fn shape(&self) -> Vec<usize> {
        match self {
            IntArray::I8(a) => a.shape().to_vec(),
            IntArray::I16(a) => a.shape().to_vec(),
            IntArray::I32(a) => a.shape().to_vec(),
            IntArray::I64(a) => a.shape().to_vec(),
            IntArray::U8(a) => a.shape().to_vec(),
        }
    }
}

/// The array's elements in row-major order: borrowed when contiguous, copied otherwise.
pub(crate) fn contiguous<'a, T: numpy::Element + Clone, D: numpy::ndarray::Dimension>(
    a: &'a numpy::PyReadonlyArray<'_, T, D>,
) -> Cow<'a, [T]> {
    // `as_slice` also accepts Fortran order, whose memory order is not row-major.
    match a.as_slice() {
        Ok(s) if a.is_c_contiguous() => Cow::Borrowed(s),
        _ => Cow::Owned(a.as_array().iter().cloned().collect()),
    }
}

/// A real-valued array-like as float64, zero-copy when it already is one. Other arrays are cast by
/// numpy (bool, integer and float dtypes only: complex, object or string data is an error rather
/// than a silent conversion).
pub(crate) fn float_array<'py>(
    argument: &'static str,
    obj: &Bound<'py, PyAny>,
) -> PyResult<numpy::PyReadonlyArrayDyn<'py, f64>> {
    if let Ok(a) = obj.cast::<PyArrayDyn<f64>>() {
        return Ok(a.readonly());
    }
    let arr = numeric(argument, obj, b"biuf", "real numbers")?;
    Ok(arr
        .call_method1("astype", ("float64",))?
        .cast_into::<PyArrayDyn<f64>>()?
        .readonly())
}

/// An integer array-like (indices) as int64, zero-copy when it already is one. Floats are an error
/// (never truncated), as are unsigned values above `i64::MAX`; an empty array of any dtype is fine.
pub(crate) fn index_array<'py>(
    argument: &'static str,
    obj: &Bound<'py, PyAny>,
) -> PyResult<numpy::PyReadonlyArrayDyn<'py, i64>> {
    if let Ok(a) = obj.cast::<PyArrayDyn<i64>>() {
        return Ok(a.readonly());
    }
    let py = obj.py();
    let arr = py.import("numpy")?.call_method1("asarray", (obj,))?;
    let untyped = arr.cast::<numpy::PyUntypedArray>().map_err(PyErr::from)?;
    let arr = if untyped.len() == 0 {
        arr
    } else {
        let arr = numeric(argument, obj, b"iu", "integers")?;
        let dtype = arr.cast::<numpy::PyUntypedArray>().map_err(PyErr::from)?.dtype();
        if dtype.kind() == b'u' && dtype.itemsize() == 8 {
            let max: u64 = arr.call_method0("max")?.extract()?;
            if max > i64::MAX as u64 {
                return Err(invalid_argument(argument, format!("index {max} is out of range")));
            }
        }
        arr
    };
    Ok(arr
        .call_method1("astype", ("int64",))?
        .cast_into::<PyArrayDyn<i64>>()?
        .readonly())
}

/// `numpy.asarray(obj)`, checked to have one of the dtype `kinds`.
fn numeric<'py>(
    argument: &'static str,
    obj: &Bound<'py, PyAny>,
    kinds: &[u8],
    what: &str,
) -> PyResult<Bound<'py, PyAny>> {
    let arr = obj.py().import("numpy")?.call_method1("asarray", (obj,))?;
    let dtype = arr.cast::<numpy::PyUntypedArray>().map_err(PyErr::from)?.dtype();
    if !kinds.contains(&dtype.kind()) {
        return Err(invalid_argument(
            argument,
            format!("must be {what}, got an array of dtype {}", dtype.str()?),
        ));
    }
    Ok(arr)
}

/// Checks an array is one-dimensional.
pub(crate) fn one_dimensional<T: numpy::Element>(
    argument: &'static str,
    a: &numpy::PyReadonlyArrayDyn<'_, T>,
) -> PyResult<()> {
    match a.shape() {
        [_] => Ok(()),
        s => Err(invalid_argument(
            argument,
            format!("must be one-dimensional, got shape {s:?}"),
        )),
    }
}
