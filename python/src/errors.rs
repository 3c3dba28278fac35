//! The exception hierarchy and the one mapping from core errors to it.
//!
//! `NeuroquantError` is the root; argument errors also subclass `ValueError` (and
//! `IndexOutOfRangeError` also `IndexError`), and `IoError` subclasses `OSError` (a missing file
//! is a `FileNotFoundIoError`, also a `FileNotFoundError`), so callers can catch them the usual
//! Python way.

use neuroquant::ErrorKind;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyTuple, PyType};

struct Classes {
    root: Py<PyType>,
    invalid_argument: Py<PyType>,
    invalid_type: Py<PyType>,
    dimension_mismatch: Py<PyType>,
    non_finite: Py<PyType>,
    index_out_of_range: Py<PyType>,
    limit_exceeded: Py<PyType>,
    format: Py<PyType>,
    stopped: Py<PyType>,
    io: Py<PyType>,
    file_not_found: Py<PyType>,
    network: Py<PyType>,
    timeout: Py<PyType>,
}

static CLASSES: PyOnceLock<Classes> = PyOnceLock::new();

fn make<'py>(
    py: Python<'py>,
    name: &str,
    doc: &str,
    bases: &[&Bound<'py, PyAny>],
) -> PyResult<Bound<'py, PyType>> {
    let ns = PyDict::new(py);
    ns.set_item("__module__", "neuroquant")?;
    ns.set_item("__doc__", doc)?;
    let bases = PyTuple::new(py, bases)?;
    let cls = py.get_type::<PyType>().call1((name, bases, ns))?;
    Ok(cls.cast_into::<PyType>()?)
}

fn classes(py: Python<'_>) -> PyResult<&Classes> {
    CLASSES.get_or_try_init(py, || {
        let exc = py.get_type::<pyo3::exceptions::PyException>();
        let value = py.get_type::<pyo3::exceptions::PyValueError>();
        let index = py.get_type::<pyo3::exceptions::PyIndexError>();
        let os = py.get_type::<pyo3::exceptions::PyOSError>();
        let connection = py.get_type::<pyo3::exceptions::PyConnectionError>();
        let timeout = py.get_type::<pyo3::exceptions::PyTimeoutError>();
        let root = make(
            py,
            "NeuroquantError",
            "Root of every error raised by neuroquant.",
            &[exc.as_any()],
        )?;
        let invalid = make(
            py,
            "InvalidArgumentError",
            "An argument violates a documented constraint.",
            &[root.as_any(), value.as_any()],
        )?;
        let sub = |name, doc| make(py, name, doc, &[invalid.as_any()]);
        let io = make(
            py,
            "IoError",
            "A file could not be read or written (the message names the file and the cause).",
            &[root.as_any(), os.as_any()],
        )?;
        let not_found = py.get_type::<pyo3::exceptions::PyFileNotFoundError>();
        let type_error = py.get_type::<pyo3::exceptions::PyTypeError>();
        Ok(Classes {
            invalid_type: make(
                py,
                "InvalidTypeError",
                "An argument of the wrong kind (a float or a string where an integer is required); \
                 also a TypeError.",
                &[invalid.as_any(), type_error.as_any()],
            )?
            .unbind(),
            dimension_mismatch: sub("DimensionMismatchError", "Array lengths or shapes do not agree.")?
                .unbind(),
            non_finite: sub(
                "NonFiniteError",
                "NaN or infinity where a finite number is required.",
            )?
            .unbind(),
            index_out_of_range: make(
                py,
                "IndexOutOfRangeError",
                "An index is outside the valid range.",
                &[invalid.as_any(), index.as_any()],
            )?
            .unbind(),
            limit_exceeded: sub(
                "LimitExceededError",
                "A size exceeds a stated limit or cannot be allocated.",
            )?
            .unbind(),
            format: make(
                py,
                "FormatError",
                "Serialized data is truncated, corrupt or of an unsupported version.",
                &[root.as_any(), value.as_any()],
            )?
            .unbind(),
            stopped: make(
                py,
                "StoppedError",
                "A run was stopped (interrupt or deadline) before it produced any result.",
                &[root.as_any()],
            )?
            .unbind(),
            file_not_found: make(
                py,
                "FileNotFoundIoError",
                "A file to read does not exist: an IoError that is also Python's FileNotFoundError.",
                &[io.as_any(), not_found.as_any()],
            )?
            .unbind(),
            io: io.unbind(),
            network: make(
                py,
                "NetworkError",
                "A remote service could not be reached or answered with an error.",
                &[root.as_any(), connection.as_any()],
            )?
            .unbind(),
            timeout: make(
                py,
                "TimeoutError",
                "A remote operation did not complete within its time limit.",
                &[root.as_any(), timeout.as_any()],
            )?
            .unbind(),
            invalid_argument: invalid.unbind(),
            root: root.unbind(),
        })
    })
}

