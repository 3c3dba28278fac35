//! `neuroquant.qubo`: the binary quadratic model.

use crate::arrays::{IntArray, contiguous, with_int_data};
use crate::errors::{OrRaise, invalid_argument, to_pyerr};
use neuroquant::ArgumentError;
use neuroquant::error::check;
use neuroquant::qubo::{Bqm, Vartype};
use numpy::{AllowTypeChange, IntoPyArray, PyArray1, PyArrayLike1};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyTuple};

/// Batches above this many values are evaluated with the GIL released.
const DETACH_VALUES: usize = 1 << 14;

/// A vartype given as a string (`"SPIN"`, `"BINARY"`, any case) or an object whose `name` is one
/// (such as `dimod.Vartype.SPIN`).
pub(crate) fn vartype_arg(obj: &Bound<'_, PyAny>) -> PyResult<Vartype> {
    let name: String = match obj.extract::<String>() {
        Ok(s) => s,
        Err(_) => match obj.getattr("name").and_then(|n| n.extract::<String>()) {
            Ok(s) => s,
            Err(_) => {
                return Err(invalid_argument(
                    "vartype",
                    format!("{} is not a vartype, must be \"SPIN\" or \"BINARY\"", obj.repr()?),
                ));
            }
        },
    };
    name.parse::<Vartype>().map_err(|e| to_pyerr(e.into()))
}

/// A binary quadratic model over variables `0..num_variables` (dimod's model):
/// `E(x) = offset + Σ_v linear[v] x_v + Σ_{u<v} quadratic[u, v] x_u x_v`.
#[pyclass(name = "Bqm", module = "neuroquant.qubo", eq)]
#[derive(Clone, PartialEq)]
pub struct PyBqm {
    pub(crate) inner: Bqm,
}

#[pymethods]
impl PyBqm {
    #[new]
    #[pyo3(signature = (vartype, num_variables = 0))]
    fn new(vartype: &Bound<'_, PyAny>, num_variables: usize) -> PyResult<Self> {
        Ok(PyBqm {
            inner: Bqm::with_variables(vartype_arg(vartype)?, num_variables).or_raise()?,
        })
    }

