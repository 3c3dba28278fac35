//! `neuroquant.qubo.Bqm`: construction, variables and biases by label, vartype, serialization.

use super::labels::Labels;
use crate::arrays::{contiguous, float_array, index_array, one_dimensional};
use crate::errors::{OrRaise, invalid_argument};
use neuroquant::error::check;
use neuroquant::qubo::{Bqm, Vartype};
use numpy::{PyArrayMethods, PyUntypedArray, PyUntypedArrayMethods};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyInt, PyTuple};

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
    name.parse::<Vartype>().or_raise()
}

/// A finite bias argument, checked before any variable is created.
pub(crate) fn bias_arg(argument: &'static str, bias: f64) -> PyResult<f64> {
    check::finite(argument, bias).or_raise()
}

/// A binary quadratic model (dimod's model) over insertion-ordered variables with labels of any
/// hashable type: `E(x) = offset + Σ_v linear[v] x_v + Σ_{u<v} quadratic[u, v] x_u x_v`.
#[pyclass(name = "Bqm", module = "neuroquant.qubo")]
pub struct PyBqm {
    pub(crate) inner: Bqm,
    pub(crate) labels: Labels,
}

impl PyBqm {
    pub(crate) fn indexed(inner: Bqm) -> Self {
        let labels = Labels::range(inner.num_variables());
        PyBqm { inner, labels }
    }

    /// The index of an existing variable; `InvalidArgumentError` naming it otherwise.
    pub(crate) fn index(&self, argument: &'static str, label: &Bound<'_, PyAny>) -> PyResult<u32> {
        match self.labels.index_of(label)? {
            Some(i) => Ok(i),
            None => Err(invalid_argument(
                argument,
                format!("unknown variable {}", label.repr()?),
            )),
        }
    }

    pub(crate) fn copy_ref(&self, py: Python<'_>) -> Self {
        PyBqm {
            inner: self.inner.clone(),
            labels: self.labels.clone_ref(py),
        }
    }
}

#[pymethods]
impl PyBqm {
    /// dimod's constructor forms: `Bqm(vartype)`, `Bqm(n, vartype)` (variables 0..n-1),
    /// `Bqm(M, vartype)` (dense matrix), `Bqm(linear, quadratic[, offset], vartype)`, `Bqm(bqm)`.
    #[new]
    #[pyo3(signature = (*args, vartype = None))]
    fn new(py: Python<'_>, args: &Bound<'_, PyTuple>, vartype: Option<&Bound<'_, PyAny>>) -> PyResult<Self> {
        let mut args: Vec<Bound<'_, PyAny>> = args.iter().collect();
        if args.len() == 1 && vartype.is_none() {
            if let Ok(other) = args[0].cast::<PyBqm>() {
                return Ok(other.borrow().copy_ref(py));
            }
            if args[0].hasattr("to_numpy_vectors")? && !args[0].is_instance_of::<pyo3::types::PyString>() {
                return Self::from_dimod(py, &args[0]);
            }
        }
        let vt = match vartype {
            Some(v) => vartype_arg(v)?,
            None => match args.pop() {
                Some(v) => vartype_arg(&v)?,
                None => return Err(invalid_argument("vartype", "is required".into())),
            },
        };
        match args.as_slice() {
            [] => Ok(PyBqm::indexed(Bqm::new(vt))),
            // Any integer (Python int or a numpy integer scalar), not an array.
            [n] if n.is_instance_of::<PyInt>()
                || (n.hasattr("__index__")? && !n.is_instance_of::<numpy::PyUntypedArray>()) =>
            {
                let n: i64 = n.call_method0("__index__")?.extract()?;
                if n < 0 {
                    return Err(invalid_argument("num_variables", format!("{n} is negative")));
                }
                Ok(PyBqm::indexed(Bqm::with_variables(vt, n as usize).or_raise()?))
            }
            [m] => Self::dense(py, m, vt),
            [linear, quadratic] => Self::from_parts(py, linear, quadratic, 0.0, vt),
            [linear, quadratic, offset] => Self::from_parts(py, linear, quadratic, offset.extract()?, vt),
            _ => Err(invalid_argument(
                "args",
                format!("{} positional arguments is not a constructor form", args.len()),
            )),
        }
    }

