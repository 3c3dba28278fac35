//! Arrays of the reservoir area: time-first series (one `(T, F)` array, a `(S, T, F)` array or
//! a list of arrays), weight matrices (numpy or scipy.sparse) ↔ core `Csr`, outputs as numpy.

use crate::arrays::{contiguous, float_array};
use crate::errors::{OrRaise, invalid_argument};
use neuroquant::reservoir::Csr;
use numpy::{IntoPyArray, PyArrayMethods, PyUntypedArrayMethods};
use pyo3::prelude::*;
use pyo3::types::{PyList, PyTuple};

/// One series: row-major data, rows, columns. The data is the caller's numpy buffer itself
/// (no copy) when it already is C-contiguous float64; other arrays (Fortran order, strided views,
/// other dtypes, lists) are converted once into an owned buffer.
pub(crate) struct Rows<'py> {
    data: Data<'py>,
    pub rows: usize,
    pub cols: usize,
}

enum Data<'py> {
    /// A C-contiguous float64 array and the range of its elements that is this series.
    Borrowed(numpy::PyReadonlyArrayDyn<'py, f64>, std::ops::Range<usize>),
    Owned(Vec<f64>),
}

impl Rows<'_> {
    /// The `rows × cols` values, row-major.
    pub(crate) fn data(&self) -> &[f64] {
        match &self.data {
            // `as_slice` succeeds on every C-contiguous array, the only kind stored borrowed.
            Data::Borrowed(a, range) => a.as_slice().map_or(&[][..], |s| &s[range.clone()]),
            Data::Owned(v) => v,
        }
    }
}

/// The elements of `a` in row-major order: the array itself when C-contiguous, else a copy.
fn row_major<'py>(a: numpy::PyReadonlyArrayDyn<'py, f64>, range: std::ops::Range<usize>) -> Data<'py> {
    if a.is_c_contiguous() && a.as_slice().is_ok() {
        Data::Borrowed(a, range)
    } else {
        let all: Vec<f64> = a.as_array().iter().copied().collect();
        // One copy: the whole array is the usual range.
        Data::Owned(if range == (0..all.len()) {
            all
        } else {
            all[range].to_vec()
        })
    }
}

/// A 1-D `(T,)` (one feature) or 2-D `(T, F)` array.
pub(crate) fn rows<'py>(argument: &'static str, obj: &Bound<'py, PyAny>) -> PyResult<Rows<'py>> {
    let a = float_array(argument, obj)?;
    let shape = a.shape().to_vec();
    let (rows, cols) = match shape[..] {
        [t] => (t, 1),
        [t, f] => (t, f),
        _ => {
            return Err(invalid_argument(
                argument,
                format!("must be a (timesteps, features) array, got shape {shape:?}"),
            ));
        }
    };
    Ok(Rows {
        data: row_major(a, 0..rows * cols),
        rows,
        cols,
    })
}

/// Several series: a list or tuple of arrays, or a 3-D `(series, T, F)` array; `true` when the
/// caller gave several (so results come back as a list).
pub(crate) fn series<'py>(
    argument: &'static str,
    obj: &Bound<'py, PyAny>,
) -> PyResult<(Vec<Rows<'py>>, bool)> {
    if obj.is_instance_of::<PyList>() || obj.is_instance_of::<PyTuple>() {
        let items = obj
            .try_iter()?
            .map(|item| rows(argument, &item?))
            .collect::<PyResult<Vec<_>>>()?;
        return Ok((items, true));
    }
    let a = float_array(argument, obj)?;
    if a.ndim() == 3 {
        let shape = a.shape().to_vec();
        let per = shape[1] * shape[2];
        let items = if a.is_c_contiguous() && a.as_slice().is_ok() {
            (0..shape[0])
                .map(|s| Rows {
                    data: Data::Borrowed(a.clone(), s * per..(s + 1) * per),
                    rows: shape[1],
                    cols: shape[2],
                })
                .collect()
        } else {
            let all: Vec<f64> = a.as_array().iter().copied().collect();
            (0..shape[0])
                .map(|s| Rows {
                    data: Data::Owned(all[s * per..(s + 1) * per].to_vec()),
                    rows: shape[1],
                    cols: shape[2],
                })
                .collect()
        };
        return Ok((items, true));
    }
    Ok((vec![rows(argument, obj)?], false))
}

/// A `(rows, cols)` float64 numpy array from row-major data.
pub(crate) fn array2<'py>(
    py: Python<'py>,
    data: Vec<f64>,
    rows: usize,
    cols: usize,
) -> PyResult<Bound<'py, PyAny>> {
    Ok(data.into_pyarray(py).reshape([rows, cols])?.into_any())
}

/// Results for several series: a list when the caller gave a list, else the only one.
pub(crate) fn one_or_list<'py>(
    py: Python<'py>,
    mut items: Vec<Bound<'py, PyAny>>,
    many: bool,
) -> PyResult<Bound<'py, PyAny>> {
    if many {
        Ok(PyList::new(py, items)?.into_any())
    } else {
        Ok(items.remove(0))
    }
}