    /// `"SPIN"` or `"BINARY"`.
    #[getter]
    fn vartype(&self) -> &'static str {
        self.inner.vartype().name()
    }

    #[getter]
    fn num_variables(&self) -> usize {
        self.inner.num_variables()
    }

    #[getter]
    fn num_interactions(&self) -> usize {
        self.inner.num_interactions()
    }

    #[getter]
    fn offset(&self) -> f64 {
        self.inner.offset()
    }

    #[setter]
    fn set_offset(&mut self, offset: f64) -> PyResult<()> {
        self.inner.set_offset(offset).or_raise()
    }

    /// A copy of the linear biases as a float64 array.
    #[getter(linear)]
    fn linear_biases<'py>(&self, py: Python<'py>) -> Bound<'py, PyArray1<f64>> {
        self.inner.linear().to_vec().into_pyarray(py)
    }

    fn __len__(&self) -> usize {
        self.inner.num_variables()
    }

    fn __repr__(&self) -> String {
        format!(
            "Bqm(vartype='{}', num_variables={}, num_interactions={}, offset={})",
            self.inner.vartype(),
            self.inner.num_variables(),
            self.inner.num_interactions(),
            self.inner.offset()
        )
    }

    /// Appends `count` variables with zero bias; returns the index of the first.
    fn add_variables(&mut self, count: usize) -> PyResult<u32> {
        self.inner.add_variables(count).or_raise()
    }

    fn add_offset(&mut self, offset: f64) -> PyResult<()> {
        self.inner.add_offset(offset).or_raise()
    }

    #[pyo3(name = "get_linear")]
    fn linear_bias(&self, v: i64) -> PyResult<f64> {
        self.inner.get_linear(self.index("v", v)?).or_raise()
    }

    fn add_linear(&mut self, v: i64, bias: f64) -> PyResult<()> {
        let v = self.index("v", v)?;
        self.inner.add_linear(v, bias).or_raise()
    }

    fn set_linear(&mut self, v: i64, bias: f64) -> PyResult<()> {
        let v = self.index("v", v)?;
        self.inner.set_linear(v, bias).or_raise()
    }

    /// Adds `biases[v]` to every linear bias (one per variable), all or nothing.
    fn add_linear_from_array(&mut self, biases: PyArrayLike1<'_, f64, AllowTypeChange>) -> PyResult<()> {
        self.inner.add_linear_from(&contiguous(&biases)).or_raise()
    }

    /// Bias of the pair (u, v); `default` when the pair is not stored, or `ValueError` if no
    /// default is given (as in dimod).
    #[pyo3(signature = (u, v, default = None))]
    fn get_quadratic(&self, u: i64, v: i64, default: Option<f64>) -> PyResult<f64> {
        let (u, v) = (self.index("u", u)?, self.index("v", v)?);
        match (self.inner.quadratic(u, v).or_raise()?, default) {
            (Some(b), _) => Ok(b),
            (None, Some(d)) => Ok(d),
            (None, None) => Err(invalid_argument(
                "v",
                format!("there is no interaction between {u} and {v}"),
            )),
        }
    }

    /// Adds `bias` to the pair (u, v); a self-loop folds into linear (BINARY) or offset (SPIN).
    fn add_quadratic(&mut self, u: i64, v: i64, bias: f64) -> PyResult<()> {
        let (u, v) = (self.index("u", u)?, self.index("v", v)?);
        self.inner.add_quadratic(u, v, bias).or_raise()
    }

    fn set_quadratic(&mut self, u: i64, v: i64, bias: f64) -> PyResult<()> {
        let (u, v) = (self.index("u", u)?, self.index("v", v)?);
        self.inner.set_quadratic(u, v, bias).or_raise()
    }

    /// Adds `biases[k]` to every pair `(rows[k], cols[k])` (COO; repeats summed), all or nothing.
    fn add_quadratic_from_arrays(
        &mut self,
        py: Python<'_>,
        rows: PyArrayLike1<'_, u32, AllowTypeChange>,
        cols: PyArrayLike1<'_, u32, AllowTypeChange>,
        biases: PyArrayLike1<'_, f64, AllowTypeChange>,
    ) -> PyResult<()> {
        let (rows, cols, biases) = (contiguous(&rows), contiguous(&cols), contiguous(&biases));
        let inner = &mut self.inner;
        py.detach(|| inner.add_quadratic_from(&rows, &cols, &biases))
            .or_raise()
    }

    /// The pairs as `(rows, cols, biases)` arrays with `rows < cols`, sorted.
    fn quadratic_arrays<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        let m = self.inner.num_interactions();
        let (mut r, mut c, mut b) = (
            Vec::with_capacity(m),
            Vec::with_capacity(m),
            Vec::with_capacity(m),
        );
        for (u, v, x) in self.inner.iter_quadratic() {
            r.push(u);
            c.push(v);
            b.push(x);
        }
        PyTuple::new(
            py,
            [
                r.into_pyarray(py).into_any(),
                c.into_pyarray(py).into_any(),
                b.into_pyarray(py).into_any(),
            ],
        )
    }

    /// Energy of one sample (a 1-D integer array-like, one value per variable).
    fn energy(&self, sample: &Bound<'_, PyAny>) -> PyResult<f64> {
        let arr = IntArray::extract("sample", sample)?;
        let shape = arr.shape();
        if shape.len() != 1 {
            return Err(invalid_argument(
                "sample",
                format!("must be one-dimensional, got shape {shape:?}"),
            ));
        }
        with_int_data!(&arr, |data| self.inner.energy(&data).or_raise())
    }

    /// Energies of samples: a 2-D integer array-like with one row per sample (a 1-D array is one
    /// sample). Returns a float64 array. Large batches release the GIL and use all cores.
    fn energies<'py>(
        &self,
        py: Python<'py>,
        samples: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyArray1<f64>>> {
        let arr = IntArray::extract("samples", samples)?;
        let shape = arr.shape();
        let n = self.inner.num_variables();
        let rows = match shape.as_slice() {
            [_] => 1,
            [rows, cols] => {
                if *cols != n {
                    return Err(to_pyerr(
                        ArgumentError::DimensionMismatch {
                            argument: "samples",
                            expected: n,
                            got: *cols,
                        }
                        .into(),
                    ));
                }
                *rows
            }
            _ => {
                return Err(invalid_argument(
                    "samples",
                    format!("must be one- or two-dimensional, got shape {shape:?}"),
                ));
            }
        };
        let inner = &self.inner;
        let mut out = vec![0.0; rows];
        with_int_data!(&arr, |data| {
            if data.len() >= DETACH_VALUES {
                py.detach(|| inner.energies(&data, &mut out)).or_raise()?;
            } else {
                inner.energies(&data, &mut out).or_raise()?;
            }
        });
        Ok(out.into_pyarray(py))
    }

    /// Converts to `vartype` keeping every energy; in place (returning `self`) or on a copy.
    #[pyo3(signature = (vartype, inplace = true))]
    fn change_vartype(
        slf: Bound<'_, Self>,
        vartype: &Bound<'_, PyAny>,
        inplace: bool,
    ) -> PyResult<Py<PyAny>> {
        let vt = vartype_arg(vartype)?;
        let py = slf.py();
        if inplace {
            slf.borrow_mut().inner.change_vartype(vt).or_raise()?;
            Ok(slf.into_any().unbind())
        } else {
            let mut copy = slf.borrow().inner.clone();
            copy.change_vartype(vt).or_raise()?;
            Ok(Py::new(py, PyBqm { inner: copy })?.into_any())
        }
    }

    fn copy(&self) -> Self {
        self.clone()
    }

    /// The model in the neuroquant container format (readable from Rust, C and Python).
    fn to_bytes<'py>(&self, py: Python<'py>) -> Bound<'py, PyBytes> {
        PyBytes::new(py, &self.inner.to_bytes())
    }

    /// Reads a model written by `to_bytes` (from any surface), validating every field.
    #[staticmethod]
    fn from_bytes(data: &[u8]) -> PyResult<Self> {
        Ok(PyBqm {
            inner: Bqm::from_bytes(data).or_raise()?,
        })
    }

    fn __getnewargs__(&self) -> (&'static str,) {
        (self.inner.vartype().name(),)
    }

    fn __getstate__<'py>(&self, py: Python<'py>) -> Bound<'py, PyBytes> {
        self.to_bytes(py)
    }

    fn __setstate__(&mut self, state: &[u8]) -> PyResult<()> {
        self.inner = Bqm::from_bytes(state).or_raise()?;
        Ok(())
    }
}

impl PyBqm {
    /// A variable index argument, checked against the model (Python ints may be negative).
    fn index(&self, argument: &'static str, v: i64) -> PyResult<u32> {
        let i = check::index(argument, v, self.inner.num_variables()).map_err(|e| to_pyerr(e.into()))?;
        Ok(i as u32)
    }
}