    /// `dimod.SPIN` or `dimod.BINARY` when dimod is installed (so `bqm.vartype is dimod.SPIN`
    /// holds as in dimod), else `neuroquant._views.Vartype.SPIN` / `.BINARY` (a `str` enum equal
    /// to "SPIN" / "BINARY"); `.name` is the string either way.
    #[getter]
    fn vartype<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        py.import("neuroquant._views")?
            .getattr("vartype")?
            .call1((self.inner.vartype().name(),))
    }

    #[getter]
    /// Number of variables.
    fn num_variables(&self) -> usize {
        self.inner.num_variables()
    }

    #[getter]
    /// Number of quadratic interactions (pairs with a stored bias).
    fn num_interactions(&self) -> usize {
        self.inner.num_interactions()
    }

    /// `(num_variables, num_interactions)`.
    #[getter]
    fn shape(&self) -> (usize, usize) {
        (self.inner.num_variables(), self.inner.num_interactions())
    }

    #[getter]
    /// The constant energy offset.
    fn offset(&self) -> f64 {
        self.inner.offset()
    }

    #[setter]
    fn set_offset(&mut self, offset: f64) -> PyResult<()> {
        self.inner.set_offset(offset).or_raise()
    }

    /// The variable labels, in order: a `dimod.variables.Variables` (a sequence that is also a
    /// set, as dimod's `bqm.variables`) when dimod is installed, else a list.
    #[getter]
    fn variables<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let labels = if self.labels.is_range() {
            pyo3::types::PyRange::new(py, 0, self.labels.len() as isize)?.into_any()
        } else {
            self.labels.to_list(py)?.into_any()
        };
        py.import("neuroquant._views")?
            .getattr("variables")?
            .call1((labels,))
    }

    /// dimod's live view `{label: bias}`: reads, writes (`bqm.linear[v] = b`), deletes (removes
    /// the variable), `len`, iteration in variable order.
    #[getter(linear)]
    fn linear_view<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyAny>> {
        slf.py()
            .import("neuroquant._views")?
            .getattr("Linear")?
            .call1((slf,))
    }

    /// dimod's live view `{(u, v): bias}` of the stored pairs; `(v, u)` reads the same pair.
    #[getter(quadratic)]
    fn quadratic_view<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyAny>> {
        slf.py()
            .import("neuroquant._views")?
            .getattr("Quadratic")?
            .call1((slf,))
    }

    /// dimod's live view `{u: {v: bias}}`.
    #[getter(adj)]
    fn adj_view<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyAny>> {
        slf.py()
            .import("neuroquant._views")?
            .getattr("Adjacency")?
            .call1((slf,))
    }

    /// `{v: bias}` of the neighbours of `u` (a new dict; used by the `adj` view).
    fn _neighbors<'py>(&self, py: Python<'py>, u: &Bound<'_, PyAny>) -> PyResult<Bound<'py, PyDict>> {
        let (nbrs, biases) = self.inner.neighborhood(self.index("u", u)?).or_raise()?;
        let d = PyDict::new(py);
        for (&v, &b) in nbrs.iter().zip(biases) {
            d.set_item(self.labels.label(py, v as usize), b)?;
        }
        Ok(d)
    }

    /// Removes variable `v` (default: the last one) with its interactions; returns its label
    /// (dimod's `remove_variable`).
    #[pyo3(signature = (v = None))]
    fn remove_variable(&mut self, py: Python<'_>, v: Option<&Bound<'_, PyAny>>) -> PyResult<Py<PyAny>> {
        let i = match v {
            Some(v) => self.index("v", v)?,
            None => match self.inner.num_variables() {
                0 => {
                    return Err(invalid_argument(
                        "v",
                        "the model has no variables to remove".into(),
                    ));
                }
                n => (n - 1) as u32,
            },
        };
        let label = self.labels.label(py, i as usize);
        self.inner.remove_variable(i).or_raise()?;
        let mut removed = vec![false; self.labels.len()];
        removed[i as usize] = true;
        self.labels.retain(py, &removed)?;
        Ok(label)
    }

    /// Substitutes `-x_v` (SPIN) or `1 - x_v` (BINARY) for `v`, keeping energies (dimod's
    /// `flip_variable`).
    fn flip_variable(&mut self, v: &Bound<'_, PyAny>) -> PyResult<()> {
        let i = self.index("v", v)?;
        self.inner.flip_variable(i).or_raise()
    }

    /// Forces `u == v` and removes `v` (dimod's `contract_variables`).
    fn contract_variables(
        &mut self,
        py: Python<'_>,
        u: &Bound<'_, PyAny>,
        v: &Bound<'_, PyAny>,
    ) -> PyResult<()> {
        let (ui, vi) = (self.index("u", u)?, self.index("v", v)?);
        self.inner.contract_variables(ui, vi).or_raise()?;
        let mut removed = vec![false; self.labels.len()];
        removed[vi as usize] = true;
        self.labels.retain(py, &removed)
    }

    /// `{(u, v): bias}` (a new dict; each pair once, `u` before `v` in variable order).
    fn _quadratic_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        self.quadratic_dict(py)
    }
}

