//! Model files: `Bqm.from_file` / `to_file` / `from_buffer` / `to_buffer` over the core's
//! readers and writers, and `read_edge_list`.
//!
//! Labels: the dimod formats (DIMODBQM, dimod JSON) carry any labels as JSON values, converted
//! here as dimod's `serialize_variable` / `deserialize_variable` do: integers (any
//! `numbers.Integral`, `bool` included) and floats (any other `numbers.Real`) as JSON numbers,
//! strings as strings, tuples as arrays (recursively, read back as tuples). Other label types are
//! rejected with an error naming the label, rather than written in a form that would not read
//! back as the same label. The other formats hold index labels `0..n` only: a model with other
//! labels is rejected (not renumbered, which would drop the labels silently);
//! `relabel_variables_as_integers()` gives such a model and the mapping back.

use super::bqm::{PyBqm, vartype_arg};
use super::labels::Labels;
use crate::errors::{OrRaise, invalid_argument};
use neuroquant::qubo::formats::{self, Format, LabelledBqm};
use numpy::IntoPyArray;
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyByteArray, PyBytes, PyFloat, PyInt, PyString, PyTuple};
use serde_json::Value;
use std::path::PathBuf;

/// Files above this many bytes are read, parsed and written with the GIL released.
const DETACH_BYTES: usize = 1 << 16;

/// A format name (`"neuroquant"`, `"qbsolv"`, `"coo"`, `"dimod_json"`, `"dimodbqm"`, any case),
/// or the format `path`'s extension implies when `format` is None.
fn format_arg(format: Option<&str>, path: Option<&std::path::Path>) -> PyResult<Format> {
    match (format, path) {
        (Some(name), _) => name.parse::<Format>().or_raise(),
        (None, Some(p)) => Format::from_extension(p).or_raise(),
        (None, None) => Err(invalid_argument("format", "is required".into())),
    }
}

/// A Python label as a JSON value; `None` when its type has no JSON form.
fn label_to_json(label: &Bound<'_, PyAny>) -> PyResult<Option<Value>> {
    let py = label.py();
    if label.is_instance_of::<PyBool>() {
        return Ok(Some(Value::from(label.extract::<bool>()? as u8)));
    }
    if label.is_instance_of::<PyString>() {
        return Ok(Some(Value::from(label.extract::<String>()?)));
    }
    if let Ok(t) = label.cast::<PyTuple>() {
        let mut items = Vec::with_capacity(t.len());
        for item in t.iter() {
            match label_to_json(&item)? {
                Some(v) => items.push(v),
                None => return Ok(None),
            }
        }
        return Ok(Some(Value::Array(items)));
    }
    let numbers = py.import("numbers")?;
    let integer = if label.is_instance_of::<PyInt>() {
        Some(label.clone())
    } else if label.is_instance(&numbers.getattr("Integral")?)? {
        Some(py.import("operator")?.call_method1("index", (label,))?)
    } else {
        None
    };
    if let Some(i) = integer {
        return Ok(i
            .extract::<i64>()
            .map(Value::from)
            .or_else(|_| i.extract::<u64>().map(Value::from))
            .ok());
    }
    let real = if label.is_instance_of::<PyFloat>() {
        Some(label.extract::<f64>()?)
    } else if label.is_instance(&numbers.getattr("Real")?)? {
        Some(label.call_method0("__float__")?.extract::<f64>()?)
    } else {
        None
    };
    Ok(real.and_then(serde_json::Number::from_f64).map(Value::Number))
}

/// A JSON label read from a file as a Python label (arrays become tuples).
fn json_to_label(py: Python<'_>, value: &Value) -> PyResult<Py<PyAny>> {
    Ok(match value {
        Value::Bool(b) => b.into_pyobject(py)?.to_owned().into_any().unbind(),
        Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                i.into_pyobject(py)?.into_any().unbind()
            } else if let Some(u) = n.as_u64() {
                u.into_pyobject(py)?.into_any().unbind()
            } else {
                n.as_f64()
                    .unwrap_or(f64::NAN)
                    .into_pyobject(py)?
                    .into_any()
                    .unbind()
            }
        }
        Value::String(s) => s.into_pyobject(py)?.into_any().unbind(),
        Value::Array(items) => {
            let items = items
                .iter()
                .map(|v| json_to_label(py, v))
                .collect::<PyResult<Vec<_>>>()?;
            PyTuple::new(py, items)?.into_any().unbind()
        }
        // The core's readers reject null and object labels; kept total for safety.
        Value::Null | Value::Object(_) => {
            return Err(invalid_argument(
                "data",
                format!("label {value} is not a valid variable label"),
            ));
        }
    })
}

