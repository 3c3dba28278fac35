//! `Bqm` conversions (numpy vectors, QUBO/Ising dicts, dimod), relabelling, and the
//! transformations that take labels (fixing, scaling, degrees).

use super::bqm::{PyBqm, vartype_arg};
use super::labels::Labels;
use crate::arrays::{contiguous, float_array, one_dimensional};
use crate::errors::{OrRaise, invalid_argument};
use neuroquant::error::check;
use neuroquant::qubo::{Bqm, Vartype};
use numpy::IntoPyArray;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyTuple};

impl PyBqm {
    /// New positions of the variables: `position[i]` for variable `i`, from a permutation of
    /// the labels.
    fn positions(&self, order: &Bound<'_, PyAny>) -> PyResult<Vec<usize>> {
        let n = self.inner.num_variables();
        let mut position = vec![usize::MAX; n];
        let mut count = 0;
        for (k, label) in order.try_iter()?.enumerate() {
            let label = label?;
            let i = self.index("variable_order", &label)? as usize;
            if position[i] != usize::MAX {
                return Err(invalid_argument(
                    "variable_order",
                    format!("label {} appears twice", label.repr()?),
                ));
            }
            position[i] = k;
            count += 1;
        }
        check::len("variable_order", n, count).or_raise()?;
        Ok(position)
    }

    /// The model in `vartype` (a copy only when it differs).
    fn in_vartype(&self, vartype: Vartype) -> PyResult<std::borrow::Cow<'_, Bqm>> {
        if self.inner.vartype() == vartype {
            Ok(std::borrow::Cow::Borrowed(&self.inner))
        } else {
            let mut m = self.inner.clone();
            m.change_vartype(vartype).or_raise()?;
            Ok(std::borrow::Cow::Owned(m))
        }
    }

    /// Relabels in place with `new_label(old_label)`; duplicates are rejected, nothing changes.
    fn relabel_with(
        &mut self,
        py: Python<'_>,
        new_label: impl Fn(Py<PyAny>) -> PyResult<Py<PyAny>>,
    ) -> PyResult<()> {
        let list = (0..self.labels.len())
            .map(|i| new_label(self.labels.label(py, i)))
            .collect::<PyResult<Vec<_>>>()?;
        self.labels = Labels::from_list(py, list)?;
        Ok(())
    }
}

