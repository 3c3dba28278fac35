//! `Array`: an n-dimensional array of expressions with numpy-like indexing (PyQUBO's `Array`).
//! Elements are created once; indexing returns the stored objects, and slices are views.

use super::{Operand, PyBinary, PyExpr, PySpin, new_expr};
use crate::errors::{OrRaise, invalid_argument, to_pyerr};
use crate::qubo::bqm::vartype_arg;
use neuroquant::ArgumentError;
use neuroquant::error::check;
use neuroquant::qubo::expr::Expr;
use neuroquant::qubo::{MAX_VARIABLES, Vartype};
use pyo3::prelude::*;
use pyo3::types::{PyInt, PyList, PySlice, PySliceMethods, PyTuple};
use std::sync::Arc;

/// An n-dimensional array of expressions.
#[pyclass(name = "Array", module = "neuroquant.qubo", frozen, sequence)]
pub struct PyArray {
    items: Arc<Vec<Py<PyExpr>>>,
    offset: isize,
    pub(super) shape: Vec<usize>,
    strides: Vec<isize>,
}

impl PyArray {
    pub(super) fn contiguous(items: Vec<Py<PyExpr>>, shape: Vec<usize>) -> Self {
        let mut strides = vec![1isize; shape.len()];
        for a in (0..shape.len().saturating_sub(1)).rev() {
            strides[a] = strides[a + 1] * shape[a + 1] as isize;
        }
        PyArray {
            items: Arc::new(items),
            offset: 0,
            shape,
            strides,
        }
    }

    /// Positions of the elements in row-major order.
    fn positions(&self) -> Vec<usize> {
        let size: usize = self.shape.iter().product();
        let mut out = Vec::with_capacity(size);
        let mut idx = vec![0usize; self.shape.len()];
        for _ in 0..size {
            let pos = self.offset
                + idx
                    .iter()
                    .zip(&self.strides)
                    .map(|(&i, &s)| i as isize * s)
                    .sum::<isize>();
            out.push(pos as usize);
            for a in (0..idx.len()).rev() {
                idx[a] += 1;
                if idx[a] < self.shape[a] {
                    break;
                }
                idx[a] = 0;
            }
        }
        out
    }

    /// The element objects in row-major order.
    pub(super) fn elements(&self, py: Python<'_>) -> Vec<Py<PyExpr>> {
        self.positions()
            .into_iter()
            .map(|p| self.items[p].clone_ref(py))
            .collect()
    }

    fn exprs(&self) -> Vec<Expr> {
        self.positions()
            .into_iter()
            .map(|p| self.items[p].get().inner.clone())
            .collect()
    }

    fn from_exprs(py: Python<'_>, exprs: Vec<Expr>, shape: Vec<usize>) -> PyResult<Self> {
        let items = exprs
            .into_iter()
            .map(|e| Py::new(py, PyExpr { inner: e }))
            .collect::<PyResult<Vec<_>>>()?;
        Ok(PyArray::contiguous(items, shape))
    }

    /// The element at row-major position `i` (the stored object).
    pub(super) fn element(&self, py: Python<'_>, i: usize) -> Py<PyAny> {
        self.items[self.positions()[i]].clone_ref(py).into_any()
    }