impl PyBqm {
    /// `{label: bias}` (a new dict).
    pub(crate) fn linear_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let d = PyDict::new(py);
        for (i, &a) in self.inner.linear().iter().enumerate() {
            d.set_item(self.labels.label(py, i), a)?;
        }
        Ok(d)
    }

    /// `{(u, v): bias}` (a new dict; each pair once, `u` before `v` in variable order).
    pub(crate) fn quadratic_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let d = PyDict::new(py);
        for (u, v, b) in self.inner.iter_quadratic() {
            let key = (
                self.labels.label(py, u as usize),
                self.labels.label(py, v as usize),
            );
            d.set_item(key, b)?;
        }
        Ok(d)
    }
}

#[pymethods]
impl PyBqm {
    fn __len__(&self) -> usize {
        self.inner.num_variables()
    }

    fn __contains__(&self, label: &Bound<'_, PyAny>) -> PyResult<bool> {
        Ok(self.labels.index_of(label)?.is_some())
    }

    fn __eq__(&self, py: Python<'_>, other: &Bound<'_, PyAny>) -> PyResult<bool> {
        match other.cast::<PyBqm>() {
            Ok(o) => {
                let o = o.borrow();
                Ok(self.inner == o.inner && self.labels.equals(py, &o.labels)?)
            }
            Err(_) => Ok(false),
        }
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        if self.inner.num_variables() <= 10 && self.inner.num_interactions() <= 20 {
            Ok(format!(
                "Bqm({}, {}, {:?}, '{}')",
                self.linear_dict(py)?.repr()?,
                self.quadratic_dict(py)?.repr()?,
                self.inner.offset(),
                self.inner.vartype()
            ))
        } else {
            Ok(format!(
                "Bqm(vartype='{}', num_variables={}, num_interactions={}, offset={:?})",
                self.inner.vartype(),
                self.inner.num_variables(),
                self.inner.num_interactions(),
                self.inner.offset()
            ))
        }
    }

    /// Adds a variable (a generated integer label when `v` is None, dimod's rule) with `bias`
    /// added to its linear bias; returns its label.
    #[pyo3(signature = (v = None, bias = 0.0))]
    fn add_variable(
        &mut self,
        py: Python<'_>,
        v: Option<&Bound<'_, PyAny>>,
        bias: f64,
    ) -> PyResult<Py<PyAny>> {
        let bias = bias_arg("bias", bias)?;
        let label = match v {
            Some(v) => v.clone().unbind(),
            None => self.labels.generate(py)?,
        };
        let staged = self.stage("v", [label.bind(py).clone()], false)?;
        self.commit_staged(py, staged, |bqm, vars| bqm.add_linear(vars[0], bias))?;
        Ok(label)
    }