#[pymethods]
impl PyBqm {
    /// dimod's `from_numpy_vectors`: `linear` in variable order, `quadratic = (rows, cols,
    /// biases)` of indices, optional labels `variable_order`.
    #[classmethod]
    #[pyo3(signature = (linear, quadratic, offset, vartype, variable_order = None))]
    fn from_numpy_vectors(
        _cls: &Bound<'_, pyo3::types::PyType>,
        py: Python<'_>,
        linear: &Bound<'_, PyAny>,
        quadratic: &Bound<'_, PyAny>,
        offset: f64,
        vartype: &Bound<'_, PyAny>,
        variable_order: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Self> {
        let linear = float_array("linear", linear)?;
        one_dimensional("linear", &linear)?;
        let linear = contiguous(&linear);
        let mut bqm = PyBqm::indexed(Bqm::with_variables(vartype_arg(vartype)?, linear.len()).or_raise()?);
        bqm.inner.add_linear_from(&linear).or_raise()?;
        bqm.inner.set_offset(offset).or_raise()?;
        let (rows, cols, biases): (Bound<'_, PyAny>, Bound<'_, PyAny>, Bound<'_, PyAny>) =
            quadratic.extract()?;
        bqm.add_quadratic_from_arrays(py, &rows, &cols, &biases)?;
        if let Some(order) = variable_order {
            let list: Vec<Py<PyAny>> = order.extract()?;
            check::len("variable_order", linear.len(), list.len()).or_raise()?;
            bqm.labels = Labels::from_list(py, list)?;
        }
        Ok(bqm)
    }

    /// dimod's `to_numpy_vectors`: `(linear, (rows, cols, biases), offset)` in variable order (or
    /// `variable_order`), pairs with `rows < cols` sorted; `+ (labels,)` with `return_labels`.
    #[pyo3(signature = (variable_order = None, return_labels = false))]
    fn to_numpy_vectors<'py>(
        &self,
        py: Python<'py>,
        variable_order: Option<&Bound<'py, PyAny>>,
        return_labels: bool,
    ) -> PyResult<Bound<'py, PyTuple>> {
        let n = self.inner.num_variables();
        let position = match variable_order {
            Some(o) => self.positions(o)?,
            None => (0..n).collect(),
        };
        let mut linear = vec![0.0; n];
        for (i, &a) in self.inner.linear().iter().enumerate() {
            linear[position[i]] = a;
        }
        let m = self.inner.num_interactions();
        let mut triplets: Vec<(i32, i32, f64)> = Vec::with_capacity(m);
        for (u, v, b) in self.inner.iter_quadratic() {
            let (pu, pv) = (position[u as usize] as i32, position[v as usize] as i32);
            triplets.push((pu.min(pv), pu.max(pv), b));
        }
        if variable_order.is_some() {
            triplets.sort_unstable_by_key(|t| (t.0, t.1));
        }
        let rows: Vec<i32> = triplets.iter().map(|t| t.0).collect();
        let cols: Vec<i32> = triplets.iter().map(|t| t.1).collect();
        let biases: Vec<f64> = triplets.iter().map(|t| t.2).collect();
        let quad = PyTuple::new(
            py,
            [
                rows.into_pyarray(py).into_any(),
                cols.into_pyarray(py).into_any(),
                biases.into_pyarray(py).into_any(),
            ],
        )?;
        let mut out = vec![
            linear.into_pyarray(py).into_any(),
            quad.into_any(),
            self.inner.offset().into_pyobject(py)?.into_any(),
        ];
        if return_labels {
            let labels = match variable_order {
                Some(o) => pyo3::types::PyList::new(py, o.try_iter()?.collect::<PyResult<Vec<_>>>()?)?,
                None => self.labels.to_list(py)?,
            };
            out.push(labels.into_any());
        }
        PyTuple::new(py, out)
    }

    /// dimod's `from_qubo`: `{(u, v): bias}` with `(u, u)` linear, BINARY.
    #[classmethod]
    #[pyo3(signature = (Q, offset = 0.0))]
    #[allow(non_snake_case)]
    fn from_qubo(
        _cls: &Bound<'_, pyo3::types::PyType>,
        py: Python<'_>,
        Q: &Bound<'_, PyAny>,
        offset: f64,
    ) -> PyResult<Self> {
        let mut bqm = PyBqm::indexed(Bqm::new(Vartype::Binary));
        bqm.add_quadratic_from(py, Q)?;
        bqm.inner.add_offset(offset).or_raise()?;
        Ok(bqm)
    }

    /// dimod's `from_ising`: `h` (mapping or list), `J = {(u, v): bias}`, SPIN.
    #[classmethod]
    #[pyo3(signature = (h, J, offset = 0.0))]
    #[allow(non_snake_case)]
    fn from_ising(
        _cls: &Bound<'_, pyo3::types::PyType>,
        py: Python<'_>,
        h: &Bound<'_, PyAny>,
        J: &Bound<'_, PyAny>,
        offset: f64,
    ) -> PyResult<Self> {
        // dimod's `cls(h, J, offset, SPIN)`: the same variable order as the constructor.
        PyBqm::from_parts(py, h, J, offset, Vartype::Spin)
    }