    /// `op(self[i], other[i])` element-wise (PyQUBO's `Array` arithmetic): `other` an `Array`,
    /// a numpy array or nested list of the same shape, or a number / expression applied to every
    /// element. `NotImplemented` for anything else.
    fn pairwise(
        &self,
        py: Python<'_>,
        other: &Bound<'_, PyAny>,
        op: impl Fn(Operand, Operand) -> Expr,
    ) -> PyResult<Py<PyAny>> {
        let mine: Vec<Operand> = self.exprs().into_iter().map(Operand::E).collect();
        let out: Vec<Expr> = if let Some(o) = Operand::extract(other)? {
            mine.into_iter()
                .map(|a| {
                    let b = match &o {
                        Operand::E(e) => Operand::E(e.clone()),
                        Operand::N(v) => Operand::N(*v),
                    };
                    op(a, b)
                })
                .collect()
        } else if other.cast::<PyArray>().is_ok()
            || other.is_instance_of::<PyList>()
            || other.is_instance_of::<PyTuple>()
            || other.hasattr("__array__")?
        {
            let (shape, theirs) = operands(other)?;
            if shape != self.shape {
                return Err(invalid_argument(
                    "other",
                    format!(
                        "has shape {shape:?}, the array has shape {:?}: they must be the same",
                        self.shape
                    ),
                ));
            }
            mine.into_iter().zip(theirs).map(|(a, b)| op(a, b)).collect()
        } else {
            return Ok(py.NotImplemented());
        };
        Ok(Py::new(py, PyArray::from_exprs(py, out, self.shape.clone())?)?.into_any())
    }

    fn view(&self, offset: isize, shape: Vec<usize>, strides: Vec<isize>) -> Self {
        PyArray {
            items: self.items.clone(),
            offset,
            shape,
            strides,
        }
    }
}

/// Shape and row-major operands of an `Array`, or of anything numpy turns into an array of
/// numbers or expressions.
fn operands(obj: &Bound<'_, PyAny>) -> PyResult<(Vec<usize>, Vec<Operand>)> {
    if let Ok(a) = obj.cast::<PyArray>() {
        let a = a.get();
        return Ok((a.shape.clone(), a.exprs().into_iter().map(Operand::E).collect()));
    }
    let np = obj.py().import("numpy")?;
    let arr = np.call_method1("asarray", (obj,))?;
    let shape: Vec<usize> = arr.getattr("shape")?.extract()?;
    let mut out = Vec::new();
    for item in arr.call_method0("ravel")?.call_method0("tolist")?.try_iter()? {
        let item = item?;
        match Operand::extract(&item)? {
            Some(o) => out.push(o),
            None => {
                return Err(invalid_argument(
                    "other",
                    format!("element {} is not an expression or a number", item.repr()?),
                ));
            }
        }
    }
    Ok((shape, out))
}

fn dot_sum(terms: impl Iterator<Item = Operand>) -> Expr {
    let mut constant = 0.0;
    let mut exprs = Vec::new();
    for t in terms {
        match t {
            Operand::N(v) => constant += v,
            Operand::E(e) => exprs.push(e),
        }
    }
    if constant != 0.0 || exprs.is_empty() {
        exprs.push(Expr::num(constant));
    }
    Expr::sum(exprs)
}

#[pymethods]
impl PyArray {
    /// An array from nested lists of expressions or numbers.
    #[new]
    fn new(py: Python<'_>, bit_list: &Bound<'_, PyAny>) -> PyResult<Self> {
        let (shape, ops) = operands(bit_list)?;
        if shape.is_empty() {
            return Err(invalid_argument(
                "bit_list",
                "must be a (nested) list, got a scalar".into(),
            ));
        }
        PyArray::from_exprs(py, ops.into_iter().map(Operand::into_expr).collect(), shape)
    }

