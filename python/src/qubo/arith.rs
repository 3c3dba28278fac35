//! dimod's model algebra on `Bqm`: `update`, `+ - * /`, negation, `**2`, the `spin` / `binary`
//! views (reads and writes in the other vartype), `iter_*`, `dtype` and `is_almost_equal`. Each
//! method maps labels and calls one core function (`Bqm::update`, `Bqm::linear_product`,
//! `Bqm::linear_in`, `Bqm::add_linear_in`, ...).

use super::bqm::{PyBqm, bias_arg, vartype_arg};
use crate::errors::{OrRaise, invalid_argument};
use neuroquant::qubo::{Bqm, Vartype};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyTuple};

impl PyBqm {
    /// `other` as a model of its own (a copy): a `Bqm`, a `spin`/`binary` view of one, or a
    /// dimod binary quadratic model (or view). `None` for anything else.
    pub(crate) fn operand(py: Python<'_>, other: &Bound<'_, PyAny>) -> PyResult<Option<PyBqm>> {
        if let Ok(b) = other.cast::<PyBqm>() {
            return Ok(Some(b.borrow().copy_ref(py)));
        }
        let views = py.import("neuroquant._views")?;
        if other.is_instance(&views.getattr("VartypeView")?)? {
            let base = other.getattr("_bqm")?;
            let base = base.cast::<PyBqm>()?.borrow();
            let mut copy = base.copy_ref(py);
            copy.inner
                .change_vartype(vartype_arg(&other.getattr("_vartype")?)?)
                .or_raise()?;
            return Ok(Some(copy));
        }
        if other.hasattr("vartype")? && other.hasattr("to_numpy_vectors")? && other.hasattr("variables")? {
            return Ok(Some(Self::from_dimod(py, other)?));
        }
        Ok(None)
    }

    fn required_operand(py: Python<'_>, other: &Bound<'_, PyAny>) -> PyResult<PyBqm> {
        Self::operand(py, other)?.ok_or_else(|| {
            invalid_argument(
                "other",
                format!(
                    "must be a binary quadratic model (neuroquant or dimod), got {}",
                    other.get_type().name().map(|n| n.to_string()).unwrap_or_default()
                ),
            )
        })
    }

    /// Adds `other`'s variables (new labels appended in its order), biases and offset, read in
    /// this model's vartype; all or nothing.
    pub(crate) fn update_with(&mut self, py: Python<'_>, other: &PyBqm) -> PyResult<()> {
        let labels: Vec<Bound<'_, PyAny>> = other.labels.to_list(py)?.iter().collect();
        let staged = self.stage("other", labels, false)?;
        let model = &other.inner;
        self.commit_staged(py, staged, |bqm, vars| bqm.update(model, vars))
    }

    /// dimod refuses to add models of different vartypes into a binary quadratic model (it
    /// returns a `QuadraticModel`, which neuroquant does not have): say so.
    fn same_vartype(&self, other: &PyBqm, op: &str) -> PyResult<()> {
        if other.inner.num_variables() > 0 && other.inner.vartype() != self.inner.vartype() {
            return Err(invalid_argument(
                "other",
                format!(
                    "is {} and this model is {}: dimod turns `{op}` of mixed vartypes into a \
                     QuadraticModel, which neuroquant has not; convert one first (other.{} or \
                     change_vartype)",
                    other.inner.vartype(),
                    self.inner.vartype(),
                    self.inner.vartype().name().to_lowercase()
                ),
            ));
        }
        Ok(())
    }

    fn scaled(&self, py: Python<'_>, scalar: f64) -> PyResult<PyBqm> {
        let mut copy = self.copy_ref(py);
        copy.inner.scale(scalar).or_raise()?;
        Ok(copy)
    }
}

/// A real number operand (Python or numpy scalar, not a bool-like model); `None` otherwise.
fn number(other: &Bound<'_, PyAny>) -> PyResult<Option<f64>> {
    let py = other.py();
    if other.is_instance(&py.import("numbers")?.getattr("Number")?)? {
        return Ok(Some(other.extract::<f64>()?));
    }
    Ok(None)
}