impl PyBqm {
    /// The labels to write in `format`: `None` for `0..n`, else one JSON value per variable.
    fn file_labels(&self, py: Python<'_>, format: Format) -> PyResult<Option<Vec<Value>>> {
        if self.labels.is_range() {
            return Ok(None);
        }
        if !format.has_labels() && format != Format::Coo {
            // Labels equal to 0..n under Python equality (such as 0.0, 1.0) are index labels.
            for i in 0..self.labels.len() {
                let label = self.labels.label(py, i);
                if !label.bind(py).eq(i)? {
                    return Err(invalid_argument(
                        "labels",
                        format!(
                            "the {format} format holds index labels 0..n only, got label {} at \
                             index {i}; relabel_variables_as_integers() gives such a model (and \
                             the mapping back), or use the dimodbqm or dimod_json format",
                            label.bind(py).repr()?
                        ),
                    ));
                }
            }
            return Ok(None);
        }
        let mut out = Vec::with_capacity(self.labels.len());
        for i in 0..self.labels.len() {
            let label = self.labels.label(py, i);
            let label = label.bind(py);
            match label_to_json(label)? {
                Some(v) => out.push(v),
                None => {
                    return Err(invalid_argument(
                        "labels",
                        format!(
                            "label {} of type {} cannot be stored in a {format} file: labels must be \
                             int, float (finite), str, or tuples of them",
                            label.repr()?,
                            label.get_type().name()?
                        ),
                    ));
                }
            }
        }
        Ok(Some(out))
    }

    /// A Python model from a model read from a file.
    fn from_labelled(py: Python<'_>, read: LabelledBqm) -> PyResult<Self> {
        let labels = match read.labels {
            None => Labels::range(read.bqm.num_variables()),
            Some(values) => {
                let list = values
                    .iter()
                    .map(|v| json_to_label(py, v))
                    .collect::<PyResult<Vec<_>>>()?;
                Labels::from_list(py, list)?
            }
        };
        Ok(PyBqm {
            inner: read.bqm,
            labels,
        })
    }

    fn encode(&self, py: Python<'_>, format: Format) -> PyResult<Vec<u8>> {
        let labels = self.file_labels(py, format)?;
        let inner = &self.inner;
        let write = || formats::write(format, inner, labels.as_deref());
        if inner.num_interactions() + inner.num_variables() >= DETACH_BYTES / 16 {
            py.detach(write).or_raise()
        } else {
            write().or_raise()
        }
    }
}

fn decode(
    py: Python<'_>,
    format: Format,
    data: &[u8],
    vartype: Option<&Bound<'_, PyAny>>,
) -> PyResult<PyBqm> {
    let vt = vartype.map(vartype_arg).transpose()?;
    let read = if data.len() >= DETACH_BYTES {
        py.detach(|| formats::read_labelled(format, data, vt))
            .or_raise()?
    } else {
        formats::read_labelled(format, data, vt).or_raise()?
    };
    PyBqm::from_labelled(py, read)
}

/// `value` with every list (at any depth) turned into a tuple.
fn lists_to_tuples<'py>(value: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
    if let Ok(list) = value.cast::<pyo3::types::PyList>() {
        let items = list
            .iter()
            .map(|item| lists_to_tuples(&item))
            .collect::<PyResult<Vec<_>>>()?;
        return Ok(PyTuple::new(value.py(), items)?.into_any());
    }
    Ok(value.clone())
}

