//! Arguments the generators share: float arrays, edge lists in their several forms, and one
//! sample of a model (array in variable order or mapping by label).

use super::super::bqm::PyBqm;
use super::super::labels::Labels;
use crate::arrays::{IntArray, with_int_data};
use crate::errors::{OrRaise, invalid_argument, to_pyerr};
use neuroquant::ArgumentError;
use neuroquant::error::check;
use neuroquant::qubo::{Bqm, SampleValue};
use numpy::{IntoPyArray, PyUntypedArray, PyUntypedArrayMethods};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyTuple};

fn dimension(argument: &'static str, expected: usize, got: usize) -> PyErr {
    to_pyerr(
        ArgumentError::DimensionMismatch {
            argument,
            expected,
            got,
        }
        .into(),
    )
}

/// A float64 array-like as `(data in row-major order, shape)`.
pub(crate) fn floats(argument: &'static str, obj: &Bound<'_, PyAny>) -> PyResult<(Vec<f64>, Vec<usize>)> {
    let arr = crate::arrays::float_array(argument, obj)?;
    let shape = arr.shape().to_vec();
    Ok((crate::arrays::contiguous(&arr).into_owned(), shape))
}

/// A one-dimensional float array-like.
pub(crate) fn floats_1d(argument: &'static str, obj: &Bound<'_, PyAny>) -> PyResult<Vec<f64>> {
    let (data, shape) = floats(argument, obj)?;
    if shape.len() != 1 {
        return Err(invalid_argument(
            argument,
            format!("must be one-dimensional, got shape {shape:?}"),
        ));
    }
    Ok(data)
}

/// A two-dimensional float array-like, row-major, with its shape.
pub(crate) fn floats_2d(argument: &'static str, obj: &Bound<'_, PyAny>) -> PyResult<(Vec<f64>, [usize; 2])> {
    let (data, shape) = floats(argument, obj)?;
    match shape[..] {
        [r, c] => Ok((data, [r, c])),
        _ => Err(invalid_argument(
            argument,
            format!("must be two-dimensional, got shape {shape:?}"),
        )),
    }
}

/// A float argument or array as a float64 numpy array (for attributes and pickling).
pub(crate) fn array<'py, T: numpy::Element>(py: Python<'py>, data: Vec<T>) -> Py<PyAny> {
    data.into_pyarray(py).into_any().unbind()
}

/// Indices as an int64 array.
pub(crate) fn indices(py: Python<'_>, v: Vec<u32>) -> Py<PyAny> {
    array(py, v.into_iter().map(i64::from).collect::<Vec<_>>())
}

/// A model with the given labels (one per variable, distinct) as a Python `Bqm`.
pub(crate) fn labelled(py: Python<'_>, bqm: Bqm, labels: Vec<Py<PyAny>>) -> PyResult<Py<PyBqm>> {
    let labels = Labels::from_list(py, labels)?;
    Py::new(py, PyBqm { inner: bqm, labels })
}

/// Edges as parallel arrays; `weights` only when the input had them.
pub(crate) struct Edges {
    pub(crate) rows: Vec<u32>,
    pub(crate) cols: Vec<u32>,
    pub(crate) weights: Option<Vec<f64>>,
}

/// Node `value` (an integral number) of edge input, checked against `num_nodes`.
fn node(value: f64, num_nodes: usize) -> PyResult<u32> {
    if value.fract() != 0.0 || !value.is_finite() {
        return Err(invalid_argument(
            "edges",
            format!("node {value} is not an integer"),
        ));
    }
    let i = check::index(
        "edges",
        value.clamp(i64::MIN as f64, i64::MAX as f64) as i64,
        num_nodes,
    )
    .or_raise()?;
    Ok(i as u32)
}

fn int_nodes(argument: &'static str, obj: &Bound<'_, PyAny>, num_nodes: usize) -> PyResult<Vec<u32>> {
    let arr = IntArray::extract(argument, obj)?;
    let shape = arr.shape();
    if shape.len() != 1 {
        return Err(invalid_argument(
            argument,
            format!("must be one-dimensional, got shape {shape:?}"),
        ));
    }
    with_int_data!(&arr, |data| data
        .iter()
        .map(|&v| {
            let v = v.to_i64();
            check::index(argument, v, num_nodes).map(|i| i as u32).or_raise()
        })
        .collect())
}