    /// Appends `count` variables with generated integer labels (labels 0..n stay integers).
    pub(crate) fn add_variables(&mut self, py: Python<'_>, count: usize) -> PyResult<()> {
        self.inner.add_variables(count).or_raise()?;
        self.labels.push_generated(py, count)
    }

    /// Adds `offset` to the constant energy offset.
    fn add_offset(&mut self, offset: f64) -> PyResult<()> {
        self.inner.add_offset(offset).or_raise()
    }

    /// The linear bias of variable `v`.
    fn get_linear(&self, v: &Bound<'_, PyAny>) -> PyResult<f64> {
        self.inner.get_linear(self.index("v", v)?).or_raise()
    }

    /// Adds `bias` to the linear bias of `v`, adding `v` if it is new.
    pub(crate) fn add_linear(&mut self, v: &Bound<'_, PyAny>, bias: f64) -> PyResult<()> {
        let bias = bias_arg("bias", bias)?;
        let staged = self.stage("v", [v.clone()], false)?;
        self.commit_staged(v.py(), staged, |bqm, vars| bqm.add_linear(vars[0], bias))
    }

    /// Sets the linear bias of `v` (added as a new variable if absent).
    fn set_linear(&mut self, v: &Bound<'_, PyAny>, bias: f64) -> PyResult<()> {
        let bias = bias_arg("bias", bias)?;
        let staged = self.stage("v", [v.clone()], false)?;
        self.commit_staged(v.py(), staged, |bqm, vars| bqm.set_linear(vars[0], bias))
    }

    /// Adds `biases[i]` to the linear bias of the variable labelled `i`, adding it if absent
    /// (dimod's rule), all or nothing.
    fn add_linear_from_array(&mut self, py: Python<'_>, biases: &Bound<'_, PyAny>) -> PyResult<()> {
        let biases = float_array("biases", biases)?;
        one_dimensional("biases", &biases)?;
        let biases = contiguous(&biases);
        if self.labels.is_range() {
            // Labels 0..n: label i is variable i, and new ones are appended in order.
            let n = self.inner.num_variables();
            self.inner.extend_linear(&biases).or_raise()?;
            return self.labels.push_generated(py, self.inner.num_variables() - n);
        }
        for (i, &b) in biases.iter().enumerate() {
            check::finite_at("biases", i, b).or_raise()?;
        }
        let labels = (0..biases.len())
            .map(|i| Ok(i.into_pyobject(py)?.into_any()))
            .collect::<PyResult<Vec<_>>>()?;
        let staged = self.stage("biases", labels, false)?;
        self.commit_staged(py, staged, |bqm, vars| bqm.add_linear_at(vars, &biases))
    }