/// The bytes of a bytes-like object (`bytes`, `bytearray`, `memoryview`, ...), or `None`.
fn bytes_like(obj: &Bound<'_, PyAny>) -> PyResult<Option<Vec<u8>>> {
    if obj.is_instance_of::<PyBytes>() || obj.is_instance_of::<PyByteArray>() {
        return bytes_arg("source", obj).map(Some);
    }
    if obj.is_instance_of::<pyo3::types::PyMemoryView>() {
        let b = obj.py().get_type::<PyBytes>().call1((obj,))?;
        return Ok(Some(b.cast::<PyBytes>()?.as_bytes().to_vec()));
    }
    Ok(None)
}

/// The rest of an open file's data (`read()`), as bytes (text files are encoded as UTF-8).
fn read_file_object(obj: &Bound<'_, PyAny>) -> PyResult<Vec<u8>> {
    let data = obj.call_method0("read")?;
    if let Ok(s) = data.cast::<PyString>() {
        return Ok(s.to_str()?.as_bytes().to_vec());
    }
    bytes_like(&data)?.ok_or_else(|| {
        invalid_argument(
            "source",
            "is a file object whose read() returned neither bytes nor str".into(),
        )
    })
}

#[pymethods]
impl PyBqm {
    /// Reads a model, as dimod's `from_file` does, from `source`: a path (str or os.PathLike), an
    /// open file (binary or text) or the bytes of a file. `format` is a format name, or None: a
    /// path's extension decides, else the data's first bytes (`DIMODBQM`, `NQMODEL`, `{`, qbsolv's
    /// `c`/`p` lines, COO's `#` or digits). COO integers are labels, as dimod reads them.
    /// `vartype` is required for COO text without a `# vartype=` header and must match the
    /// file's vartype when given. A missing file raises `FileNotFoundIoError` (an `IoError` and a
    /// `FileNotFoundError`).
    #[staticmethod]
    #[pyo3(signature = (source, format = None, vartype = None))]
    fn from_file(
        py: Python<'_>,
        source: &Bound<'_, PyAny>,
        format: Option<&str>,
        vartype: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Self> {
        let format = format.map(|f| format_arg(Some(f), None)).transpose()?;
        let vt = vartype.map(vartype_arg).transpose()?;
        let data = match bytes_like(source)? {
            Some(d) => Some(d),
            None if source.hasattr("read")? => Some(read_file_object(source)?),
            None => None,
        };
        let read = match (data, format) {
            (Some(d), Some(f)) => py.detach(|| formats::read_labelled(f, &d, vt)),
            (Some(d), None) => py.detach(|| formats::read_sniffed(&d, vt).map(|r| r.1)),
            (None, f) => {
                let path: PathBuf = source.extract().map_err(|_| {
                    invalid_argument(
                        "source",
                        format!(
                            "must be a path (str or os.PathLike), an open file or bytes, got {}",
                            source
                                .get_type()
                                .name()
                                .map(|n| n.to_string())
                                .unwrap_or_default()
                        ),
                    )
                })?;
                match f {
                    Some(f) => py.detach(|| formats::read_path_labelled(&path, f, vt)),
                    None => py.detach(|| formats::read_path_sniffed(&path, vt).map(|r| r.1)),
                }
            }
        }
        .or_raise()?;
        PyBqm::from_labelled(py, read)
    }

    /// Writes the model, in `format` (a format name; None: the extension of a path target,
    /// else dimod's DIMODBQM), to `target`: a path (created or replaced; returns None), an open
    /// binary file (written at its position; returns None), or None, which returns a new file
    /// object positioned at its start, as dimod's `to_file()` does. `ignore_labels=True` writes
    /// the variables as 0..n (dimod's keyword). Nothing is written when the model cannot be
    /// encoded.
    #[pyo3(signature = (target = None, format = None, *, ignore_labels = false, spool_size = None))]
    fn to_file<'py>(
        &self,
        py: Python<'py>,
        target: Option<&Bound<'py, PyAny>>,
        format: Option<&str>,
        ignore_labels: bool,
        spool_size: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Option<Bound<'py, PyAny>>> {
        // dimod's spooling threshold: the bytes are built in memory here whatever it is.
        let _ = spool_size;
        let path: Option<PathBuf> = match target {
            Some(t) if !t.hasattr("write")? => Some(t.extract().map_err(|_| {
                invalid_argument(
                    "target",
                    format!(
                        "must be a path (str or os.PathLike), an open binary file or None, got {}",
                        t.get_type().name().map(|n| n.to_string()).unwrap_or_default()
                    ),
                )
            })?),
            _ => None,
        };
        let format = match (format, &path) {
            (Some(f), _) => format_arg(Some(f), None)?,
            (None, Some(p)) => format_arg(None, Some(p))?,
            (None, None) => Format::DimodBqm,
        };
        let labels = if ignore_labels {
            None
        } else {
            self.file_labels(py, format)?
        };
        let inner = &self.inner;
        if let Some(path) = path {
            py.detach(|| formats::write_path(&path, format, inner, labels.as_deref()))
                .or_raise()?;
            return Ok(None);
        }
        let bytes = py
            .detach(|| formats::write(format, inner, labels.as_deref()))
            .or_raise()?;
        let bytes = PyBytes::new(py, &bytes);
        match target {
            Some(file) => {
                file.call_method1("write", (bytes,))?;
                Ok(None)
            }
            None => {
                let file = py.import("io")?.getattr("BytesIO")?.call1((bytes,))?;
                Ok(Some(file))
            }
        }
    }