/// Edges given as `(rows, cols[, weights])` numpy arrays, an `(m, 2)` or `(m, 3)` array, or an
/// iterable of `(u, v[, w])`; nodes are 0-based indices below `num_nodes`.
pub(crate) fn edges_arg(edges: &Bound<'_, PyAny>, num_nodes: usize) -> PyResult<Edges> {
    if let Ok(t) = edges.cast::<PyTuple>()
        && (t.len() == 2 || t.len() == 3)
        && t.iter().all(|a| a.is_instance_of::<PyUntypedArray>())
    {
        let rows = int_nodes("edges", &t.get_item(0)?, num_nodes)?;
        let cols = int_nodes("edges", &t.get_item(1)?, num_nodes)?;
        check::len("edges", rows.len(), cols.len()).or_raise()?;
        let weights = match t.len() {
            3 => {
                let w = floats_1d("edges", &t.get_item(2)?)?;
                check::len("edges", rows.len(), w.len()).or_raise()?;
                Some(w)
            }
            _ => None,
        };
        return Ok(Edges { rows, cols, weights });
    }
    if let Ok(arr) = edges.cast::<PyUntypedArray>() {
        let (data, [m, k]) = floats_2d("edges", arr)?;
        if k != 2 && k != 3 {
            return Err(invalid_argument(
                "edges",
                format!("an edge array must have 2 or 3 columns (u, v[, w]), got shape ({m}, {k})"),
            ));
        }
        let mut out = Edges {
            rows: Vec::with_capacity(m),
            cols: Vec::with_capacity(m),
            weights: (k == 3).then(|| Vec::with_capacity(m)),
        };
        for row in data.chunks_exact(k) {
            out.rows.push(node(row[0], num_nodes)?);
            out.cols.push(node(row[1], num_nodes)?);
            if let Some(w) = out.weights.as_mut() {
                w.push(row[2]);
            }
        }
        return Ok(out);
    }
    let mut out = Edges {
        rows: Vec::new(),
        cols: Vec::new(),
        weights: None,
    };
    for (k, item) in edges.try_iter()?.enumerate() {
        let item: Vec<Bound<'_, PyAny>> = item?.try_iter()?.collect::<PyResult<_>>()?;
        let value = |x: &Bound<'_, PyAny>| -> PyResult<f64> {
            x.extract::<f64>().or_else(|_| {
                Err(invalid_argument(
                    "edges",
                    format!("edge {k} holds {}, not a number", x.repr()?),
                ))
            })
        };
        match item.len() {
            2 | 3 => {
                out.rows.push(node(value(&item[0])?, num_nodes)?);
                out.cols.push(node(value(&item[1])?, num_nodes)?);
            }
            len => {
                return Err(invalid_argument(
                    "edges",
                    format!("edge {k} has {len} entries, must be (u, v) or (u, v, weight)"),
                ));
            }
        }
        if item.len() == 3 && out.weights.is_none() {
            out.weights = Some(vec![1.0; k]);
        }
        match (&mut out.weights, item.get(2)) {
            (Some(w), Some(x)) => w.push(value(x)?),
            (Some(w), None) => w.push(1.0),
            (None, _) => {}
        }
    }
    Ok(out)
}

/// One sample of `bqm` as values in variable order: a one-dimensional integer array-like (in
/// variable order) or a mapping `{label: value}` (a dict, or a row of a dimod sample set such as
/// `sampleset.first.sample`). Values are checked against the vartype by the core.
pub(crate) fn sample_arg(bqm: &PyBqm, sample: &Bound<'_, PyAny>) -> PyResult<Vec<i64>> {
    let py = sample.py();
    let n = bqm.inner.num_variables();
    let is_mapping = sample.is_instance_of::<PyDict>()
        || sample.is_instance(&py.import("collections.abc")?.getattr("Mapping")?)?;
    if is_mapping {
        let len = sample.len()?;
        if len != n {
            return Err(dimension("sample", n, len));
        }
        let mut out = Vec::with_capacity(n);
        for i in 0..n {
            let label = bqm.labels.label(py, i);
            match sample.get_item(&label) {
                Ok(x) => out.push(x.extract::<i64>().map_err(|_| {
                    invalid_argument(
                        "sample",
                        format!(
                            "the value of {} is not an integer",
                            label.bind(py).repr().map(|r| r.to_string()).unwrap_or_default()
                        ),
                    )
                })?),
                Err(e) if e.is_instance_of::<pyo3::exceptions::PyKeyError>(py) => {
                    return Err(invalid_argument(
                        "sample",
                        format!("missing variable {}", label.bind(py).repr()?),
                    ));
                }
                Err(e) => return Err(e),
            }
        }
        return Ok(out);
    }
    let arr = IntArray::samples("sample", sample)?;
    let shape = arr.shape();
    match shape[..] {
        [len] if len == n => Ok(with_int_data!(&arr, |data| data
            .iter()
            .map(|&v| v.to_i64())
            .collect())),
        [len] => Err(dimension("sample", n, len)),
        _ => Err(invalid_argument(
            "sample",
            format!("must be one sample (one-dimensional), got shape {shape:?}; decode rows one at a time"),
        )),
    }
}

/// `(a, b)` as a label.
pub(crate) fn pair(py: Python<'_>, a: u32, b: u32) -> PyResult<Py<PyAny>> {
    Ok(PyTuple::new(py, [a, b])?.into_any().unbind())
}

/// Labels `("slack", …prefix, i)` for each `i` in `0..count`.
pub(crate) fn slack_labels(py: Python<'_>, prefix: &[u32], count: usize) -> PyResult<Vec<Py<PyAny>>> {
    (0..count)
        .map(|i| {
            let mut items: Vec<Py<PyAny>> = vec!["slack".into_pyobject(py)?.into_any().unbind()];
            for &p in prefix {
                items.push(p.into_pyobject(py)?.into_any().unbind());
            }
            items.push(i.into_pyobject(py)?.into_any().unbind());
            Ok(PyTuple::new(py, items)?.into_any().unbind())
        })
        .collect()
}

/// A `u32` index argument (`num_nodes`, `num_colors`, …) from a non-negative int.
pub(crate) fn count_arg(argument: &'static str, value: i64) -> PyResult<usize> {
    usize::try_from(value).map_err(|_| invalid_argument(argument, format!("must be >= 0, got {value}")))
}

/// An index accessor argument (`v`, `city`, …), negative values rejected with the core's message.
pub(crate) fn index_arg(argument: &'static str, value: i64, len: usize) -> PyResult<u32> {
    check::index(argument, value, len).map(|i| i as u32).or_raise()
}

/// What `__reduce__` returns: a callable and its arguments.
pub(crate) type Reduce<'py> = (Bound<'py, PyAny>, Bound<'py, PyTuple>);

/// The generator function `name` of the native module (what a generator object pickles as).
pub(crate) fn builder<'py>(py: Python<'py>, name: &str) -> PyResult<Bound<'py, PyAny>> {
    py.import("neuroquant._neuroquant")?.getattr(name)
}