    /// Adds every `(v, bias)` of a mapping or iterable of pairs, all or nothing.
    pub(crate) fn add_linear_from(&mut self, py: Python<'_>, linear: &Bound<'_, PyAny>) -> PyResult<()> {
        let items = if let Ok(d) = linear.cast::<PyDict>() {
            d.items().into_any()
        } else {
            linear.clone()
        };
        let (mut labels, mut biases) = (Vec::new(), Vec::new());
        for item in items.try_iter()? {
            let (v, bias): (Bound<'_, PyAny>, f64) = item?.extract()?;
            biases.push(bias_arg("bias", bias)?);
            labels.push(v);
        }
        let staged = self.stage("linear", labels, false)?;
        self.commit_staged(py, staged, |bqm, vars| bqm.add_linear_at(vars, &biases))
    }

    /// Bias of the pair (u, v); `default` when the pair is not stored, or `InvalidArgumentError`
    /// (a `ValueError`) if no default is given, as in dimod.
    #[pyo3(signature = (u, v, default = None))]
    fn get_quadratic(
        &self,
        u: &Bound<'_, PyAny>,
        v: &Bound<'_, PyAny>,
        default: Option<f64>,
    ) -> PyResult<f64> {
        let (ui, vi) = (self.index("u", u)?, self.index("v", v)?);
        match (self.inner.quadratic(ui, vi).or_raise()?, default) {
            (Some(b), _) => Ok(b),
            (None, Some(d)) => Ok(d),
            (None, None) => Err(invalid_argument(
                "v",
                format!("there is no interaction between {} and {}", u.repr()?, v.repr()?),
            )),
        }
    }

    /// Adds `bias` to the pair (u, v), adding new variables. `u == v` raises, as in dimod
    /// (`from_qubo` and the bulk builders fold self-loops instead).
    fn add_quadratic(&mut self, u: &Bound<'_, PyAny>, v: &Bound<'_, PyAny>, bias: f64) -> PyResult<()> {
        let bias = bias_arg("bias", bias)?;
        if u.eq(v)? {
            return Err(invalid_argument(
                "v",
                format!("{} cannot have an interaction with itself", u.repr()?),
            ));
        }
        let staged = self.stage("v", [u.clone(), v.clone()], false)?;
        self.commit_staged(u.py(), staged, |bqm, vars| {
            bqm.add_quadratic(vars[0], vars[1], bias)
        })
    }

    /// Sets the quadratic bias of the pair `(u, v)` (variables added if absent).
    fn set_quadratic(&mut self, u: &Bound<'_, PyAny>, v: &Bound<'_, PyAny>, bias: f64) -> PyResult<()> {
        let bias = bias_arg("bias", bias)?;
        let staged = self.stage("v", [u.clone(), v.clone()], true)?;
        self.commit_staged(u.py(), staged, |bqm, vars| {
            bqm.set_quadratic(vars[0], vars[1], bias)
        })
    }

    /// Adds every `(u, v, bias)` of a mapping `{(u, v): bias}` or iterable of triplets, all or
    /// nothing.
    pub(crate) fn add_quadratic_from(
        &mut self,
        py: Python<'_>,
        quadratic: &Bound<'_, PyAny>,
    ) -> PyResult<()> {
        // Endpoints interleaved (u0, v0, u1, v1, ...), so new labels are numbered in order of
        // first appearance.
        let (mut ends, mut biases) = (Vec::new(), Vec::new());
        if let Ok(d) = quadratic.cast::<PyDict>() {
            for (key, bias) in d.iter() {
                let (u, v): (Bound<'_, PyAny>, Bound<'_, PyAny>) = key.extract()?;
                ends.extend([u, v]);
                biases.push(bias.extract::<f64>()?);
            }
        } else {
            for item in quadratic.try_iter()? {
                let (u, v, bias): (Bound<'_, PyAny>, Bound<'_, PyAny>, f64) = item?.extract()?;
                ends.extend([u, v]);
                biases.push(bias);
            }
        }
        // A SPIN self-loop is a constant (s² = 1): it goes to the offset and, as in dimod's
        // constructor, adds no variable. Checked before anything changes.
        let mut offset = None;
        if self.inner.vartype() == Vartype::Spin {
            let mut o = self.inner.offset();
            let (mut kept_ends, mut kept) =
                (Vec::with_capacity(ends.len()), Vec::with_capacity(biases.len()));
            for (pair, &b) in ends.chunks_exact(2).zip(&biases) {
                if pair[0].eq(&pair[1])? {
                    o += check::finite("biases", b).or_raise()?;
                    offset = Some(o);
                } else {
                    kept_ends.extend([pair[0].clone(), pair[1].clone()]);
                    kept.push(b);
                }
            }
            if let Some(o) = offset {
                check::finite("offset", o).or_raise()?;
                (ends, biases) = (kept_ends, kept);
            }
        }
        let staged = self.stage("quadratic", ends, false)?;
        self.commit_staged(py, staged, |bqm, vars| {
            let (rows, cols): (Vec<u32>, Vec<u32>) = vars.chunks_exact(2).map(|p| (p[0], p[1])).unzip();
            bqm.add_quadratic_from(&rows, &cols, &biases)
        })?;
        if let Some(o) = offset {
            self.inner.set_offset(o).or_raise()?;
        }
        Ok(())
    }

    /// Adds `biases[k]` to every pair `(rows[k], cols[k])` of variable indices (COO; repeats
    /// summed, self-loops folded), all or nothing.
    pub(crate) fn add_quadratic_from_arrays(
        &mut self,
        py: Python<'_>,
        rows: &Bound<'_, PyAny>,
        cols: &Bound<'_, PyAny>,
        biases: &Bound<'_, PyAny>,
    ) -> PyResult<()> {
        let biases = float_array("biases", biases)?;
        one_dimensional("biases", &biases)?;
        let n = self.inner.num_variables();
        let (rows, cols) = (
            Indices::extract("rows", rows, n)?,
            Indices::extract("cols", cols, n)?,
        );
        let biases = contiguous(&biases);
        let inner = &mut self.inner;
        let (rows, cols) = (rows.as_slice(), cols.as_slice());
        py.detach(|| inner.add_quadratic_from(rows, cols, &biases))
            .or_raise()
    }

    /// Removes the pair (u, v); `InvalidArgumentError` if it is not stored (as in dimod).
    fn remove_interaction(&mut self, u: &Bound<'_, PyAny>, v: &Bound<'_, PyAny>) -> PyResult<()> {
        let (ui, vi) = (self.index("u", u)?, self.index("v", v)?);
        if self.inner.remove_interaction(ui, vi).or_raise()? {
            Ok(())
        } else {
            Err(invalid_argument(
                "v",
                format!("there is no interaction between {} and {}", u.repr()?, v.repr()?),
            ))
        }
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
            let mut copy = slf.borrow().copy_ref(py);
            copy.inner.change_vartype(vt).or_raise()?;
            Ok(Py::new(py, copy)?.into_any())
        }
    }

