//! Result records (penalty reports, decoded generator samples): frozen, dataclass-like classes
//! with named read-only fields, a keyword constructor, `repr`, equality (numpy arrays compared by
//! value) and pickling through the constructor.

use pyo3::prelude::*;

/// Declares a record class `$rust` exposed as `neuroquant.qubo.$name` with the given fields
/// (Python objects; their types are documented in the stub).
macro_rules! record {
    ($(#[$meta:meta])* $rust:ident as $name:literal { $($(#[$fmeta:meta])* $field:ident),+ $(,)? }) => {
        $(#[$meta])*
        #[pyo3::pyclass(name = $name, module = "neuroquant.qubo", frozen)]
        pub struct $rust {
            $($(#[$fmeta])* #[pyo3(get)] pub(crate) $field: pyo3::Py<pyo3::PyAny>,)+
        }

        impl $rust {
            const FIELDS: &'static [&'static str] = &[$(stringify!($field)),+];

            fn values<'py>(&self, py: pyo3::Python<'py>) -> Vec<pyo3::Bound<'py, pyo3::PyAny>> {
                vec![$(self.$field.bind(py).clone()),+]
            }
        }

        #[pyo3::pymethods]
        impl $rust {
            #[new]
            #[pyo3(signature = ($($field),+))]
            #[allow(clippy::too_many_arguments)]
            fn new($($field: pyo3::Py<pyo3::PyAny>),+) -> Self {
                $rust { $($field),+ }
            }

            fn __reduce__<'py>(
                slf: &pyo3::Bound<'py, Self>,
            ) -> pyo3::PyResult<(pyo3::Bound<'py, pyo3::types::PyType>, pyo3::Bound<'py, pyo3::types::PyTuple>)> {
                let values = slf.get().values(slf.py());
                Ok((slf.get_type(), pyo3::types::PyTuple::new(slf.py(), values)?))
            }

            fn __repr__(&self, py: pyo3::Python<'_>) -> pyo3::PyResult<String> {
                $crate::qubo::record::repr($name, Self::FIELDS, &self.values(py))
            }

            fn __eq__(&self, py: pyo3::Python<'_>, other: &pyo3::Bound<'_, pyo3::PyAny>) -> pyo3::PyResult<bool> {
                match other.cast::<Self>() {
                    Ok(o) => $crate::qubo::record::equal(&self.values(py), &o.get().values(py)),
                    Err(_) => Ok(false),
                }
            }
        }
    };
}
pub(crate) use record;

pub(crate) fn repr(name: &str, fields: &[&str], values: &[Bound<'_, PyAny>]) -> PyResult<String> {
    let parts = fields
        .iter()
        .zip(values)
        .map(|(f, v)| Ok(format!("{f}={}", v.repr()?)))
        .collect::<PyResult<Vec<_>>>()?;
    Ok(format!("{name}({})", parts.join(", ")))
}

/// Field-wise equality; numpy arrays (at any depth of a list or tuple) compare by shape and
/// value.
pub(crate) fn equal(a: &[Bound<'_, PyAny>], b: &[Bound<'_, PyAny>]) -> PyResult<bool> {
    for (x, y) in a.iter().zip(b) {
        if !value_equal(x, y)? {
            return Ok(false);
        }
    }
    Ok(true)
}

fn value_equal(x: &Bound<'_, PyAny>, y: &Bound<'_, PyAny>) -> PyResult<bool> {
    let py = x.py();
    if x.is_instance_of::<numpy::PyUntypedArray>() || y.is_instance_of::<numpy::PyUntypedArray>() {
        return py.import("numpy")?.call_method1("array_equal", (x, y))?.extract();
    }
    let seq = |v: &Bound<'_, PyAny>| {
        v.is_instance_of::<pyo3::types::PyList>() || v.is_instance_of::<pyo3::types::PyTuple>()
    };
    if seq(x) && seq(y) && x.get_type().is(y.get_type()) {
        if x.len()? != y.len()? {
            return Ok(false);
        }
        for (p, q) in x.try_iter()?.zip(y.try_iter()?) {
            if !value_equal(&p?, &q?)? {
                return Ok(false);
            }
        }
        return Ok(true);
    }
    x.eq(y)
}

/// Any convertible value as a Python object (for record fields).
pub(crate) fn obj<'py, T: IntoPyObject<'py>>(py: Python<'py>, value: T) -> PyResult<Py<PyAny>> {
    pyo3::IntoPyObjectExt::into_py_any(value, py)
}
