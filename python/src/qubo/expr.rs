//! `neuroquant.qubo` expressions in PyQUBO's vocabulary: `Binary`, `Spin`, `Num`, `Placeholder`,
//! `Constraint`, `SubH` (subclasses of `Expr`), `Condition`, plus `Array` and `Model` (in the
//! files of this folder). Every operator builds one core node (O(1)); expansion happens in
//! `compile`, with the GIL released.

mod array;
mod model;
mod pickle;
mod vocab;

use crate::errors::{OrRaise, invalid_argument};
use neuroquant::error::check;
use neuroquant::qubo::expr::{Condition, Expr, Strength};
use pyo3::exceptions::PyZeroDivisionError;
use pyo3::prelude::*;
use pyo3::types::{PyFloat, PyInt};
use std::sync::Arc;

pub(crate) use array::PyArray;
pub(crate) use model::{PyDecodedSample, PyModel};

/// A symbolic expression (PyQUBO's `Base`).
#[pyclass(name = "Expr", module = "neuroquant.qubo", subclass, frozen)]
pub struct PyExpr {
    pub(crate) inner: Expr,
}

/// The other operand of an arithmetic operator.
pub(crate) enum Operand {
    E(Expr),
    N(f64),
}

impl Operand {
    /// An expression or a finite number; `None` for anything else (the operator then returns
    /// `NotImplemented`, so Python raises its usual `TypeError`).
    pub(crate) fn extract(obj: &Bound<'_, PyAny>) -> PyResult<Option<Operand>> {
        if let Ok(e) = obj.cast::<PyExpr>() {
            return Ok(Some(Operand::E(e.get().inner.clone())));
        }
        match obj.extract::<f64>() {
            Ok(v) => {
                check::finite("other", v).or_raise()?;
                Ok(Some(Operand::N(v)))
            }
            Err(_) => Ok(None),
        }
    }

    pub(crate) fn into_expr(self) -> Expr {
        match self {
            Operand::E(e) => e,
            Operand::N(v) => Expr::num(v),
        }
    }

    /// `a · b` without building nodes for numbers.
    pub(crate) fn mul(a: &Operand, b: &Operand) -> Operand {
        match (a, b) {
            (Operand::N(x), Operand::N(y)) => Operand::N(x * y),
            (Operand::E(e), Operand::N(v)) | (Operand::N(v), Operand::E(e)) => Operand::E(e.scale(*v)),
            (Operand::E(x), Operand::E(y)) => Operand::E(x * y),
        }
    }
}

pub(crate) fn new_expr(py: Python<'_>, e: Expr) -> PyResult<Py<PyAny>> {
    Ok(Py::new(py, PyExpr { inner: e })?.into_any())
}

fn binary_op(
    py: Python<'_>,
    other: &Bound<'_, PyAny>,
    f: impl FnOnce(Operand) -> Expr,
) -> PyResult<Py<PyAny>> {
    match Operand::extract(other)? {
        Some(o) => new_expr(py, f(o)),
        None => Ok(py.NotImplemented()),
    }
}