    /// An independent copy of the model and its labels.
    fn copy(&self, py: Python<'_>) -> Self {
        self.copy_ref(py)
    }

    fn __copy__(&self, py: Python<'_>) -> Self {
        self.copy_ref(py)
    }

    fn __deepcopy__(&self, py: Python<'_>, _memo: &Bound<'_, PyAny>) -> Self {
        self.copy_ref(py)
    }

    /// The model in the neuroquant container format (readable from Rust, C and Python). Labels
    /// other than 0..n are not part of it; use pickle to keep them.
    fn to_bytes<'py>(&self, py: Python<'py>) -> Bound<'py, PyBytes> {
        PyBytes::new(py, &self.inner.to_bytes())
    }

    /// Reads a model written by `to_bytes` (from any surface), validating every field.
    #[staticmethod]
    fn from_bytes(data: &[u8]) -> PyResult<Self> {
        Ok(PyBqm::indexed(Bqm::from_bytes(data).or_raise()?))
    }

    fn __getnewargs__(&self) -> (&'static str,) {
        (self.inner.vartype().name(),)
    }

    /// Pickled state: the container bytes and, when not 0..n, the label list.
    fn __getstate__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        let labels = if self.labels.is_range() {
            py.None()
        } else {
            self.labels.to_list(py)?.into_any().unbind()
        };
        PyTuple::new(py, [self.to_bytes(py).into_any().unbind(), labels])
    }

    fn __setstate__(&mut self, py: Python<'_>, state: &Bound<'_, PyTuple>) -> PyResult<()> {
        let (data, labels): (Vec<u8>, Option<Vec<Py<PyAny>>>) = state.extract()?;
        let inner = Bqm::from_bytes(&data).or_raise()?;
        let labels = match labels {
            None => Labels::range(inner.num_variables()),
            Some(list) => {
                check::len("labels", inner.num_variables(), list.len()).or_raise()?;
                Labels::from_list(py, list)?
            }
        };
        *self = PyBqm { inner, labels };
        Ok(())
    }
}