    /// An array of new variables named `name[i][j]...` (PyQUBO's labels).
    #[staticmethod]
    fn create(
        py: Python<'_>,
        name: &str,
        shape: &Bound<'_, PyAny>,
        vartype: &Bound<'_, PyAny>,
    ) -> PyResult<Self> {
        let vartype = vartype_arg(vartype)?;
        let dims: Vec<i64> = match shape.extract::<i64>() {
            Ok(n) => vec![n],
            Err(_) => shape.extract()?,
        };
        if dims.is_empty() {
            return Err(invalid_argument(
                "shape",
                "must have at least one dimension".into(),
            ));
        }
        let mut size = 1u64;
        for &d in &dims {
            if d < 0 {
                return Err(invalid_argument(
                    "shape",
                    format!("{dims:?} has a negative dimension"),
                ));
            }
            size = size.saturating_mul(d as u64);
        }
        check::at_most("shape", size, MAX_VARIABLES as u64).or_raise()?;
        let shape: Vec<usize> = dims.iter().map(|&d| d as usize).collect();
        let mut items = Vec::with_capacity(size as usize);
        let mut idx = vec![0usize; shape.len()];
        let mut label = String::new();
        for _ in 0..size {
            label.clear();
            label.push_str(name);
            for i in &idx {
                label.push_str(&format!("[{i}]"));
            }
            let base = PyExpr {
                inner: Expr::variable(label.as_str(), vartype),
            };
            let init = PyClassInitializer::from(base);
            let obj: Py<PyAny> = match vartype {
                Vartype::Binary => Py::new(py, init.add_subclass(PyBinary {}))?.into_any(),
                Vartype::Spin => Py::new(py, init.add_subclass(PySpin {}))?.into_any(),
            };
            items.push(obj.bind(py).cast::<PyExpr>()?.clone().unbind());
            for a in (0..idx.len()).rev() {
                idx[a] += 1;
                if idx[a] < shape[a] {
                    break;
                }
                idx[a] = 0;
            }
        }
        Ok(PyArray::contiguous(items, shape))
    }

