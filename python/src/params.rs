//! The conversion module of the Python binding for parameters: Python objects ↔ core
//! [`Value`]s, keyword arguments → core [`Keywords`], and the signature and docstring of a
//! parameter-taking class built from the core's [`KeywordArgs`] (names, defaults, docs), so none
//! of them is restated here or in a `#[pyo3(signature)]`.

use crate::errors::invalid_argument;
use neuroquant::params::{KeywordArgs, Keywords, Value};
use numpy::{PyArrayDescrMethods, PyArrayDyn, PyArrayMethods, PyUntypedArrayMethods};
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyFloat, PyInt, PyList, PyString, PyTuple, PyType};

/// A Python object as a core [`Value`] (`argument` names it in errors). numpy arrays keep their
/// shape; sequences become lists; numpy scalars become numbers.
pub(crate) fn to_value(argument: &'static str, obj: &Bound<'_, PyAny>) -> PyResult<Value> {
    let py = obj.py();
    if obj.is_none() {
        return Ok(Value::None);
    }
    if let Ok(b) = obj.cast::<PyBool>() {
        return Ok(Value::Bool(b.is_true()));
    }
    if obj.is_instance_of::<PyInt>() {
        return Ok(Value::Int(obj.extract::<i128>()?));
    }
    if obj.is_instance_of::<PyFloat>() {
        return Ok(Value::Float(obj.extract::<f64>()?));
    }
    if let Ok(s) = obj.cast::<PyString>() {
        return Ok(Value::Str(s.to_str()?.to_owned()));
    }
    if let Ok(arr) = obj.cast::<numpy::PyUntypedArray>() {
        return array_value(argument, arr);
    }
    let numpy = py.import("numpy")?;
    if obj.is_instance(&numpy.getattr("bool_")?)? {
        return Ok(Value::Bool(obj.is_truthy()?));
    }
    if obj.is_instance(&numpy.getattr("integer")?)? {
        return Ok(Value::Int(obj.call_method0("__index__")?.extract::<i128>()?));
    }
    if obj.is_instance(&numpy.getattr("floating")?)? {
        return Ok(Value::Float(obj.call_method0("__float__")?.extract::<f64>()?));
    }
    if obj.is_instance_of::<PyList>() || obj.is_instance_of::<PyTuple>() || obj.hasattr("__array__")? {
        if obj.hasattr("__array__")? {
            return array_value(argument, &numpy.call_method1("asarray", (obj,))?.cast_into()?);
        }
        return Ok(Value::List(
            obj.try_iter()?
                .map(|item| to_value(argument, &item?))
                .collect::<PyResult<_>>()?,
        ));
    }
    // Anything else is described to the core, which rejects it with its usual message.
    Ok(Value::Other {
        type_name: obj.get_type().name()?.to_string(),
    })
}

fn contiguous<'py>(a: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
    a.py().import("numpy")?.call_method1("ascontiguousarray", (a,))
}

fn array_value(argument: &'static str, arr: &Bound<'_, numpy::PyUntypedArray>) -> PyResult<Value> {
    let shape = arr.shape().to_vec();
    let dtype = arr.dtype();
    match (dtype.kind(), dtype.itemsize()) {
        (b'f', _) => {
            let a = contiguous(&arr.call_method1("astype", ("float64",))?)?;
            let data = a.cast_into::<PyArrayDyn<f64>>()?.readonly().as_slice()?.to_vec();
            Ok(Value::Floats { shape, data })
        }
        (b'i', 1) => {
            let a = contiguous(arr.as_any())?;
            let data = a.cast_into::<PyArrayDyn<i8>>()?.readonly().as_slice()?.to_vec();
            Ok(Value::I8s { shape, data })
        }
        // uint64 may not fit int64: go through Python ints.
        (b'u', 8) => to_value(argument, &arr.call_method0("tolist")?),
        (b'i' | b'u' | b'b', _) => {
            let a = contiguous(&arr.call_method1("astype", ("int64",))?)?;
            let data = a.cast_into::<PyArrayDyn<i64>>()?.readonly().as_slice()?.to_vec();
            Ok(Value::Ints { shape, data })
        }
        _ => Err(invalid_argument(
            argument,
            format!("dtype {} is not supported, must be numeric", arr.dtype().str()?),
        )),
    }
}

/// A core [`Value`] as a Python object (arrays as numpy arrays).
pub(crate) fn from_value<'py>(py: Python<'py>, value: &Value) -> PyResult<Bound<'py, PyAny>> {
    use numpy::IntoPyArray;
    let reshape = |a: Bound<'py, PyAny>, shape: &[usize]| a.call_method1("reshape", (shape.to_vec(),));
    Ok(match value {
        Value::None => py.None().into_bound(py),
        Value::Bool(b) => PyBool::new(py, *b).to_owned().into_any(),
        Value::Int(i) => i.into_pyobject(py)?.into_any(),
        Value::Float(x) => x.into_pyobject(py)?.into_any(),
        Value::Str(s) => s.into_pyobject(py)?.into_any(),
        Value::List(items) => PyList::new(
            py,
            items
                .iter()
                .map(|v| from_value(py, v))
                .collect::<PyResult<Vec<_>>>()?,
        )?
        .into_any(),
        Value::I8s { shape, data } => reshape(data.clone().into_pyarray(py).into_any(), shape)?,
        Value::Ints { shape, data } => reshape(data.clone().into_pyarray(py).into_any(), shape)?,
        Value::Floats { shape, data } if shape.len() == 1 && shape[0] <= 2 => {
            // Short float vectors (ranges) read as tuples, the way users write them.
            PyTuple::new(py, data.iter().copied())?.into_any()
        }
        Value::Floats { shape, data } => reshape(data.clone().into_pyarray(py).into_any(), shape)?,
        other => {
            return Err(invalid_argument(
                "value",
                format!("{} has no Python form", other.describe()),
            ));
        }
    })
}