    /// dimod's `to_serializable()`: the model as a JSON-ready dict (bqm schema 3.0.0), equal to
    /// what dimod gives for the same model. `use_bytes=True` (dimod's binary arrays) is handed to
    /// dimod.
    #[pyo3(signature = (use_bytes = false, bytes_type = None))]
    fn to_serializable<'py>(
        &self,
        py: Python<'py>,
        use_bytes: bool,
        bytes_type: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        if use_bytes {
            let kwargs = pyo3::types::PyDict::new(py);
            kwargs.set_item("use_bytes", true)?;
            if let Some(b) = bytes_type {
                kwargs.set_item("bytes_type", b)?;
            }
            return self
                .to_dimod(py)?
                .call_method("to_serializable", (), Some(&kwargs));
        }
        let text = self.encode(py, Format::DimodJson)?;
        let doc = py
            .import("json")?
            .call_method1("loads", (PyBytes::new(py, &text),))?;
        // dimod's dict keeps tuple labels as tuples (JSON text turns them into lists).
        let labels = doc.get_item("variable_labels")?;
        let fixed = pyo3::types::PyList::empty(py);
        for label in labels.try_iter()? {
            fixed.append(lists_to_tuples(&label?)?)?;
        }
        doc.set_item("variable_labels", fixed)?;
        Ok(doc)
    }

    /// dimod's `to_networkx_graph`: a `networkx.Graph` with the linear biases as node
    /// attributes (`node_attribute_name`, and `vartype`), the quadratic biases as edge attributes
    /// (`edge_attribute_name`), and graph attributes `offset` and `vartype`.
    #[pyo3(signature = (node_attribute_name = None, edge_attribute_name = None))]
    fn to_networkx_graph<'py>(
        slf: &Bound<'py, Self>,
        node_attribute_name: Option<&Bound<'py, PyAny>>,
        edge_attribute_name: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let py = slf.py();
        let bias = pyo3::types::PyString::new(py, "bias").into_any();
        py.import("neuroquant._views")?
            .getattr("to_networkx_graph")?
            .call1((
                slf,
                node_attribute_name.cloned().unwrap_or_else(|| bias.clone()),
                edge_attribute_name.cloned().unwrap_or(bias),
            ))
    }

    /// dimod's `from_networkx_graph(G, vartype=None, node_attribute_name='bias',
    /// edge_attribute_name='bias')`: a model from a graph's node and edge bias attributes (0
    /// when missing) and its `offset`; `vartype` overrides `G.vartype`, one is required.
    #[staticmethod]
    #[pyo3(signature = (graph, vartype = None, node_attribute_name = None, edge_attribute_name = None))]
    fn from_networkx_graph<'py>(
        py: Python<'py>,
        graph: &Bound<'py, PyAny>,
        vartype: Option<&Bound<'py, PyAny>>,
        node_attribute_name: Option<&Bound<'py, PyAny>>,
        edge_attribute_name: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let bias = pyo3::types::PyString::new(py, "bias").into_any();
        py.import("neuroquant._views")?
            .getattr("from_networkx_graph")?
            .call1((
                py.get_type::<Self>(),
                graph,
                vartype,
                node_attribute_name.cloned().unwrap_or_else(|| bias.clone()),
                edge_attribute_name.cloned().unwrap_or(bias),
            ))
    }

    /// dimod's `from_serializable(obj)`: a model from a `to_serializable()` dict (ours or
    /// dimod's; `use_bytes=True` documents are read through dimod).
    #[staticmethod]
    fn from_serializable(py: Python<'_>, obj: &Bound<'_, PyAny>) -> PyResult<Self> {
        let use_bytes = obj
            .get_item("use_bytes")
            .ok()
            .map(|v| v.is_truthy())
            .transpose()?
            .unwrap_or(false);
        if use_bytes {
            let bqm = py
                .import("dimod")?
                .getattr("BinaryQuadraticModel")?
                .call_method1("from_serializable", (obj,))?;
            return Self::from_dimod(py, &bqm);
        }
        let text: String = py.import("json")?.call_method1("dumps", (obj,))?.extract()?;
        decode(py, Format::DimodJson, text.as_bytes(), None)
    }

    /// Reads a model from the bytes of a file in `format` (COO integers are labels, as dimod
    /// reads them).
    #[staticmethod]
    #[pyo3(signature = (data, format, vartype = None))]
    fn from_buffer(
        py: Python<'_>,
        data: &Bound<'_, PyAny>,
        format: &str,
        vartype: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Self> {
        let format = format_arg(Some(format), None)?;
        let data = bytes_arg("data", data)?;
        decode(py, format, &data, vartype)
    }

    /// The model as the bytes of a file in `format`.
    fn to_buffer<'py>(&self, py: Python<'py>, format: &str) -> PyResult<Bound<'py, PyBytes>> {
        let format = format_arg(Some(format), None)?;
        Ok(PyBytes::new(py, &self.encode(py, format)?))
    }
}