/// Variable indices: a contiguous uint32 array (the core's index type) is borrowed in place and
/// range-checked by the core; any other integer array is converted with the range checked here.
enum Indices<'py> {
    Borrowed(numpy::PyReadonlyArray1<'py, u32>),
    Converted(Vec<u32>),
}

impl<'py> Indices<'py> {
    fn extract(argument: &'static str, obj: &Bound<'py, PyAny>, n: usize) -> PyResult<Self> {
        if let Ok(a) = obj.cast::<numpy::PyArray1<u32>>() {
            let a = a.readonly();
            if a.as_slice().is_ok() && a.is_c_contiguous() {
                return Ok(Indices::Borrowed(a));
            }
        }
        let a = index_array(argument, obj)?;
        one_dimensional(argument, &a)?;
        contiguous(&a)
            .iter()
            .map(|&i| Ok(check::index(argument, i, n).or_raise()? as u32))
            .collect::<PyResult<Vec<u32>>>()
            .map(Indices::Converted)
    }

    fn as_slice(&self) -> &[u32] {
        match self {
            Indices::Borrowed(a) => a.as_slice().expect("checked contiguous"),
            Indices::Converted(v) => v,
        }
    }
}

impl PyBqm {
    fn dense(py: Python<'_>, m: &Bound<'_, PyAny>, vt: Vartype) -> PyResult<Self> {
        let np = py.import("numpy")?;
        let arr = np.call_method1("asarray", (m, "float64"))?;
        let shape: Vec<usize> = arr.cast::<PyUntypedArray>()?.shape().to_vec();
        let [r, c] = shape[..] else {
            return Err(invalid_argument(
                "M",
                format!("must be a square matrix, got shape {shape:?}"),
            ));
        };
        if r != c {
            return Err(invalid_argument(
                "M",
                format!("must be a square matrix, got shape {shape:?}"),
            ));
        }
        let arr: numpy::PyReadonlyArray2<'_, f64> = arr.extract()?;
        let data = contiguous(&arr);
        Ok(PyBqm::indexed(
            py.detach(|| Bqm::from_dense(vt, r, &data)).or_raise()?,
        ))
    }

    /// dimod's `_init_components`: the quadratic part first (a mapping or iterator of pairs, or
    /// anything else as a dense matrix), then the linear part (a mapping or iterator, or an array
    /// whose entry `i` goes to the variable labelled `i`), so variables are ordered as dimod
    /// orders them.
    pub(crate) fn from_parts(
        py: Python<'_>,
        linear: &Bound<'_, PyAny>,
        quadratic: &Bound<'_, PyAny>,
        offset: f64,
        vt: Vartype,
    ) -> PyResult<Self> {
        let abc = py.import("collections.abc")?;
        let (mapping, iterator) = (abc.getattr("Mapping")?, abc.getattr("Iterator")?);
        let mut bqm = if quadratic.is_instance(&mapping)? {
            let mut b = PyBqm::indexed(Bqm::new(vt));
            let as_dict = py.get_type::<PyDict>().call1((quadratic,))?;
            b.add_quadratic_from(py, &as_dict)?;
            b
        } else if quadratic.is_instance(&iterator)? {
            let mut b = PyBqm::indexed(Bqm::new(vt));
            b.add_quadratic_from(py, quadratic)?;
            b
        } else {
            Self::dense(py, quadratic, vt)?
        };
        if linear.is_instance(&mapping)? {
            bqm.add_linear_from(py, &linear.call_method0("items")?)?;
        } else if linear.is_instance(&iterator)? {
            bqm.add_linear_from(py, linear)?;
        } else {
            bqm.add_linear_from_array(py, linear)?;
        }
        bqm.inner.add_offset(offset).or_raise()?;
        Ok(bqm)
    }
}
