//! PyQUBO's ready-made vocabulary on top of the core's (`neuroquant::qubo::expr::vocab`):
//! `WithPenalty`, the logic gates `Not`/`And`/`Or`/`Xor`, the logical constraints
//! `NotConst`/`AndConst`/`OrConst`/`XorConst` and the encoded integers
//! `LogEncInteger`/`UnaryEncInteger`/`OneHotEncInteger`/`OrderEncInteger`.

use super::{PyArray, PyBinary, PyExpr, PySubH, expression_arg};
use crate::errors::{OrRaise, invalid_argument};
use neuroquant::qubo::expr::{EncodedInteger, Encoding, Expr};
use pyo3::prelude::*;

fn subh(py: Python<'_>, e: Expr) -> PyResult<Py<PyAny>> {
    Ok(Py::new(
        py,
        PyClassInitializer::from(PyExpr { inner: e }).add_subclass(PySubH {}),
    )?
    .into_any())
}

fn expr(py: Python<'_>, e: Expr) -> PyResult<Py<PyAny>> {
    super::new_expr(py, e)
}

/// An expression whose `penalty` is added to the compiled model once per occurrence of the
/// expression in the expanded Hamiltonian, exactly as PyQUBO's
/// `WithPenalty(hamiltonian, penalty, label)` (`p + p` and `p**2` add it twice, `2 * p` once).
#[pyclass(name = "WithPenalty", module = "neuroquant.qubo", extends = PyExpr, frozen, subclass)]
pub struct PyWithPenalty {}

#[pymethods]
impl PyWithPenalty {
    #[new]
    fn new(
        hamiltonian: &Bound<'_, PyAny>,
        penalty: &Bound<'_, PyAny>,
        label: String,
    ) -> PyResult<PyClassInitializer<Self>> {
        let inner = Expr::with_penalty(expression_arg(hamiltonian)?, expression_arg(penalty)?, label);
        Ok(PyClassInitializer::from(PyExpr { inner }).add_subclass(PyWithPenalty {}))
    }

    /// The label.
    #[getter]
    fn label(slf: &Bound<'_, Self>) -> String {
        let e = &slf.as_super().get().inner;
        e.as_penalized().map(|p| p.0.to_string()).unwrap_or_default()
    }

    /// The penalty added to the compiled model per occurrence.
    #[getter]
    fn penalty(slf: &Bound<'_, Self>) -> PyExpr {
        let e = &slf.as_super().get().inner;
        PyExpr {
            inner: e
                .as_penalized()
                .map(|p| p.2.clone())
                .unwrap_or_else(|| Expr::num(0.0)),
        }
    }
}

/// Logical NOT of a binary expression: `1 - bit` (PyQUBO's `Not`).
#[pyfunction(name = "Not")]
fn not(py: Python<'_>, bit: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
    expr(py, Expr::not(&expression_arg(bit)?))
}

/// Logical AND of binary expressions: `bit_a * bit_b` (PyQUBO's `And`).
#[pyfunction(name = "And")]
fn and(py: Python<'_>, bit_a: &Bound<'_, PyAny>, bit_b: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
    expr(py, Expr::and(&expression_arg(bit_a)?, &expression_arg(bit_b)?))
}

/// Logical OR of binary expressions: `Not(And(Not(a), Not(b)))` (PyQUBO's `Or`).
#[pyfunction(name = "Or")]
fn or(py: Python<'_>, bit_a: &Bound<'_, PyAny>, bit_b: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
    expr(py, Expr::or(&expression_arg(bit_a)?, &expression_arg(bit_b)?))
}

/// Logical XOR of binary expressions: `And(Not(And(a, b)), Or(a, b))` (PyQUBO's `Xor`).
#[pyfunction(name = "Xor")]
fn xor(py: Python<'_>, bit_a: &Bound<'_, PyAny>, bit_b: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
    expr(py, Expr::xor(&expression_arg(bit_a)?, &expression_arg(bit_b)?))
}

/// The constraint `Not(a) = b` as a `SubH` named `label`: 0 when it holds, 1 otherwise
/// (PyQUBO's `NotConst`).
#[pyfunction(name = "NotConst")]
fn not_const(py: Python<'_>, a: &Bound<'_, PyAny>, b: &Bound<'_, PyAny>, label: &str) -> PyResult<Py<PyAny>> {
    subh(
        py,
        Expr::not_const(&expression_arg(a)?, &expression_arg(b)?, label),
    )
}

/// The constraint `And(a, b) = c` as a `SubH` named `label`: 0 when it holds, positive
/// otherwise (PyQUBO's `AndConst`).
#[pyfunction(name = "AndConst")]
fn and_const(
    py: Python<'_>,
    a: &Bound<'_, PyAny>,
    b: &Bound<'_, PyAny>,
    c: &Bound<'_, PyAny>,
    label: &str,
) -> PyResult<Py<PyAny>> {
    let (a, b, c) = (expression_arg(a)?, expression_arg(b)?, expression_arg(c)?);
    subh(py, Expr::and_const(&a, &b, &c, label))
}

