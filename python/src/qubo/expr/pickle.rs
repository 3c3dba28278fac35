//! Pickling and bytes of expressions, arrays, compiled models and decoded samples.
//!
//! An expression pickles through the core container (kind `"expr"`: the DAG, shared nodes
//! once) plus the list of its custom condition callables, which pickle as ordinary Python
//! objects (a module-level function by reference; a lambda fails exactly as pickling the lambda
//! itself does). Variables, placeholders and numbers pickle as their constructor arguments.
//! A `Model` pickles as `Expr.compile(source, strength)`: compilation is deterministic, so the
//! reloaded model binds to the same `Bqm`. A `DecodedSample` keeps its `Model` by reference, so
//! a list of them pickles the model once.

use super::model::{PyDecodedSample, PyModel};
use super::{
    Callback, PyArray, PyBinary, PyCondition, PyConstraint, PyExpr, PyNum, PyPlaceholder, PySpin, PySubH,
};
use crate::errors::{OrRaise, invalid_argument, to_pyerr};
use crate::qubo::bqm::vartype_arg;
use neuroquant::error::check;
use neuroquant::qubo::expr::{Condition, CustomCondition, Expr, Strength};
use neuroquant::qubo::{MAX_VARIABLES, Vartype};
use pyo3::BoundObject;
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyList, PyTuple, PyType};
use std::sync::Arc;

/// The Python classes of expressions.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Class {
    Expr,
    Binary,
    Spin,
    Num,
    Placeholder,
    Constraint,
    SubH,
}

impl Class {
    /// The most specific class for the root of `e`.
    fn natural(e: &Expr) -> Class {
        if let Some((_, vartype)) = e.as_variable() {
            match vartype {
                Vartype::Binary => Class::Binary,
                Vartype::Spin => Class::Spin,
            }
        } else if e.as_placeholder().is_some() {
            Class::Placeholder
        } else if e.as_number().is_some_and(f64::is_finite) {
            Class::Num
        } else {
            match e.as_labelled() {
                Some((_, Some(_), _)) => Class::Constraint,
                Some((_, None, _)) => Class::SubH,
                None => Class::Expr,
            }
        }
    }

    fn of_type(ty: &Bound<'_, PyType>) -> Option<Class> {
        let py = ty.py();
        [
            (py.get_type::<PyExpr>(), Class::Expr),
            (py.get_type::<PyBinary>(), Class::Binary),
            (py.get_type::<PySpin>(), Class::Spin),
            (py.get_type::<PyNum>(), Class::Num),
            (py.get_type::<PyPlaceholder>(), Class::Placeholder),
            (py.get_type::<PyConstraint>(), Class::Constraint),
            (py.get_type::<PySubH>(), Class::SubH),
        ]
        .into_iter()
        .find(|(t, _)| t.is(ty))
        .map(|(_, c)| c)
    }

    /// A new Python object of this class around `e`.
    fn instance(self, py: Python<'_>, e: Expr) -> PyResult<Py<PyAny>> {
        let base = PyClassInitializer::from(PyExpr { inner: e });
        Ok(match self {
            Class::Expr => Py::new(py, base)?.into_any(),
            Class::Binary => Py::new(py, base.add_subclass(PyBinary {}))?.into_any(),
            Class::Spin => Py::new(py, base.add_subclass(PySpin {}))?.into_any(),
            Class::Num => Py::new(py, base.add_subclass(PyNum {}))?.into_any(),
            Class::Placeholder => Py::new(py, base.add_subclass(PyPlaceholder {}))?.into_any(),
            Class::Constraint => Py::new(py, base.add_subclass(PyConstraint {}))?.into_any(),
            Class::SubH => Py::new(py, base.add_subclass(PySubH {}))?.into_any(),
        })
    }
}

fn reduce<'py>(
    callable: Bound<'py, PyAny>,
    args: impl IntoPyObject<'py, Target = PyTuple>,
) -> PyResult<Bound<'py, PyTuple>> {
    let py = callable.py();
    let args = args.into_pyobject(py).map_err(Into::into)?.into_bound();
    PyTuple::new(py, [callable, args.into_any()])
}