#[pymethods]
impl PyBqm {
    /// numpy's float64 dtype: the type of every bias (dimod's `dtype`).
    #[getter]
    fn dtype<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        py.import("numpy")?.getattr("dtype")?.call1(("float64",))
    }

    /// The model as SPIN: itself when it is SPIN, else a live view whose reads and writes are in
    /// SPIN terms (dimod's `bqm.spin`).
    #[getter]
    fn spin<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyAny>> {
        view(slf, Vartype::Spin)
    }

    /// The model as BINARY: itself or a live view (dimod's `bqm.binary`).
    #[getter]
    fn binary<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyAny>> {
        view(slf, Vartype::Binary)
    }

    /// Linear bias of `v` in `vartype`'s terms (for the views).
    fn _linear_in(&self, v: &Bound<'_, PyAny>, vartype: &Bound<'_, PyAny>) -> PyResult<f64> {
        self.inner
            .linear_in(self.index("v", v)?, vartype_arg(vartype)?)
            .or_raise()
    }

    /// Bias of the pair `(u, v)` in `vartype`'s terms, `default` (or an error) when absent.
    #[pyo3(signature = (u, v, vartype, default = None))]
    fn _quadratic_in(
        &self,
        u: &Bound<'_, PyAny>,
        v: &Bound<'_, PyAny>,
        vartype: &Bound<'_, PyAny>,
        default: Option<f64>,
    ) -> PyResult<f64> {
        let (ui, vi) = (self.index("u", u)?, self.index("v", v)?);
        match (
            self.inner
                .quadratic_in(ui, vi, vartype_arg(vartype)?)
                .or_raise()?,
            default,
        ) {
            (Some(b), _) => Ok(b),
            (None, Some(d)) => Ok(d),
            (None, None) => Err(invalid_argument(
                "v",
                format!("there is no interaction between {} and {}", u.repr()?, v.repr()?),
            )),
        }
    }

    /// The offset in `vartype`'s terms.
    fn _offset_in(&self, vartype: &Bound<'_, PyAny>) -> PyResult<f64> {
        self.inner.offset_in(vartype_arg(vartype)?).or_raise()
    }

    /// Adds `bias` to `v`'s linear bias in `vartype`'s terms (adding `v` if new).
    fn _add_linear_in(
        &mut self,
        v: &Bound<'_, PyAny>,
        bias: f64,
        vartype: &Bound<'_, PyAny>,
    ) -> PyResult<()> {
        let (bias, vt) = (bias_arg("bias", bias)?, vartype_arg(vartype)?);
        let staged = self.stage("v", [v.clone()], false)?;
        self.commit_staged(v.py(), staged, |bqm, vars| bqm.add_linear_in(vars[0], bias, vt))
    }

    /// Adds `bias` to the pair `(u, v)` in `vartype`'s terms (adding new variables).
    fn _add_quadratic_in(
        &mut self,
        u: &Bound<'_, PyAny>,
        v: &Bound<'_, PyAny>,
        bias: f64,
        vartype: &Bound<'_, PyAny>,
    ) -> PyResult<()> {
        let (bias, vt) = (bias_arg("bias", bias)?, vartype_arg(vartype)?);
        if u.eq(v)? {
            return Err(invalid_argument(
                "v",
                format!("{} cannot have an interaction with itself", u.repr()?),
            ));
        }
        let staged = self.stage("v", [u.clone(), v.clone()], false)?;
        self.commit_staged(u.py(), staged, |bqm, vars| {
            bqm.add_quadratic_in(vars[0], vars[1], bias, vt)
        })
    }

    /// `(u, v, bias)` for every stored pair, `u` before `v` in variable order (dimod's
    /// `iter_quadratic`).
    fn iter_quadratic<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let items = PyList::empty(py);
        for (u, v, b) in self.inner.iter_quadratic() {
            items.append((
                self.labels.label(py, u as usize),
                self.labels.label(py, v as usize),
                b,
            ))?;
        }
        items.try_iter().map(|i| i.into_any())
    }

    /// `(v, bias)` for every variable, in order (dimod's `iter_linear`).
    fn iter_linear<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let items = PyList::empty(py);
        for (i, &a) in self.inner.linear().iter().enumerate() {
            items.append((self.labels.label(py, i), a))?;
        }
        items.try_iter().map(|i| i.into_any())
    }

    /// `(u, bias)` for every neighbour of `v` (dimod's `iter_neighborhood`).
    fn iter_neighborhood<'py>(&self, py: Python<'py>, v: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
        let (nbrs, biases) = self.inner.neighborhood(self.index("v", v)?).or_raise()?;
        let items = PyList::empty(py);
        for (&u, &b) in nbrs.iter().zip(biases) {
            items.append((self.labels.label(py, u as usize), b))?;
        }
        items.try_iter().map(|i| i.into_any())
    }

    /// True when the model has no interactions.
    fn is_linear(&self) -> bool {
        self.inner.num_interactions() == 0
    }

    /// Adds another model (a `Bqm`, a dimod BQM, or a view), read in this model's vartype: its
    /// new variables are appended in its order, biases and offset added (dimod's `update`). All or
    /// nothing.
    fn update(slf: &Bound<'_, Self>, other: &Bound<'_, PyAny>) -> PyResult<()> {
        let py = slf.py();
        let other = PyBqm::required_operand(py, other)?;
        slf.borrow_mut().update_with(py, &other)
    }

    /// dimod's `is_almost_equal`: same vartype, variables (in any order) and pairs, and biases and
    /// offset whose differences round to zero at `places` decimals. A number compares with the
    /// offset of a model without variables.
    #[pyo3(signature = (other, places = 7))]
    fn is_almost_equal(&self, py: Python<'_>, other: &Bound<'_, PyAny>, places: i32) -> PyResult<bool> {
        let Some(other) = PyBqm::operand(py, other)? else {
            return Ok(match number(other)? {
                Some(x) => {
                    self.inner.num_variables() == 0
                        && neuroquant::qubo::rounds_to_zero(self.inner.offset() - x, places)
                }
                None => false,
            });
        };
        if other.inner.vartype() != self.inner.vartype()
            || other.inner.num_variables() != self.inner.num_variables()
        {
            return Ok(false);
        }
        let mut map = Vec::with_capacity(other.labels.len());
        for i in 0..other.labels.len() {
            match self.labels.index_of(other.labels.label(py, i).bind(py))? {
                Some(j) => map.push(j),
                None => return Ok(false),
            }
        }
        Ok(self.inner.is_almost_equal(&other.inner, &map, places))
    }

    /// Attributes a `Bqm` lacks (dimod internals such as `data` that dimod code reaches for)
    /// raise an AttributeError that says how to get a dimod model.
    fn __getattr__(&self, name: &str) -> PyResult<Py<PyAny>> {
        Err(pyo3::exceptions::PyAttributeError::new_err(format!(
            "'neuroquant.qubo.Bqm' object has no attribute '{name}'; where dimod code needs a \
             dimod.BinaryQuadraticModel (its internals, a ConstrainedQuadraticModel), pass \
             bqm.to_dimod()"
        )))
    }

    fn __neg__(&self, py: Python<'_>) -> PyResult<PyBqm> {
        self.scaled(py, -1.0)
    }

    fn __pos__(slf: Bound<'_, Self>) -> Bound<'_, Self> {
        slf
    }

    fn __add__(&self, py: Python<'_>, other: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        if let Some(x) = number(other)? {
            let mut copy = self.copy_ref(py);
            copy.inner.add_offset(x).or_raise()?;
            return Ok(Py::new(py, copy)?.into_any());
        }
        let Some(other) = PyBqm::operand(py, other)? else {
            return Ok(py.NotImplemented());
        };
        self.same_vartype(&other, "+")?;
        let mut copy = self.copy_ref(py);
        copy.update_with(py, &other)?;
        Ok(Py::new(py, copy)?.into_any())
    }

    /// `other + self` (a number, or a dimod model on the left): `other`'s variables first, as
    /// dimod orders a sum.
    fn __radd__(&self, py: Python<'_>, other: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        if number(other)?.is_some() {
            return self.__add__(py, other);
        }
        let Some(mut left) = PyBqm::operand(py, other)? else {
            return Ok(py.NotImplemented());
        };
        left.same_vartype(self, "+")?;
        left.update_with(py, self)?;
        Ok(Py::new(py, left)?.into_any())
    }

    fn __iadd__(slf: &Bound<'_, Self>, other: &Bound<'_, PyAny>) -> PyResult<()> {
        let py = slf.py();
        if let Some(x) = number(other)? {
            return slf.borrow_mut().inner.add_offset(x).or_raise();
        }
        let other = PyBqm::required_operand(py, other)?;
        slf.borrow().same_vartype(&other, "+=")?;
        slf.borrow_mut().update_with(py, &other)
    }

    fn __sub__(&self, py: Python<'_>, other: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        if let Some(x) = number(other)? {
            let mut copy = self.copy_ref(py);
            copy.inner.add_offset(-x).or_raise()?;
            return Ok(Py::new(py, copy)?.into_any());
        }
        let Some(other) = PyBqm::operand(py, other)? else {
            return Ok(py.NotImplemented());
        };
        self.same_vartype(&other, "-")?;
        let mut copy = self.copy_ref(py);
        copy.update_with(py, &other.scaled(py, -1.0)?)?;
        Ok(Py::new(py, copy)?.into_any())
    }

    fn __rsub__(&self, py: Python<'_>, other: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        if let Some(x) = number(other)? {
            let mut neg = self.scaled(py, -1.0)?;
            neg.inner.add_offset(x).or_raise()?;
            return Ok(Py::new(py, neg)?.into_any());
        }
        let Some(mut left) = PyBqm::operand(py, other)? else {
            return Ok(py.NotImplemented());
        };
        left.same_vartype(self, "-")?;
        left.update_with(py, &self.scaled(py, -1.0)?)?;
        Ok(Py::new(py, left)?.into_any())
    }

    fn __isub__(slf: &Bound<'_, Self>, other: &Bound<'_, PyAny>) -> PyResult<()> {
        let py = slf.py();
        if let Some(x) = number(other)? {
            return slf.borrow_mut().inner.add_offset(-x).or_raise();
        }
        let other = PyBqm::required_operand(py, other)?;
        slf.borrow().same_vartype(&other, "-=")?;
        let neg = other.scaled(py, -1.0)?;
        slf.borrow_mut().update_with(py, &neg)
    }

    fn __mul__(&self, py: Python<'_>, other: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        if let Some(x) = number(other)? {
            return Ok(Py::new(py, self.scaled(py, x)?)?.into_any());
        }
        let Some(other) = PyBqm::operand(py, other)? else {
            return Ok(py.NotImplemented());
        };
        if !(self.inner.num_interactions() == 0 && other.inner.num_interactions() == 0) {
            return Err(pyo3::exceptions::PyTypeError::new_err(
                "cannot multiply BQMs with interactions",
            ));
        }
        self.same_vartype(&other, "*")?;
        Ok(Py::new(py, self.product(py, &other)?)?.into_any())
    }

    fn __rmul__(&self, py: Python<'_>, other: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        if number(other)?.is_some() {
            return self.__mul__(py, other);
        }
        let Some(left) = PyBqm::operand(py, other)? else {
            return Ok(py.NotImplemented());
        };
        if !(self.inner.num_interactions() == 0 && left.inner.num_interactions() == 0) {
            return Err(pyo3::exceptions::PyTypeError::new_err(
                "cannot multiply BQMs with interactions",
            ));
        }
        left.same_vartype(self, "*")?;
        Ok(Py::new(py, left.product(py, self)?)?.into_any())
    }

    fn __imul__(slf: &Bound<'_, Self>, other: &Bound<'_, PyAny>) -> PyResult<()> {
        let Some(x) = number(other)? else {
            return Err(pyo3::exceptions::PyTypeError::new_err(
                "in-place multiplication of a model takes a number (use `*` for models)",
            ));
        };
        slf.borrow_mut().inner.scale(x).or_raise()
    }

    fn __truediv__(&self, py: Python<'_>, other: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        let Some(x) = number(other)? else {
            return Ok(py.NotImplemented());
        };
        if x == 0.0 {
            return Err(pyo3::exceptions::PyZeroDivisionError::new_err("division by zero"));
        }
        Ok(Py::new(py, self.scaled(py, 1.0 / x)?)?.into_any())
    }

    fn __itruediv__(slf: &Bound<'_, Self>, other: &Bound<'_, PyAny>) -> PyResult<()> {
        let Some(x) = number(other)? else {
            return Err(pyo3::exceptions::PyTypeError::new_err(
                "a model divides by a number only",
            ));
        };
        if x == 0.0 {
            return Err(pyo3::exceptions::PyZeroDivisionError::new_err("division by zero"));
        }
        slf.borrow_mut().inner.scale(1.0 / x).or_raise()
    }

    fn __pow__(
        &self,
        py: Python<'_>,
        other: &Bound<'_, PyAny>,
        modulo: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Py<PyAny>> {
        let _ = modulo;
        let Ok(p) = other.extract::<i64>() else {
            return Ok(py.NotImplemented());
        };
        if p != 2 {
            return Err(invalid_argument(
                "other",
                "the only supported power for binary quadratic models is 2".into(),
            ));
        }
        if self.inner.num_interactions() > 0 {
            return Err(invalid_argument(
                "self",
                "only linear models can be squared".into(),
            ));
        }
        let me = self.copy_ref(py);
        Ok(Py::new(py, self.product(py, &me)?)?.into_any())
    }
}