#[pymethods]
impl PyExpr {
    fn __add__(&self, py: Python<'_>, other: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        binary_op(py, other, |o| match o {
            Operand::E(e) => &self.inner + &e,
            Operand::N(v) => &self.inner + v,
        })
    }

    fn __radd__(&self, py: Python<'_>, other: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        binary_op(py, other, |o| match o {
            Operand::E(e) => &e + &self.inner,
            Operand::N(v) => v + &self.inner,
        })
    }

    fn __sub__(&self, py: Python<'_>, other: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        binary_op(py, other, |o| match o {
            Operand::E(e) => &self.inner - &e,
            Operand::N(v) => &self.inner - v,
        })
    }

    fn __rsub__(&self, py: Python<'_>, other: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        binary_op(py, other, |o| match o {
            Operand::E(e) => &e - &self.inner,
            Operand::N(v) => v - &self.inner,
        })
    }

    fn __mul__(&self, py: Python<'_>, other: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        binary_op(py, other, |o| match o {
            Operand::E(e) => &self.inner * &e,
            Operand::N(v) => self.inner.scale(v),
        })
    }

    fn __rmul__(&self, py: Python<'_>, other: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        binary_op(py, other, |o| match o {
            Operand::E(e) => &e * &self.inner,
            Operand::N(v) => self.inner.scale(v),
        })
    }

    /// Division by a number.
    fn __truediv__(&self, py: Python<'_>, other: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        if other.cast::<PyExpr>().is_ok() {
            return Ok(py.NotImplemented());
        }
        match Operand::extract(other)? {
            Some(Operand::N(v)) => {
                if v == 0.0 {
                    return Err(PyZeroDivisionError::new_err("division of an expression by zero"));
                }
                let c = check::finite("other", 1.0 / v).or_raise()?;
                new_expr(py, self.inner.scale(c))
            }
            _ => Ok(py.NotImplemented()),
        }
    }

    fn __neg__(&self) -> PyExpr {
        PyExpr { inner: -&self.inner }
    }

    fn __pos__(slf: Bound<'_, Self>) -> Bound<'_, Self> {
        slf
    }

    /// `expr ** k` for a non-negative integer `k`.
    fn __pow__(
        &self,
        py: Python<'_>,
        exponent: &Bound<'_, PyAny>,
        modulo: &Bound<'_, PyAny>,
    ) -> PyResult<Py<PyAny>> {
        if !modulo.is_none() {
            return Ok(py.NotImplemented());
        }
        let k = if exponent.is_instance_of::<PyFloat>() {
            None
        } else if exponent.is_instance_of::<PyInt>() || exponent.hasattr("__index__")? {
            Some(exponent.extract::<i64>().ok())
        } else {
            return Ok(py.NotImplemented());
        };
        match k {
            Some(Some(k)) if (0..=u32::MAX as i64).contains(&k) => new_expr(py, self.inner.pow(k as u32)),
            _ => Err(invalid_argument(
                "exponent",
                format!("{} is not allowed, must be an integer >= 0", exponent.repr()?),
            )),
        }
    }

    /// Compiles to a `Model`: expands the expression, writes spins in binary form and
    /// quadratizes higher-order terms with auxiliary variables and penalty `strength` (a
    /// positive number, or a `Placeholder` given a value in `feed_dict`, as in PyQUBO).
    #[pyo3(signature = (strength = None))]
    fn compile(&self, py: Python<'_>, strength: Option<&Bound<'_, PyAny>>) -> PyResult<PyModel> {
        let spec = strength_arg(strength)?;
        let inner = &self.inner;
        let model = py.detach(|| inner.compile_with(spec)).or_raise()?;
        Ok(PyModel::new(model, inner.clone()))
    }

    fn __repr__(&self) -> String {
        self.inner.to_string()
    }

    /// Structural comparison, as PyQUBO's: `Binary('x') + 1 == Binary('x') + 1`.
    fn __richcmp__(&self, py: Python<'_>, other: &Bound<'_, PyAny>, op: pyo3::basic::CompareOp) -> Py<PyAny> {
        use pyo3::basic::CompareOp;
        let Ok(other) = other.cast::<PyExpr>() else {
            return py.NotImplemented();
        };
        let eq = self.inner == other.get().inner;
        match op {
            CompareOp::Eq => eq
                .into_pyobject(py)
                .map(|b| b.to_owned().into_any().unbind())
                .unwrap_or_else(|_| py.None()),
            CompareOp::Ne => (!eq)
                .into_pyobject(py)
                .map(|b| b.to_owned().into_any().unbind())
                .unwrap_or_else(|_| py.None()),
            _ => py.NotImplemented(),
        }
    }

    /// A hash of the structure, consistent with `==`.
    fn __hash__(&self) -> u64 {
        use std::hash::{Hash, Hasher};
        let mut h = std::collections::hash_map::DefaultHasher::new();
        self.inner.hash(&mut h);
        h.finish()
    }
}

macro_rules! variable_class {
    ($rust:ident, $name:literal, $ctor:ident, $doc:literal) => {
        #[doc = $doc]
        #[pyclass(name = $name, module = "neuroquant.qubo", extends = PyExpr, frozen)]
        pub struct $rust {}

        #[pymethods]
        impl $rust {
            #[new]
            fn new(label: String) -> PyClassInitializer<Self> {
                PyClassInitializer::from(PyExpr {
                    inner: Expr::$ctor(label),
                })
                .add_subclass($rust {})
            }

            /// The variable's label.
            #[getter]
            fn label(slf: &Bound<'_, Self>) -> String {
                let e = &slf.as_super().get().inner;
                e.as_variable()
                    .map(|v| v.0)
                    .or(e.as_placeholder())
                    .unwrap_or_default()
                    .to_string()
            }
        }
    };
}

variable_class!(PyBinary, "Binary", binary, "A variable with values in {0, 1}.");
variable_class!(PySpin, "Spin", spin, "A variable with values in {-1, +1}.");
variable_class!(
    PyPlaceholder,
    "Placeholder",
    placeholder,
    "A symbolic coefficient, given a value in `feed_dict` when the model is bound."
);