/// The constraint `Or(a, b) = c` as a `SubH` named `label`: 0 when it holds, positive
/// otherwise (PyQUBO's `OrConst`).
#[pyfunction(name = "OrConst")]
fn or_const(
    py: Python<'_>,
    a: &Bound<'_, PyAny>,
    b: &Bound<'_, PyAny>,
    c: &Bound<'_, PyAny>,
    label: &str,
) -> PyResult<Py<PyAny>> {
    let (a, b, c) = (expression_arg(a)?, expression_arg(b)?, expression_arg(c)?);
    subh(py, Expr::or_const(&a, &b, &c, label))
}

/// The constraint `Xor(a, b) = c` as a `SubH` named `label` over an auxiliary binary
/// `aux_<label>`: its minimum over the auxiliary is 0 when it holds (PyQUBO's `XorConst`).
#[pyfunction(name = "XorConst")]
fn xor_const(
    py: Python<'_>,
    a: &Bound<'_, PyAny>,
    b: &Bound<'_, PyAny>,
    c: &Bound<'_, PyAny>,
    label: &str,
) -> PyResult<Py<PyAny>> {
    let (a, b, c) = (expression_arg(a)?, expression_arg(b)?, expression_arg(c)?);
    subh(py, Expr::xor_const(&a, &b, &c, label))
}

/// A `(lower, upper)` pair of Python ints (PyQUBO asserts `int`).
fn value_range(obj: &Bound<'_, PyAny>) -> PyResult<(i64, i64)> {
    let bad = || {
        invalid_argument(
            "value_range",
            format!(
                "{} is not a (lower, upper) pair of integers",
                obj.repr().map(|r| r.to_string()).unwrap_or_default()
            ),
        )
    };
    let (lo, hi): (Bound<'_, PyAny>, Bound<'_, PyAny>) = obj.extract().map_err(|_| bad())?;
    let int = |v: &Bound<'_, PyAny>| -> PyResult<i64> {
        if v.is_instance_of::<pyo3::types::PyBool>() || !v.hasattr("__index__")? {
            return Err(bad());
        }
        v.extract::<i64>().map_err(|_| bad())
    };
    Ok((int(&lo)?, int(&hi)?))
}

/// The integer's bits as an `Array` of `Binary` objects.
fn bits_array(py: Python<'_>, bits: &[Expr]) -> PyResult<Py<PyArray>> {
    let mut items = Vec::with_capacity(bits.len());
    for b in bits {
        let init = PyClassInitializer::from(PyExpr { inner: b.clone() }).add_subclass(PyBinary {});
        let obj = Py::new(py, init)?.into_any();
        items.push(obj.bind(py).cast::<PyExpr>()?.clone().unbind());
    }
    Py::new(py, PyArray::contiguous(items, vec![bits.len()]))
}

fn new_integer<T: pyo3::PyClass<BaseType = PyExpr>>(
    py: Python<'_>,
    encoding: Encoding,
    label: &str,
    range: &Bound<'_, PyAny>,
    strength: Option<&Bound<'_, PyAny>>,
    make: impl FnOnce(EncodedInteger, Py<PyArray>) -> T,
) -> PyResult<PyClassInitializer<T>> {
    let (lo, hi) = value_range(range)?;
    let strength = match strength {
        Some(s) => expression_arg(s).map_err(|_| {
            invalid_argument(
                "strength",
                format!(
                    "{} is not a number or a Placeholder",
                    s.repr().map(|r| r.to_string()).unwrap_or_default()
                ),
            )
        })?,
        None => Expr::num(0.0),
    };
    let int = EncodedInteger::new(encoding, label, lo, hi, strength).or_raise()?;
    let array = bits_array(py, &int.bits)?;
    let base = PyExpr {
        inner: int.expr.clone(),
    };
    Ok(PyClassInitializer::from(base).add_subclass(make(int, array)))
}