#[pymethods]
impl PyExpr {
    /// The expression in the neuroquant container format (kind `"expr"`), readable from Rust
    /// and Python. Fails, naming the constraint, if a constraint has a callable as condition
    /// (use pickle, which carries the callable).
    fn to_bytes<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyBytes>> {
        let e = &self.inner;
        let bytes = py.detach(|| e.to_bytes()).or_raise()?;
        Ok(PyBytes::new(py, &bytes))
    }

    /// Reads an expression written by `to_bytes` (from any surface), validating every field;
    /// the result is a `Binary`, `Spin`, `Num`, `Placeholder`, `Constraint` or `SubH` when its
    /// root is one, an `Expr` otherwise.
    #[staticmethod]
    fn from_bytes(py: Python<'_>, data: &[u8]) -> PyResult<Py<PyAny>> {
        let e = py.detach(|| Expr::from_bytes(data)).or_raise()?;
        Class::natural(&e).instance(py, e)
    }

    /// Pickled as the constructor arguments (variables, placeholders, numbers) or as the
    /// container bytes and the custom condition callables (anything else).
    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyTuple>> {
        let py = slf.py();
        let cls = slf.get_type();
        let e = &slf.get().inner;
        let class = Class::of_type(&cls);
        if class == Some(Class::natural(e)) {
            if let Some((label, _)) = e.as_variable() {
                return reduce(cls.into_any(), (label,));
            }
            if let Some(label) = e.as_placeholder() {
                return reduce(cls.into_any(), (label,));
            }
            if let Some(value) = e.as_number() {
                return reduce(cls.into_any(), (value,));
            }
        }
        let (bytes, payloads) = py.detach(|| e.to_bytes_with_custom()).or_raise()?;
        let callables = payloads
            .iter()
            .map(|p| match p.downcast_ref::<Callback>() {
                Some(cb) => Ok(cb.0.clone_ref(py)),
                None => Err(PyTypeError::new_err(
                    "a custom condition not made in Python cannot be pickled",
                )),
            })
            .collect::<PyResult<Vec<_>>>()?;
        let args = (PyBytes::new(py, &bytes), PyList::new(py, callables)?);
        reduce(cls.getattr("_from_pickle")?, args)
    }

    /// Restores a pickled expression as an instance of `cls`.
    #[classmethod]
    fn _from_pickle(cls: &Bound<'_, PyType>, data: &[u8], conditions: Vec<Py<PyAny>>) -> PyResult<Py<PyAny>> {
        let py = cls.py();
        let Some(class) = Class::of_type(cls) else {
            return Err(PyTypeError::new_err(format!(
                "{} is not a neuroquant expression class",
                cls.repr()?
            )));
        };
        let mut payloads: Vec<CustomCondition> = Vec::with_capacity(conditions.len());
        for (k, c) in conditions.into_iter().enumerate() {
            if !c.bind(py).is_callable() {
                return Err(invalid_argument(
                    "conditions",
                    format!("element {k} is not callable"),
                ));
            }
            payloads.push(Arc::new(Callback(c)));
        }
        let e = py
            .detach(|| Expr::from_bytes_with_custom(data, &payloads))
            .or_raise()?;
        let natural = Class::natural(&e);
        if class != Class::Expr && class != natural {
            return Err(invalid_argument(
                "data",
                format!("holds an expression of class {natural:?}, not {class:?}"),
            ));
        }
        class.instance(py, e)
    }
}

#[pymethods]
impl PyCondition {
    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyTuple>> {
        let cls = slf.get_type();
        let (name, value, atol) = match slf.get().inner {
            Condition::Equal { value, atol } => ("equal", value, atol),
            Condition::AtMost { value, atol } => ("at_most", value, atol),
            Condition::AtLeast { value, atol } => ("at_least", value, atol),
            _ => return Err(PyTypeError::new_err("a custom Condition cannot be pickled")),
        };
        reduce(cls.getattr(name)?, (value, atol))
    }
}