impl PyPlaceholder {
    /// A new `Placeholder(label)` object.
    pub(crate) fn class_instance<'py>(py: Python<'py>, label: &str) -> PyResult<Bound<'py, PyAny>> {
        let init = PyClassInitializer::from(PyExpr {
            inner: Expr::placeholder(label),
        })
        .add_subclass(PyPlaceholder {});
        Ok(Bound::new(py, init)?.into_any())
    }
}

/// A number as an expression.
#[pyclass(name = "Num", module = "neuroquant.qubo", extends = PyExpr, frozen)]
pub struct PyNum {}

#[pymethods]
impl PyNum {
    #[new]
    fn new(value: f64) -> PyResult<PyClassInitializer<Self>> {
        check::finite("value", value).or_raise()?;
        Ok(PyClassInitializer::from(PyExpr {
            inner: Expr::num(value),
        })
        .add_subclass(PyNum {}))
    }

    #[getter]
    /// The number this constant holds.
    fn value(slf: &Bound<'_, Self>) -> f64 {
        slf.as_super().get().inner.as_number().unwrap_or(f64::NAN)
    }
}

/// The user's callable behind a custom condition (evaluated by the binding, with the GIL).
pub(crate) struct Callback(pub(crate) Py<PyAny>);

/// When a constraint holds: a standard test (`equal`, `at_most`, `at_least`, with an absolute
/// tolerance) evaluated in Rust. Any other callable works too (called with the value).
#[pyclass(name = "Condition", module = "neuroquant.qubo", frozen)]
pub struct PyCondition {
    inner: Condition,
}

#[pymethods]
impl PyCondition {
    /// `|v - value| <= atol` (the default condition of a constraint is `equal(0.0)`).
    #[staticmethod]
    #[pyo3(signature = (value = 0.0, atol = 0.0))]
    fn equal(value: f64, atol: f64) -> PyResult<Self> {
        Ok(PyCondition {
            inner: Condition::equal(value, atol).or_raise()?,
        })
    }

    /// `v <= value + atol`.
    #[staticmethod]
    #[pyo3(signature = (value, atol = 0.0))]
    fn at_most(value: f64, atol: f64) -> PyResult<Self> {
        Ok(PyCondition {
            inner: Condition::at_most(value, atol).or_raise()?,
        })
    }

    /// `v >= value - atol`.
    #[staticmethod]
    #[pyo3(signature = (value, atol = 0.0))]
    fn at_least(value: f64, atol: f64) -> PyResult<Self> {
        Ok(PyCondition {
            inner: Condition::at_least(value, atol).or_raise()?,
        })
    }

    fn __call__(&self, value: f64) -> bool {
        self.inner.holds(value).unwrap_or(false)
    }

    fn __repr__(&self) -> String {
        match &self.inner {
            Condition::Equal { value, atol } => format!("Condition.equal({value:?}, atol={atol:?})"),
            Condition::AtMost { value, atol } => format!("Condition.at_most({value:?}, atol={atol:?})"),
            Condition::AtLeast { value, atol } => format!("Condition.at_least({value:?}, atol={atol:?})"),
            _ => "Condition(custom)".into(),
        }
    }
}

/// A named constraint: adds `expr` to the energy; decoding reports its value and whether
/// `condition` holds (default: equal to 0, as PyQUBO).
#[pyclass(name = "Constraint", module = "neuroquant.qubo", extends = PyExpr, frozen)]
pub struct PyConstraint {}