    /// The array's dimensions.
    #[getter]
    fn shape<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        PyTuple::new(py, &self.shape)
    }

    #[getter]
    /// Number of dimensions.
    fn ndim(&self) -> usize {
        self.shape.len()
    }

    #[getter]
    /// Number of elements.
    fn size(&self) -> usize {
        self.shape.iter().product()
    }

    fn __len__(&self) -> usize {
        self.shape[0]
    }

    /// Integers, slices, or a tuple of them; an element when every axis gets an integer.
    fn __getitem__(&self, py: Python<'_>, key: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        let parts: Vec<Bound<'_, PyAny>> = match key.cast::<PyTuple>() {
            Ok(t) => t.iter().collect(),
            Err(_) => vec![key.clone()],
        };
        if parts.len() > self.shape.len() {
            return Err(invalid_argument(
                "key",
                format!(
                    "{} indices for an array with {} dimensions",
                    parts.len(),
                    self.shape.len()
                ),
            ));
        }
        let mut offset = self.offset;
        let mut shape = Vec::new();
        let mut strides = Vec::new();
        for (axis, part) in parts.iter().enumerate() {
            let len = self.shape[axis];
            if let Ok(s) = part.cast::<PySlice>() {
                let ind = s.indices(len as isize)?;
                offset += ind.start * self.strides[axis];
                shape.push(ind.slicelength);
                strides.push(ind.step * self.strides[axis]);
            } else if part.is_instance_of::<PyInt>() || part.hasattr("__index__")? {
                let i: i64 = part.extract()?;
                let j = if i < 0 { i + len as i64 } else { i };
                if j < 0 || j >= len as i64 {
                    return Err(to_pyerr(
                        ArgumentError::IndexOutOfRange {
                            argument: "key",
                            index: i,
                            len,
                        }
                        .into(),
                    ));
                }
                offset += j as isize * self.strides[axis];
            } else {
                return Err(invalid_argument(
                    "key",
                    format!("{} is not an integer or a slice", part.repr()?),
                ));
            }
        }
        shape.extend_from_slice(&self.shape[parts.len()..]);
        strides.extend_from_slice(&self.strides[parts.len()..]);
        if shape.is_empty() {
            Ok(self.items[offset as usize].clone_ref(py).into_any())
        } else {
            Ok(Py::new(py, self.view(offset, shape, strides))?.into_any())
        }
    }

    fn __iter__<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyAny>> {
        let py = slf.py();
        let a = slf.get();
        let items = (0..a.shape[0])
            .map(|i| a.__getitem__(py, &i.into_pyobject(py)?.into_any()))
            .collect::<PyResult<Vec<_>>>()?;
        Ok(PyList::new(py, items)?.try_iter()?.into_any())
    }

    /// The sum of all elements (`axis=None`, an `Expr`) or along one axis (an `Array`).
    #[pyo3(signature = (axis = None))]
    fn sum(&self, py: Python<'_>, axis: Option<i64>) -> PyResult<Py<PyAny>> {
        let Some(axis) = axis else {
            return new_expr(py, Expr::sum(self.exprs()));
        };
        let nd = self.shape.len() as i64;
        let a = if axis < 0 { axis + nd } else { axis };
        if a < 0 || a >= nd {
            return Err(invalid_argument(
                "axis",
                format!("{axis} is out of range for {nd} dimensions"),
            ));
        }
        let a = a as usize;
        // Move the summed axis last, then sum contiguous runs.
        let mut order: Vec<usize> = (0..self.shape.len()).filter(|&k| k != a).collect();
        order.push(a);
        let moved = self.view(
            self.offset,
            order.iter().map(|&k| self.shape[k]).collect(),
            order.iter().map(|&k| self.strides[k]).collect(),
        );
        let exprs = moved.exprs();
        let run = self.shape[a];
        let out_shape: Vec<usize> = order[..order.len() - 1].iter().map(|&k| self.shape[k]).collect();
        let sums: Vec<Expr> = if run == 0 {
            vec![Expr::num(0.0); out_shape.iter().product()]
        } else {
            exprs.chunks(run).map(|c| Expr::sum(c.to_vec())).collect()
        };
        if out_shape.is_empty() {
            return new_expr(py, sums.into_iter().next().unwrap_or_else(|| Expr::num(0.0)));
        }
        Ok(Py::new(py, PyArray::from_exprs(py, sums, out_shape)?)?.into_any())
    }

    /// Inner product (1-D · 1-D, an `Expr`) or matrix product (2-D · 1-D, 1-D · 2-D,
    /// 2-D · 2-D, an `Array`) with an `Array`, or a list / numpy array of numbers or expressions.
    fn dot(&self, py: Python<'_>, other: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        let a: Vec<Operand> = self.exprs().into_iter().map(Operand::E).collect();
        let (bshape, b) = operands(other)?;
        let (m, k, lhs_vec) = match self.shape.as_slice() {
            [k] => (1, *k, true),
            [m, k] => (*m, *k, false),
            s => {
                return Err(invalid_argument(
                    "self",
                    format!("dot needs a 1-D or 2-D array, got shape {s:?}"),
                ));
            }
        };
        let (k2, n, rhs_vec) = match bshape.as_slice() {
            [k2] => (*k2, 1, true),
            [k2, n] => (*k2, *n, false),
            s => {
                return Err(invalid_argument(
                    "other",
                    format!("dot needs a 1-D or 2-D operand, got shape {s:?}"),
                ));
            }
        };
        if k != k2 {
            return Err(to_pyerr(
                ArgumentError::DimensionMismatch {
                    argument: "other",
                    expected: k,
                    got: k2,
                }
                .into(),
            ));
        }
        let mut out = Vec::with_capacity(m * n);
        for i in 0..m {
            for j in 0..n {
                out.push(dot_sum(
                    (0..k).map(|t| Operand::mul(&a[i * k + t], &b[t * n + j])),
                ));
            }
        }
        let shape: Vec<usize> = match (lhs_vec, rhs_vec) {
            (true, true) => return new_expr(py, out.pop().expect("one element")),
            (true, false) => vec![n],
            (false, true) => vec![m],
            (false, false) => vec![m, n],
        };
        Ok(Py::new(py, PyArray::from_exprs(py, out, shape)?)?.into_any())
    }

    fn __add__(&self, py: Python<'_>, other: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        self.pairwise(py, other, |a, b| a.into_expr() + b.into_expr())
    }

    fn __radd__(&self, py: Python<'_>, other: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        self.pairwise(py, other, |a, b| b.into_expr() + a.into_expr())
    }

    fn __sub__(&self, py: Python<'_>, other: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        self.pairwise(py, other, |a, b| a.into_expr() - b.into_expr())
    }

    fn __rsub__(&self, py: Python<'_>, other: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        self.pairwise(py, other, |a, b| b.into_expr() - a.into_expr())
    }

    fn __mul__(&self, py: Python<'_>, other: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        self.pairwise(py, other, |a, b| Operand::mul(&a, &b).into_expr())
    }

    fn __rmul__(&self, py: Python<'_>, other: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        self.pairwise(py, other, |a, b| Operand::mul(&b, &a).into_expr())
    }

    /// Division by a non-zero number (PyQUBO refuses division by an expression or an array).
    fn __truediv__(&self, py: Python<'_>, other: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        match Operand::extract(other)? {
            Some(Operand::N(v)) if v != 0.0 => self.pairwise(py, other, |a, _| a.into_expr().scale(1.0 / v)),
            Some(Operand::N(_)) => Err(pyo3::exceptions::PyZeroDivisionError::new_err(
                "division of an Array by zero",
            )),
            _ => Err(invalid_argument(
                "other",
                format!(
                    "{} is not a number: an Array divides by numbers only",
                    other.repr()?
                ),
            )),
        }
    }

    fn __neg__(&self, py: Python<'_>) -> PyResult<Self> {
        PyArray::from_exprs(
            py,
            self.exprs().into_iter().map(|e| -&e).collect(),
            self.shape.clone(),
        )
    }

    /// Matrix product (PyQUBO's `matmul`): with a 1-D operand, `dot`; otherwise the product of
    /// the last two axes, over the leading (batch) axes, which must agree where both have them.
    fn __matmul__(&self, py: Python<'_>, other: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        let (bshape, b) = operands(other)?;
        if self.shape.len() == 1 || bshape.len() == 1 {
            return self.dot(py, other);
        }
        let a: Vec<Operand> = self.exprs().into_iter().map(Operand::E).collect();
        let (na, nb) = (self.shape.len(), bshape.len());
        let (m, k) = (self.shape[na - 2], self.shape[na - 1]);
        let (k2, n) = (bshape[nb - 2], bshape[nb - 1]);
        if k != k2 {
            return Err(to_pyerr(
                ArgumentError::DimensionMismatch {
                    argument: "other",
                    expected: k,
                    got: k2,
                }
                .into(),
            ));
        }
        let (ba, bb) = (&self.shape[..na - 2], &bshape[..nb - 2]);
        if !ba.is_empty() && !bb.is_empty() && ba != bb {
            return Err(invalid_argument(
                "other",
                format!("has batch shape {bb:?}, the array has {ba:?}: they must be the same"),
            ));
        }
        let batch: &[usize] = if ba.len() >= bb.len() { ba } else { bb };
        let count: usize = batch.iter().product();
        let mut out = Vec::with_capacity(count * m * n);
        for t in 0..count {
            let ao = if ba.is_empty() { 0 } else { t * m * k };
            let bo = if bb.is_empty() { 0 } else { t * k * n };
            for i in 0..m {
                for j in 0..n {
                    out.push(dot_sum(
                        (0..k).map(|r| Operand::mul(&a[ao + i * k + r], &b[bo + r * n + j])),
                    ));
                }
            }
        }
        let mut shape = batch.to_vec();
        shape.extend([m, n]);
        Ok(Py::new(py, PyArray::from_exprs(py, out, shape)?)?.into_any())
    }

    /// `other @ self`.
    fn __rmatmul__(&self, py: Python<'_>, other: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        let (shape, ops) = operands(other)?;
        let lhs = PyArray::from_exprs(py, ops.into_iter().map(Operand::into_expr).collect(), shape)?;
        let me = Py::new(
            py,
            self.view(self.offset, self.shape.clone(), self.strides.clone()),
        )?;
        lhs.__matmul__(py, me.bind(py).as_any())
    }

    /// The same elements (the same objects) in a new shape, row-major, as numpy's `reshape`
    /// (one dimension may be -1); the sizes must agree.
    #[pyo3(signature = (*shape))]
    fn reshape(&self, py: Python<'_>, shape: &Bound<'_, PyTuple>) -> PyResult<Self> {
        let dims: Vec<i64> = match shape.len() {
            1 => match shape.get_item(0)?.extract::<i64>() {
                Ok(d) => vec![d],
                Err(_) => shape.get_item(0)?.extract()?,
            },
            _ => shape.extract()?,
        };
        let size: usize = self.shape.iter().product();
        let unknown = dims.iter().filter(|&&d| d == -1).count();
        let known: i64 = dims.iter().filter(|&&d| d != -1).product();
        let bad = |why: &str| {
            invalid_argument(
                "shape",
                format!("cannot reshape an array of size {size} into {dims:?}: {why}"),
            )
        };
        if unknown > 1 || dims.iter().any(|&d| d < -1) {
            return Err(bad("dimensions must be >= 0, with at most one -1"));
        }
        let new: Vec<usize> = if unknown == 1 {
            if known == 0 || size as i64 % known != 0 {
                return Err(bad("the sizes differ"));
            }
            dims.iter()
                .map(|&d| {
                    if d == -1 {
                        size / known as usize
                    } else {
                        d as usize
                    }
                })
                .collect()
        } else {
            if known as usize != size {
                return Err(bad("the sizes differ"));
            }
            dims.iter().map(|&d| d as usize).collect()
        };
        Ok(PyArray::contiguous(self.elements(py), new))
    }

    /// PyQUBO's comparison: equal when the shapes and every element (structurally) are.
    fn __richcmp__(
        &self,
        py: Python<'_>,
        other: &Bound<'_, PyAny>,
        op: pyo3::basic::CompareOp,
    ) -> PyResult<Py<PyAny>> {
        use pyo3::basic::CompareOp;
        let eq = match other.cast::<PyArray>() {
            Ok(o) => {
                let o = o.get();
                o.shape == self.shape && o.exprs() == self.exprs()
            }
            Err(_) => false,
        };
        Ok(match op {
            CompareOp::Eq => eq.into_pyobject(py)?.to_owned().into_any().unbind(),
            CompareOp::Ne => (!eq).into_pyobject(py)?.to_owned().into_any().unbind(),
            _ => py.NotImplemented(),
        })
    }

    /// The transpose (a view with the axes reversed).
    #[getter(T)]
    fn transpose(&self) -> Self {
        self.view(
            self.offset,
            self.shape.iter().rev().copied().collect(),
            self.strides.iter().rev().copied().collect(),
        )
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        let positions = self.positions();
        let mut s = String::from("Array(");
        let nd = self.shape.len();
        for (n, &p) in positions.iter().enumerate() {
            // Open one bracket per axis whose index just wrapped to 0.
            let mut rem = n;
            let mut opens = 0;
            for a in (0..nd).rev() {
                if rem % self.shape[a] == 0 {
                    opens += 1;
                    rem /= self.shape[a];
                } else {
                    break;
                }
            }
            if n > 0 {
                s.push_str(", ");
            }
            s.push_str(&"[".repeat(opens));
            s.push_str(&self.items[p].bind(py).repr()?.to_string());
            let mut rem = n + 1;
            for a in (0..nd).rev() {
                if rem % self.shape[a] == 0 {
                    s.push(']');
                    rem /= self.shape[a];
                } else {
                    break;
                }
            }
        }
        if positions.is_empty() {
            s.push_str("[]");
        }
        s.push(')');
        Ok(s)
    }
}