/// The bytes of a `bytes` or `bytearray` argument.
fn bytes_arg(argument: &'static str, obj: &Bound<'_, PyAny>) -> PyResult<Vec<u8>> {
    if let Ok(b) = obj.cast::<PyBytes>() {
        Ok(b.as_bytes().to_vec())
    } else if let Ok(b) = obj.cast::<PyByteArray>() {
        Ok(b.to_vec())
    } else {
        Err(invalid_argument(
            argument,
            format!("must be bytes or bytearray, got {}", obj.get_type().name()?),
        ))
    }
}

/// A rudy / G-set edge list (`n m` then `m` lines `i j w`, 1-based) from a path or the bytes of
/// a file, as `(num_nodes, (rows, cols, weights))` with 0-based int64 node arrays and float64
/// weights: the arguments of `max_cut`, which also takes the pair itself.
#[pyfunction]
pub(crate) fn read_edge_list<'py>(
    py: Python<'py>,
    source: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyTuple>> {
    let graph = if source.is_instance_of::<PyBytes>() || source.is_instance_of::<PyByteArray>() {
        let data = bytes_arg("source", source)?;
        py.detach(|| formats::read_edge_list_bytes(&data)).or_raise()?
    } else {
        let path: PathBuf = source.extract().map_err(|_| {
            invalid_argument(
                "source",
                format!(
                    "must be a path (str or os.PathLike) or bytes, got {}",
                    source
                        .get_type()
                        .name()
                        .map(|n| n.to_string())
                        .unwrap_or_default()
                ),
            )
        })?;
        py.detach(|| formats::read_edge_list_path(&path)).or_raise()?
    };
    let rows: Vec<i64> = graph.edges.iter().map(|e| e.0 as i64).collect();
    let cols: Vec<i64> = graph.edges.iter().map(|e| e.1 as i64).collect();
    let weights: Vec<f64> = graph.edges.iter().map(|e| e.2).collect();
    let edges = PyTuple::new(
        py,
        [
            rows.into_pyarray(py).into_any(),
            cols.into_pyarray(py).into_any(),
            weights.into_pyarray(py).into_any(),
        ],
    )?;
    PyTuple::new(
        py,
        [graph.num_nodes.into_pyobject(py)?.into_any(), edges.into_any()],
    )
}

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(read_edge_list, m)?)
}