    /// `(Q, offset)` of the BINARY form, `Q = {(u, v): bias}` with linear biases on `(u, u)`.
    fn to_qubo<'py>(&self, py: Python<'py>) -> PyResult<(Bound<'py, PyDict>, f64)> {
        let m = self.in_vartype(Vartype::Binary)?;
        let q = PyDict::new(py);
        for (i, &a) in m.linear().iter().enumerate() {
            q.set_item((self.labels.label(py, i), self.labels.label(py, i)), a)?;
        }
        for (u, v, b) in m.iter_quadratic() {
            q.set_item(
                (
                    self.labels.label(py, u as usize),
                    self.labels.label(py, v as usize),
                ),
                b,
            )?;
        }
        Ok((q, m.offset()))
    }

    /// `(h, J, offset)` of the SPIN form.
    fn to_ising<'py>(&self, py: Python<'py>) -> PyResult<(Bound<'py, PyDict>, Bound<'py, PyDict>, f64)> {
        let m = self.in_vartype(Vartype::Spin)?;
        let (h, j) = (PyDict::new(py), PyDict::new(py));
        for (i, &a) in m.linear().iter().enumerate() {
            h.set_item(self.labels.label(py, i), a)?;
        }
        for (u, v, b) in m.iter_quadratic() {
            j.set_item(
                (
                    self.labels.label(py, u as usize),
                    self.labels.label(py, v as usize),
                ),
                b,
            )?;
        }
        Ok((h, j, m.offset()))
    }

    /// A model from a `dimod.BinaryQuadraticModel` (same labels, order, biases and vartype).
    #[classmethod]
    fn from_dimod_bqm(
        _cls: &Bound<'_, pyo3::types::PyType>,
        py: Python<'_>,
        bqm: &Bound<'_, PyAny>,
    ) -> PyResult<Self> {
        Self::from_dimod(py, bqm)
    }

    /// The model as a `dimod.BinaryQuadraticModel` (imports dimod).
    pub(crate) fn to_dimod<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let dimod = py.import("dimod")?;
        let vectors = self.to_numpy_vectors(py, None, false)?;
        let kwargs = PyDict::new(py);
        kwargs.set_item("variable_order", self.labels.to_list(py)?)?;
        dimod.getattr("BinaryQuadraticModel")?.call_method(
            "from_numpy_vectors",
            (
                vectors.get_item(0)?,
                vectors.get_item(1)?,
                vectors.get_item(2)?,
                self.inner.vartype().name(),
            ),
            Some(&kwargs),
        )
    }

    /// Renames variables by `mapping` (old -> new; unmapped labels stay); labels may be swapped.
    /// In place (returning `self`) or on a copy.
    #[pyo3(signature = (mapping, inplace = true))]
    fn relabel_variables(
        slf: Bound<'_, Self>,
        mapping: &Bound<'_, PyAny>,
        inplace: bool,
    ) -> PyResult<Py<PyAny>> {
        let py = slf.py();
        let map = |l: Py<PyAny>| -> PyResult<Py<PyAny>> {
            match mapping.get_item(l.bind(py)) {
                Ok(new) => Ok(new.unbind()),
                Err(e) if e.is_instance_of::<pyo3::exceptions::PyKeyError>(py) => Ok(l),
                Err(e) => Err(e),
            }
        };
        if inplace {
            slf.borrow_mut().relabel_with(py, map)?;
            Ok(slf.into_any().unbind())
        } else {
            let mut copy = slf.borrow().copy_ref(py);
            copy.relabel_with(py, map)?;
            Ok(Py::new(py, copy)?.into_any())
        }
    }

    /// Relabels as `0..n`; returns `(bqm, {new: old})` like dimod.
    #[pyo3(signature = (inplace = true))]
    fn relabel_variables_as_integers<'py>(
        slf: Bound<'py, Self>,
        inplace: bool,
    ) -> PyResult<Bound<'py, PyTuple>> {
        let py = slf.py();
        let mapping = PyDict::new(py);
        {
            let b = slf.borrow();
            for i in 0..b.labels.len() {
                mapping.set_item(i, b.labels.label(py, i))?;
            }
        }
        let target = if inplace {
            slf.clone()
        } else {
            Bound::new(py, slf.borrow().copy_ref(py))?
        };
        {
            let mut t = target.borrow_mut();
            let n = t.inner.num_variables();
            t.labels = Labels::range(n);
        }
        PyTuple::new(py, [target.into_any(), mapping.into_any()])
    }

    /// Removes `v`, substituting `value` (in the vartype) into the rest of the model.
    fn fix_variable(&mut self, py: Python<'_>, v: &Bound<'_, PyAny>, value: i64) -> PyResult<()> {
        let fixed = PyDict::new(py);
        fixed.set_item(v, value)?;
        self.fix_variables(py, &fixed)
    }

    /// Fixes every `{v: value}` (or iterable of pairs) at once, all or nothing.
    fn fix_variables(&mut self, py: Python<'_>, fixed: &Bound<'_, PyAny>) -> PyResult<()> {
        let items = if let Ok(d) = fixed.cast::<PyDict>() {
            d.items().into_any()
        } else {
            fixed.clone()
        };
        let (mut vars, mut values) = (Vec::new(), Vec::new());
        for item in items.try_iter()? {
            let (v, x): (Bound<'_, PyAny>, i64) = item?.extract()?;
            vars.push(self.index("fixed", &v)?);
            values.push(x);
        }
        self.inner.fix_variables(&vars, &values).or_raise()?;
        let mut removed = vec![false; self.labels.len()];
        for &v in &vars {
            removed[v as usize] = true;
        }
        self.labels.retain(py, &removed)
    }

    /// Multiplies every bias and the offset by `scalar`.
    fn scale(&mut self, scalar: f64) -> PyResult<()> {
        self.inner.scale(scalar).or_raise()
    }

    /// dimod's `normalize`: scales biases into `bias_range` (a bound `r` means `(-r, r)`) and
    /// quadratic biases into `quadratic_range`; returns the scalar used.
    #[pyo3(signature = (bias_range = None, quadratic_range = None))]
    fn normalize(
        &mut self,
        bias_range: Option<&Bound<'_, PyAny>>,
        quadratic_range: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<f64> {
        let range = |r: Option<&Bound<'_, PyAny>>| -> PyResult<Option<(f64, f64)>> {
            match r {
                None => Ok(None),
                Some(r) => match r.extract::<f64>() {
                    Ok(x) => Ok(Some((-x.abs(), x.abs()))),
                    Err(_) => Ok(Some(r.extract::<(f64, f64)>()?)),
                },
            }
        };
        let bias = range(bias_range)?.unwrap_or((-1.0, 1.0));
        self.inner.normalize(bias, range(quadratic_range)?).or_raise()
    }

    /// Number of interactions of variable `v`.
    fn degree(&self, v: &Bound<'_, PyAny>) -> PyResult<usize> {
        self.inner.degree(self.index("v", v)?).or_raise()
    }

    /// `{label: degree}`, or an int array in variable order with `array=True`.
    #[pyo3(signature = (array = false))]
    fn degrees<'py>(&self, py: Python<'py>, array: bool) -> PyResult<Bound<'py, PyAny>> {
        let d = self.inner.degrees();
        if array {
            return Ok(d
                .into_iter()
                .map(|x| x as i64)
                .collect::<Vec<_>>()
                .into_pyarray(py)
                .into_any());
        }
        let out = PyDict::new(py);
        for (i, x) in d.into_iter().enumerate() {
            out.set_item(self.labels.label(py, i), x)?;
        }
        Ok(out.into_any())
    }

    /// The largest energy change a single-variable flip can cause (dimod's bound).
    fn maximum_energy_delta(&self) -> f64 {
        self.inner.maximum_energy_delta()
    }

    /// Heap bytes of the core model (12 per stored coupler direction); labels not included.
    fn nbytes(&self) -> usize {
        self.inner.nbytes()
    }
}

impl PyBqm {
    pub(crate) fn from_dimod(py: Python<'_>, bqm: &Bound<'_, PyAny>) -> PyResult<Self> {
        let kwargs = PyDict::new(py);
        kwargs.set_item("return_labels", true)?;
        // dimod's own variable order (its default sorts sortable labels).
        let order = pyo3::types::PyList::new(
            py,
            bqm.getattr("variables")?
                .try_iter()?
                .collect::<PyResult<Vec<_>>>()?,
        )?;
        kwargs.set_item("variable_order", order)?;
        // dimod 0.12 reorders an explicit `variable_order` again unless `sort_labels=False`.
        kwargs.set_item("sort_labels", false)?;
        let v = bqm.call_method("to_numpy_vectors", (), Some(&kwargs))?;
        let (linear, quadratic, offset, labels): (Bound<'_, PyAny>, Bound<'_, PyAny>, f64, Bound<'_, PyAny>) =
            v.extract()?;
        let vartype = bqm.getattr("vartype")?;
        let cls = py.get_type::<PyBqm>();
        Self::from_numpy_vectors(&cls, py, &linear, &quadratic, offset, &vartype, Some(&labels))
    }
}