#[pymethods]
impl PyArray {
    /// Pickled as its elements (row-major) and shape; a view pickles as a new array.
    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyTuple>> {
        let py = slf.py();
        let me = slf.get();
        let items = PyList::new(py, me.elements(py))?;
        let shape = PyTuple::new(py, &me.shape)?;
        reduce(slf.get_type().getattr("_from_pickle")?, (items, shape))
    }

    /// Restores a pickled array: `items` row-major, `shape` with at least one axis.
    #[staticmethod]
    fn _from_pickle(items: Vec<Py<PyExpr>>, shape: Vec<usize>) -> PyResult<PyArray> {
        if shape.is_empty() {
            return Err(invalid_argument(
                "shape",
                "must have at least one dimension".into(),
            ));
        }
        let size = shape
            .iter()
            .try_fold(1usize, |a, &d| a.checked_mul(d))
            .unwrap_or(usize::MAX);
        check::at_most("shape", size as u64, MAX_VARIABLES as u64).or_raise()?;
        check::len("items", size, items.len()).or_raise()?;
        Ok(PyArray::contiguous(items, shape))
    }
}

#[pymethods]
impl PyModel {
    /// Pickled as `Expr.compile(source, strength)`: the expression it was compiled from is
    /// compiled again when loaded, giving the same model.
    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyTuple>> {
        let py = slf.py();
        let me = slf.get();
        let source = Py::new(
            py,
            PyExpr {
                inner: me.source.clone(),
            },
        )?;
        let compile = py.get_type::<PyExpr>().getattr("compile")?;
        let strength = match me.inner.strength_spec() {
            Strength::Value(v) => v.into_pyobject(py)?.into_any(),
            Strength::Placeholder(p) => PyPlaceholder::class_instance(py, &p)?,
        };
        reduce(compile, (source, strength))
    }
}

#[pymethods]
impl PyDecodedSample {
    /// Pickled as its model (by reference) and its values.
    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyTuple>> {
        let py = slf.py();
        let me = slf.get();
        let values: Vec<u8> = me.values.iter().map(|&v| v as u8).collect();
        let args = (
            me.owner.clone_ref(py),
            PyBytes::new(py, &values),
            me.vartype.name(),
            me.energy,
            me.labelled.clone(),
            me.satisfied.clone(),
        );
        reduce(slf.get_type().getattr("_from_pickle")?, args)
    }

    /// Restores a pickled decoded sample, checking it fits its model.
    #[staticmethod]
    fn _from_pickle(
        model: Py<PyModel>,
        values: &[u8],
        vartype: &Bound<'_, PyAny>,
        energy: f64,
        labelled: Vec<f64>,
        satisfied: Vec<Option<bool>>,
    ) -> PyResult<PyDecodedSample> {
        let vartype = vartype_arg(vartype)?;
        let inner = model.get().inner.clone();
        let err = |e: neuroquant::ArgumentError| to_pyerr(e.into());
        check::len("values", inner.num_variables(), values.len()).map_err(err)?;
        let values: Vec<i8> = values.iter().map(|&v| v as i8).collect();
        if let Some(v) = values.iter().find(|&&v| !vartype.contains(v as i64)) {
            return Err(invalid_argument(
                "values",
                format!("{v} is not a {vartype} value"),
            ));
        }
        check::len("labelled", inner.labelled().len(), labelled.len()).map_err(err)?;
        check::len("satisfied", inner.labelled().len(), satisfied.len()).map_err(err)?;
        for ((label, condition), s) in inner.labelled().zip(&satisfied) {
            if condition.is_some() != s.is_some() {
                return Err(invalid_argument(
                    "satisfied",
                    format!("{label:?} must be a bool for a constraint and None for a sub-Hamiltonian"),
                ));
            }
        }
        Ok(PyDecodedSample {
            model: inner,
            owner: model,
            values,
            vartype,
            energy,
            labelled,
            satisfied,
        })
    }
}