/// Keyword arguments as core [`Keywords`] (names checked by the core).
pub(crate) fn keywords(kwargs: Option<&Bound<'_, PyDict>>) -> PyResult<Keywords> {
    let mut kw = Keywords::new();
    if let Some(d) = kwargs {
        for (k, v) in d.iter() {
            let name: String = k.extract()?;
            // The name is checked against the core's list in `from_keywords`; until then the
            // conversion names the argument generically.
            let value = to_value("keyword argument", &v)?;
            kw.insert(&name, value).map_err(crate::errors::to_pyerr)?;
        }
    }
    Ok(kw)
}

/// Parameters from keyword arguments, validated by the core (`owner` names them in errors).
pub(crate) fn from_kwargs<P: KeywordArgs>(owner: &str, kwargs: Option<&Bound<'_, PyDict>>) -> PyResult<P> {
    P::from_keywords(owner, keywords(kwargs)?).map_err(crate::errors::to_pyerr)
}

/// `Name(keyword=value, …)` with the keywords whose value differs from the default.
pub(crate) fn repr<P: KeywordArgs>(py: Python<'_>, name: &str, params: &P) -> PyResult<String> {
    let defaults = P::default().to_keywords();
    let mut parts = Vec::new();
    for (k, v) in params.to_keywords() {
        if defaults.iter().all(|(dk, dv)| *dk != k || *dv != v) {
            parts.push(format!("{k}={}", from_value(py, &v)?.repr()?));
        }
    }
    Ok(format!("{name}({})", parts.join(", ")))
}

/// Gives `cls` the signature `(*, keyword=default, …)` and a docstring (the core's description,
/// then each keyword with what it accepts, its default and its doc), both from `P`.
pub(crate) fn describe<P: KeywordArgs>(cls: &Bound<'_, PyType>) -> PyResult<()> {
    signature::<P>(cls, &[], 0, &[])
}

/// [`describe`] for a class whose constructor first takes the positional arguments `leading`,
/// then the core's keywords, then `extra` keyword-only arguments (name, doc), default None (arrays
/// a class takes beside its parameters, such as injected weights).
pub(crate) fn describe_with<P: KeywordArgs>(
    cls: &Bound<'_, PyType>,
    leading: &[&str],
    extra: &[(&str, &str)],
) -> PyResult<()> {
    signature::<P>(cls, leading, 0, extra)
}

/// [`describe`] with `extra` keyword-only arguments where the first `positional` keywords may
/// also be given by position (the peer's habit, e.g. ReservoirPy's `Reservoir(100, lr=0.3)`,
/// `Ridge(1e-6)`, `NVAR(2, 2)`).
pub(crate) fn describe_positional<P: KeywordArgs>(
    cls: &Bound<'_, PyType>,
    extra: &[(&str, &str)],
    positional: usize,
) -> PyResult<()> {
    signature::<P>(cls, &[], positional, extra)
}

/// The signature and docstring of every `describe*`: `leading` positional arguments, the core's
/// keywords (the first `positional` of them also by position), then `extra`.
fn signature<P: KeywordArgs>(
    cls: &Bound<'_, PyType>,
    leading: &[&str],
    positional: usize,
    extra: &[(&str, &str)],
) -> PyResult<()> {
    let py = cls.py();
    let inspect = py.import("inspect")?;
    let parameter = inspect.getattr("Parameter")?;
    let keyword_only = parameter.getattr("KEYWORD_ONLY")?;
    let positional_or_keyword = parameter.getattr("POSITIONAL_OR_KEYWORD")?;
    let mut params = Vec::new();
    for name in leading {
        params.push(parameter.call1((*name, &positional_or_keyword))?);
    }
    let mut doc = String::new();
    for line in P::description().lines() {
        doc.push_str(line.trim());
        doc.push('\n');
    }
    doc.push_str("\nParameters\n----------\n");
    let defaults = P::default().to_keywords();
    for (i, k) in P::keywords().iter().enumerate() {
        let name = k.name();
        let kind = if i < positional {
            &positional_or_keyword
        } else {
            &keyword_only
        };
        let default = defaults
            .iter()
            .find(|(n, _)| *n == name)
            .map_or(Ok(py.None().into_bound(py)), |(_, v)| from_value(py, v))?;
        let kwargs = PyDict::new(py);
        kwargs.set_item("default", &default)?;
        params.push(parameter.call((name, kind), Some(&kwargs))?);
        doc.push_str(&format!(
            "{name} : {}, default {}\n    {}\n",
            k.expected(),
            default.repr()?,
            k.doc()
        ));
    }
    for (name, about) in extra {
        let kwargs = PyDict::new(py);
        kwargs.set_item("default", py.None())?;
        params.push(parameter.call((name, &keyword_only), Some(&kwargs))?);
        doc.push_str(&format!(
            "{name} : array-like, scipy.sparse matrix or None, default None\n    {about}\n"
        ));
    }
    let signature = inspect.getattr("Signature")?.call1((params,))?;
    cls.setattr("__signature__", signature)?;
    cls.setattr("__doc__", doc)?;
    Ok(())
}