#[pymethods]
impl PyConstraint {
    #[new]
    #[pyo3(signature = (expr, label, condition = None))]
    fn new(
        expr: &Bound<'_, PyAny>,
        label: String,
        condition: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<PyClassInitializer<Self>> {
        let expr = expression_arg(expr)?;
        let condition = match condition {
            None => Condition::default(),
            Some(c) if c.is_none() => Condition::default(),
            Some(c) => match c.cast::<PyCondition>() {
                Ok(c) => c.get().inner.clone(),
                Err(_) if c.is_callable() => Condition::Custom(Arc::new(Callback(c.clone().unbind()))),
                Err(_) => {
                    return Err(invalid_argument(
                        "condition",
                        format!("{} is not a Condition or a callable", c.repr()?),
                    ));
                }
            },
        };
        Ok(PyClassInitializer::from(PyExpr {
            inner: Expr::constraint(expr, label, condition),
        })
        .add_subclass(PyConstraint {}))
    }

    /// The label (the name reported when decoding).
    #[getter]
    fn label(slf: &Bound<'_, Self>) -> String {
        labelled(slf.as_super()).0
    }

    /// The constrained expression.
    /// The wrapped expression.
    #[getter]
    fn expr(slf: &Bound<'_, Self>) -> PyExpr {
        PyExpr {
            inner: labelled(slf.as_super()).1,
        }
    }

    /// The `Condition`, or the callable given as condition.
    #[getter]
    fn condition(slf: &Bound<'_, Self>) -> PyResult<Py<PyAny>> {
        let py = slf.py();
        match slf.as_super().get().inner.as_labelled().and_then(|l| l.1) {
            Some(Condition::Custom(payload)) => match payload.downcast_ref::<Callback>() {
                Some(cb) => Ok(cb.0.clone_ref(py)),
                None => Ok(py.None()),
            },
            Some(c) => Ok(Py::new(py, PyCondition { inner: c.clone() })?.into_any()),
            None => Ok(py.None()),
        }
    }
}

/// A named sub-Hamiltonian: adds `expr` to the energy; decoding reports its value.
#[pyclass(name = "SubH", module = "neuroquant.qubo", extends = PyExpr, frozen)]
pub struct PySubH {}

#[pymethods]
impl PySubH {
    #[new]
    fn new(expr: &Bound<'_, PyAny>, label: String) -> PyResult<PyClassInitializer<Self>> {
        Ok(PyClassInitializer::from(PyExpr {
            inner: Expr::subh(expression_arg(expr)?, label),
        })
        .add_subclass(PySubH {}))
    }

    /// The label (the name reported when decoding).
    #[getter]
    fn label(slf: &Bound<'_, Self>) -> String {
        labelled(slf.as_super()).0
    }

    /// The wrapped expression.
    #[getter]
    fn expr(slf: &Bound<'_, Self>) -> PyExpr {
        PyExpr {
            inner: labelled(slf.as_super()).1,
        }
    }
}

fn labelled(e: &Bound<'_, PyExpr>) -> (String, Expr) {
    match e.get().inner.as_labelled() {
        Some((label, _, inner)) => (label.to_string(), inner.clone()),
        None => (String::new(), Expr::num(0.0)),
    }
}

fn wrong_type(argument: &'static str, expected: &str, obj: &Bound<'_, PyAny>) -> PyErr {
    let got = obj.get_type().name().map(|n| n.to_string()).unwrap_or_default();
    crate::errors::to_pyerr(
        neuroquant::ArgumentError::WrongType {
            argument,
            expected: expected.into(),
            got,
        }
        .into(),
    )
}

/// `compile`'s `strength`: a number (default PyQUBO's 5.0) or a `Placeholder`.
pub(crate) fn strength_arg(obj: Option<&Bound<'_, PyAny>>) -> PyResult<Strength> {
    let Some(obj) = obj.filter(|o| !o.is_none()) else {
        return Ok(Strength::Value(neuroquant::qubo::expr::DEFAULT_STRENGTH));
    };
    if let Ok(e) = obj.cast::<PyExpr>() {
        return match e.get().inner.as_placeholder() {
            Some(p) => Ok(Strength::Placeholder(p.into())),
            None => Err(invalid_argument(
                "strength",
                format!("{} is not a number or a Placeholder", obj.repr()?),
            )),
        };
    }
    if obj.is_instance_of::<pyo3::types::PyBool>() {
        return Err(wrong_type("strength", "a number or a Placeholder", obj));
    }
    match obj.extract::<f64>() {
        Ok(v) => Ok(Strength::Value(v)),
        Err(_) => Err(wrong_type("strength", "a number or a Placeholder", obj)),
    }
}

/// An expression argument: an `Expr` or a finite number.
fn expression_arg(obj: &Bound<'_, PyAny>) -> PyResult<Expr> {
    match Operand::extract(obj)? {
        Some(o) => Ok(o.into_expr()),
        None => Err(invalid_argument(
            "expr",
            format!("{} is not an expression or a number", obj.repr()?),
        )),
    }
}

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyExpr>()?;
    m.add_class::<PyBinary>()?;
    m.add_class::<PySpin>()?;
    m.add_class::<PyNum>()?;
    m.add_class::<PyPlaceholder>()?;
    m.add_class::<PyCondition>()?;
    m.add_class::<PyConstraint>()?;
    m.add_class::<PySubH>()?;
    m.add_class::<PyArray>()?;
    m.add_class::<PyModel>()?;
    m.add_class::<PyDecodedSample>()?;
    vocab::register(m)?;
    Ok(())
}