/// A weight matrix: a scipy.sparse matrix or array (any format, read as CSR) or a dense 2-D
/// array-like.
pub(crate) fn matrix(argument: &'static str, obj: &Bound<'_, PyAny>) -> PyResult<Csr> {
    if obj.hasattr("tocsr")? && obj.hasattr("nnz")? {
        let csr = obj.call_method0("tocsr")?;
        let shape: (usize, usize) = csr.getattr("shape")?.extract()?;
        let indptr = crate::arrays::index_array(argument, &csr.getattr("indptr")?)?;
        let indices = crate::arrays::index_array(argument, &csr.getattr("indices")?)?;
        let data = float_array(argument, &csr.getattr("data")?)?;
        let indptr: Vec<usize> = contiguous(&indptr)
            .iter()
            .map(|&p| {
                usize::try_from(p)
                    .map_err(|_| invalid_argument(argument, format!("indptr entry {p} is negative")))
            })
            .collect::<PyResult<_>>()?;
        let indices: Vec<u32> = contiguous(&indices)
            .iter()
            .map(|&j| {
                u32::try_from(j)
                    .map_err(|_| invalid_argument(argument, format!("column index {j} is out of range")))
            })
            .collect::<PyResult<_>>()?;
        return Csr::new(shape.0, shape.1, indptr, indices, contiguous(&data).into_owned()).or_raise();
    }
    let r = rows(argument, obj)?;
    if float_array(argument, obj)?.ndim() != 2 {
        return Err(invalid_argument(argument, "must be a 2-D matrix".into()));
    }
    Csr::from_dense(argument, r.rows, r.cols, r.data()).or_raise()
}

/// A core matrix for Python: a `scipy.sparse.csr_matrix` when scipy is installed (as
/// ReservoirPy returns), else a dense numpy array.
pub(crate) fn to_python<'py>(py: Python<'py>, m: &Csr) -> PyResult<Bound<'py, PyAny>> {
    match py.import("scipy.sparse") {
        Ok(sparse) => {
            let data = m.data().to_vec().into_pyarray(py);
            let indices: Vec<i32> = m.indices().iter().map(|&j| j as i32).collect();
            let indptr: Vec<i64> = m.indptr().iter().map(|&p| p as i64).collect();
            let args = PyTuple::new(
                py,
                [
                    data.into_any(),
                    indices.into_pyarray(py).into_any(),
                    indptr.into_pyarray(py).into_any(),
                ],
            )?;
            let kwargs = pyo3::types::PyDict::new(py);
            kwargs.set_item("shape", (m.rows(), m.cols()))?;
            sparse.call_method("csr_matrix", (args,), Some(&kwargs))
        }
        Err(_) => array2(py, m.to_dense(), m.rows(), m.cols()),
    }
}

/// A 1-D float sample.
pub(crate) fn vector(argument: &'static str, obj: &Bound<'_, PyAny>) -> PyResult<Vec<f64>> {
    let a = float_array(argument, obj)?;
    let len = a.len();
    if a.ndim() > 2 || (a.ndim() == 2 && a.shape()[0] != 1) {
        return Err(invalid_argument(
            argument,
            format!("must be one timestep (features,), got shape {:?}", a.shape()),
        ));
    }
    let v = contiguous(&a).into_owned();
    debug_assert_eq!(v.len(), len);
    Ok(v)
}

/// The keyword arguments of `owner(*args, **kwargs)` with the positional `args` named after the
/// first `positional` keywords of `P` (ReservoirPy's order: `Reservoir(100, 0.3)` is
/// `units=100, lr=0.3`); Python's own TypeErrors for too many or repeated arguments.
pub(crate) fn named_arguments<'py, P: neuroquant::params::KeywordArgs>(
    owner: &str,
    args: &Bound<'py, PyTuple>,
    kwargs: Option<&Bound<'py, pyo3::types::PyDict>>,
    positional: usize,
) -> PyResult<Option<Bound<'py, pyo3::types::PyDict>>> {
    if args.is_empty() {
        return Ok(kwargs.cloned());
    }
    if args.len() > positional {
        return Err(pyo3::exceptions::PyTypeError::new_err(format!(
            "{owner}() takes at most {positional} positional argument{} ({} given)",
            if positional == 1 { "" } else { "s" },
            args.len()
        )));
    }
    let named = match kwargs {
        Some(d) => d.copy()?,
        None => pyo3::types::PyDict::new(args.py()),
    };
    for (value, keyword) in args.iter().zip(P::keywords()) {
        let name = keyword.name();
        if named.contains(name)? {
            return Err(pyo3::exceptions::PyTypeError::new_err(format!(
                "{owner}() got multiple values for argument '{name}'"
            )));
        }
        named.set_item(name, value)?;
    }
    Ok(Some(named))
}