/// Adds the exception classes to the module.
pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let c = classes(m.py())?;
    for cls in [
        &c.root,
        &c.invalid_argument,
        &c.invalid_type,
        &c.dimension_mismatch,
        &c.non_finite,
        &c.index_out_of_range,
        &c.limit_exceeded,
        &c.format,
        &c.stopped,
        &c.io,
        &c.file_not_found,
        &c.network,
        &c.timeout,
    ] {
        let cls = cls.bind(m.py());
        m.add(cls.name()?, cls)?;
    }
    m.add_function(wrap_pyfunction!(_error_classes, m)?)
}

/// The class of each error kind: the one mapping, exhaustive, so a new kind needs a class.
fn class_of(c: &Classes, kind: ErrorKind) -> &Py<PyType> {
    match kind {
        ErrorKind::InvalidArgument => &c.invalid_argument,
        ErrorKind::DimensionMismatch => &c.dimension_mismatch,
        ErrorKind::NonFinite => &c.non_finite,
        ErrorKind::IndexOutOfRange => &c.index_out_of_range,
        ErrorKind::LimitExceeded => &c.limit_exceeded,
        ErrorKind::Format => &c.format,
        ErrorKind::Interrupted => &c.stopped,
        ErrorKind::Io => &c.io,
        ErrorKind::Network => &c.network,
        ErrorKind::Timeout => &c.timeout,
    }
}

/// `{kind name: exception class}` for every core error kind (for the tests of the mapping).
#[pyfunction]
pub(crate) fn _error_classes(py: Python<'_>) -> PyResult<Bound<'_, PyDict>> {
    let c = classes(py)?;
    let d = PyDict::new(py);
    for kind in ErrorKind::ALL {
        d.set_item(format!("{kind:?}"), class_of(c, kind).bind(py))?;
    }
    Ok(d)
}

/// The Python exception for a core error.
pub(crate) fn to_pyerr(e: neuroquant::Error) -> PyErr {
    Python::attach(|py| {
        let c = match classes(py) {
            Ok(c) => c,
            Err(err) => return err,
        };
        // A wrong kind of value is also a TypeError (the refinement of one InvalidArgument case,
        // as Python callers and dwave's tests expect).
        let class = match &e {
            neuroquant::Error::Argument(neuroquant::ArgumentError::WrongType { .. }) => &c.invalid_type,
            // A missing file is also a FileNotFoundError, as Python's own open() raises.
            neuroquant::Error::Io { source, .. }
                if source.io_kind() == Some(std::io::ErrorKind::NotFound) =>
            {
                &c.file_not_found
            }
            _ => class_of(c, e.kind()),
        };
        PyErr::from_type(class.bind(py).clone(), e.to_string())
    })
}

/// `result.or_raise()?` converts a core result into a Python one.
pub(crate) trait OrRaise<T> {
    fn or_raise(self) -> PyResult<T>;
}

impl<T, E: Into<neuroquant::Error>> OrRaise<T> for Result<T, E> {
    fn or_raise(self) -> PyResult<T> {
        self.map_err(|e| to_pyerr(e.into()))
    }
}

/// An argument error raised by the binding itself (for constraints only Python can violate,
/// such as an unsupported dtype), with the same class and message shape as the core's.
pub(crate) fn invalid_argument(argument: &'static str, reason: String) -> PyErr {
    to_pyerr(neuroquant::ArgumentError::Invalid { argument, reason }.into())
}

/// An `InvalidTypeError` (also a `TypeError`) for `value`, which is not `expected`.
pub(crate) fn invalid_type(
    argument: &'static str,
    expected: &str,
    value: &pyo3::Bound<'_, pyo3::PyAny>,
) -> PyErr {
    let got = value
        .get_type()
        .name()
        .map(|n| n.to_string())
        .unwrap_or_else(|_| "an object".into());
    to_pyerr(
        neuroquant::ArgumentError::WrongType {
            argument,
            expected: expected.into(),
            got,
        }
        .into(),
    )
}

/// A `DimensionMismatchError` for an array whose shape is not the one required.
pub(crate) fn shape_mismatch(argument: &'static str, expected: &[usize], got: &[usize]) -> PyErr {
    let shape = |s: &[usize]| {
        format!(
            "({})",
            s.iter().map(|d| d.to_string()).collect::<Vec<_>>().join(", ")
        )
    };
    Python::attach(|py| match classes(py) {
        Ok(c) => PyErr::from_type(
            c.dimension_mismatch.bind(py).clone(),
            format!(
                "argument `{argument}`: shape {} does not match, expected {}",
                shape(got),
                shape(expected)
            ),
        ),
        Err(err) => err,
    })
}