impl PyBqm {
    /// `self * other` for linear models: variables in dimod's order (`self`'s first, then
    /// `other`'s, then `self`'s others), the expansion by the core.
    fn product(&self, py: Python<'_>, other: &PyBqm) -> PyResult<PyBqm> {
        let order = PyDict::new(py);
        let mut labels: Vec<Py<PyAny>> = Vec::new();
        let mut index = |label: Py<PyAny>| -> PyResult<u32> {
            if let Some(i) = order.get_item(label.bind(py))? {
                return i.extract();
            }
            let i = labels.len() as u32;
            order.set_item(label.bind(py), i)?;
            labels.push(label);
            Ok(i)
        };
        let (n1, n2) = (self.labels.len(), other.labels.len());
        let mut a_map = vec![0u32; n1];
        let mut b_map = vec![0u32; n2];
        if n1 > 0 {
            a_map[0] = index(self.labels.label(py, 0))?;
        }
        for (j, m) in b_map.iter_mut().enumerate() {
            *m = index(other.labels.label(py, j))?;
        }
        for (i, m) in a_map.iter_mut().enumerate().skip(1) {
            *m = index(self.labels.label(py, i))?;
        }
        let n = labels.len();
        let inner = Bqm::linear_product(&self.inner, &other.inner, &a_map, &b_map, n).or_raise()?;
        Ok(PyBqm {
            inner,
            labels: super::labels::Labels::from_list(py, labels)?,
        })
    }
}

/// `slf` itself when it is in `vartype`, else a `neuroquant._views.VartypeView`.
fn view<'py>(slf: &Bound<'py, PyBqm>, vartype: Vartype) -> PyResult<Bound<'py, PyAny>> {
    if slf.borrow().inner.vartype() == vartype {
        return Ok(slf.clone().into_any());
    }
    let py = slf.py();
    py.import("neuroquant._views")?
        .getattr("VartypeView")?
        .call1(PyTuple::new(
            py,
            [
                slf.clone().into_any(),
                vartype.name().into_pyobject(py)?.into_any(),
            ],
        )?)
}