macro_rules! integer_class {
    ($rust:ident, $name:literal, $enc:expr, $doc:literal, penalty = $pen:tt) => {
        #[doc = $doc]
        #[pyclass(name = $name, module = "neuroquant.qubo", extends = PyExpr, frozen)]
        pub struct $rust {
            int: EncodedInteger,
            array: Py<PyArray>,
        }

        integer_class!(@new $rust, $enc, $pen);

        #[pymethods]
        impl $rust {
            /// The integer's label (its value is reported under it when decoding).
            #[getter]
            fn label(&self) -> &str {
                &self.int.label
            }

            /// `(lower, upper)`.
            #[getter]
            fn value_range(&self) -> (i64, i64) {
                (self.int.lower, self.int.upper)
            }

            /// The binary variables `label[i]` as an `Array`.
            #[getter]
            fn array(&self, py: Python<'_>) -> Py<PyArray> {
                self.array.clone_ref(py)
            }

            fn __repr__(&self) -> String {
                format!("{}({},value_range=({}, {}))", $name, self.int.label, self.int.lower, self.int.upper)
            }
        }
    };
    (@new $rust:ident, $enc:expr, false) => {
        #[pymethods]
        impl $rust {
            #[new]
            fn new(py: Python<'_>, label: &str, value_range: &Bound<'_, PyAny>) -> PyResult<PyClassInitializer<Self>> {
                new_integer(py, $enc, label, value_range, None, |int, array| $rust { int, array })
            }
        }
    };
    (@new $rust:ident, $enc:expr, true) => {
        #[pymethods]
        impl $rust {
            #[new]
            fn new(
                py: Python<'_>,
                label: &str,
                value_range: &Bound<'_, PyAny>,
                strength: &Bound<'_, PyAny>,
            ) -> PyResult<PyClassInitializer<Self>> {
                new_integer(py, $enc, label, value_range, Some(strength), |int, array| $rust { int, array })
            }

            /// The penalty (`strength` times the encoding's constraints), added per occurrence as PyQUBO adds it.
            #[getter]
            fn penalty(&self) -> PyExpr {
                PyExpr {
                    inner: self.int.penalty.clone().unwrap_or_else(|| Expr::num(0.0)),
                }
            }
        }
    };
}

integer_class!(
    PyLogEncInteger,
    "LogEncInteger",
    Encoding::Log,
    "An integer in `value_range = (lower, upper)` written in binary: `lower + Σ 2^i x_i` with \
     the top bit's weight cut so the maximum is `upper` (PyQUBO's `LogEncInteger`); no constraint.",
    penalty = false
);
integer_class!(
    PyUnaryEncInteger,
    "UnaryEncInteger",
    Encoding::Unary,
    "An integer in `value_range = (lower, upper)` as `lower + Σ x_i` over `upper - lower` bits \
     (PyQUBO's `UnaryEncInteger`); no constraint.",
    penalty = false
);
integer_class!(
    PyOneHotEncInteger,
    "OneHotEncInteger",
    Encoding::OneHot,
    "An integer in `value_range = (lower, upper)` as `lower + Σ i x_i` over `upper - lower + 1` \
     bits with the penalty `strength · (Σ x_i - 1)²` (constraint `<label>_const`), added per occurrence as PyQUBO adds it \
     (PyQUBO's `OneHotEncInteger`).",
    penalty = true
);
integer_class!(
    PyOrderEncInteger,
    "OrderEncInteger",
    Encoding::Order,
    "An integer in `value_range = (lower, upper)` as `lower + Σ x_i` over `upper - lower` bits \
     kept sorted by the penalty `strength · Σ (x_{i+1} - x_i x_{i+1})` (constraints \
     `<label>_order_<i>`), added per occurrence (PyQUBO's `OrderEncInteger`).",
    penalty = true
);

#[pymethods]
impl PyOneHotEncInteger {
    /// The bit that is 1 exactly when the value is `k`.
    fn equal_to(&self, py: Python<'_>, k: i64) -> PyResult<Py<PyAny>> {
        let bit = self.int.equal_to(k).or_raise()?;
        let i = (k - self.int.lower) as usize;
        debug_assert!(bit.as_variable().is_some());
        Ok(self.array.bind(py).get().element(py, i))
    }
}

#[pymethods]
impl PyOrderEncInteger {
    /// The bit that is 1 exactly when the value is more than `k` (`lower <= k < upper`).
    fn more_than(&self, py: Python<'_>, k: i64) -> PyResult<Py<PyAny>> {
        self.int.more_than(k).or_raise()?;
        Ok(self
            .array
            .bind(py)
            .get()
            .element(py, (k - self.int.lower) as usize))
    }

    /// `1 - bit`: 1 exactly when the value is less than `k` (`lower < k <= upper`).
    fn less_than(&self, py: Python<'_>, k: i64) -> PyResult<Py<PyAny>> {
        expr(py, self.int.less_than(k).or_raise()?)
    }
}

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyWithPenalty>()?;
    m.add_class::<PyLogEncInteger>()?;
    m.add_class::<PyUnaryEncInteger>()?;
    m.add_class::<PyOneHotEncInteger>()?;
    m.add_class::<PyOrderEncInteger>()?;
    for f in [
        wrap_pyfunction!(not, m)?,
        wrap_pyfunction!(and, m)?,
        wrap_pyfunction!(or, m)?,
        wrap_pyfunction!(xor, m)?,
        wrap_pyfunction!(not_const, m)?,
        wrap_pyfunction!(and_const, m)?,
        wrap_pyfunction!(or_const, m)?,
        wrap_pyfunction!(xor_const, m)?,
    ] {
        m.add_function(f)?;
    }
    Ok(())
}
