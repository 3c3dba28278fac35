//! `Model` (a compiled expression) and `DecodedSample`.

use super::Callback;
use crate::arrays::{IntArray, with_int_data};
use crate::errors::{OrRaise, invalid_argument};
use crate::qubo::PyBqm;
use crate::qubo::bqm::vartype_arg;
use crate::qubo::labels::Labels;
use neuroquant::qubo::expr::{BoundModel, CompiledModel, Condition, Decoded, Expr, Strength};
use neuroquant::qubo::{Bqm, Vartype};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyList, PyString, PyTuple};
use std::sync::Arc;

/// Coefficients above which binding releases the GIL.
const DETACH_COEFFICIENTS: usize = 1 << 14;

/// A compiled expression: bind placeholder values (`feed_dict`) to get a QUBO, Ising model or
/// `Bqm`; decode samples.
#[pyclass(name = "Model", module = "neuroquant.qubo", frozen)]
pub struct PyModel {
    pub(super) inner: Arc<CompiledModel>,
    /// The expression it was compiled from: a model pickles as `(source, strength)` and is
    /// compiled again when loaded (compilation is deterministic).
    pub(super) source: Expr,
    /// The labels as Python strings, made once and shared by every dict this model returns.
    labels: PyOnceLock<Vec<Py<PyString>>>,
}

impl PyModel {
    pub(crate) fn new(model: CompiledModel, source: Expr) -> Self {
        PyModel {
            inner: Arc::new(model),
            source,
            labels: PyOnceLock::new(),
        }
    }

    fn py_labels<'py>(&'py self, py: Python<'py>) -> &'py [Py<PyString>] {
        self.labels.get_or_init(py, || {
            self.inner
                .labels()
                .map(|l| PyString::new(py, l).unbind())
                .collect()
        })
    }

    /// Placeholder values from a `feed_dict` mapping (or `None`).
    fn feed(&self, feed_dict: Option<&Bound<'_, PyAny>>) -> PyResult<Vec<f64>> {
        let mut names = Vec::new();
        let mut values = Vec::new();
        if let Some(d) = feed_dict.filter(|d| !d.is_none()) {
            for item in d.call_method0("items")?.try_iter()? {
                let (k, v): (Bound<'_, PyAny>, Bound<'_, PyAny>) = item?.extract()?;
                let name = k.cast_into::<PyString>().map_err(|e| {
                    invalid_argument(
                        "feed_dict",
                        format!(
                            "key {} is not a placeholder name (str)",
                            e.into_inner().repr().map(|r| r.to_string()).unwrap_or_default()
                        ),
                    )
                })?;
                let value = v.extract::<f64>().map_err(|_| {
                    invalid_argument("feed_dict", format!("the value of {name} is not a number"))
                })?;
                names.push(name);
                values.push(value);
            }
        }
        let strs = names
            .iter()
            .map(|n| n.to_str())
            .collect::<PyResult<Vec<&str>>>()?;
        self.inner
            .placeholder_values(strs.into_iter().zip(values))
            .or_raise()
    }

    fn bind<'m>(&'m self, py: Python<'_>, feed_dict: Option<&Bound<'_, PyAny>>) -> PyResult<BoundModel<'m>> {
        let values = self.feed(feed_dict)?;
        let model = &*self.inner;
        if self.inner.num_variables() + self.inner.num_interactions() >= DETACH_COEFFICIENTS {
            py.detach(|| model.bind(&values)).or_raise()
        } else {
            model.bind(&values).or_raise()
        }
    }

    /// Binary values of all variables from a `{label: value}` mapping in `vartype`.
    fn sample(&self, sample: &Bound<'_, PyAny>, vartype: Vartype) -> PyResult<Vec<i8>> {
        let mut keys = Vec::new();
        let mut values = Vec::new();
        let items = match sample.cast::<PyDict>() {
            Ok(d) => d.items().into_any(),
            Err(_) => sample
                .call_method0("items")
                .map_err(|_| invalid_argument("sample", "must be a mapping {label: value}".into()))?,
        };
        for item in items.try_iter()? {
            let (k, v): (Bound<'_, PyAny>, Bound<'_, PyAny>) = item?.extract()?;
            let key = k.cast_into::<PyString>().map_err(|e| {
                let r = e.into_inner().repr().map(|r| r.to_string()).unwrap_or_default();
                invalid_argument(
                    "sample",
                    format!("key {r} is not a variable label (labels are str)"),
                )
            })?;
            let value = v.extract::<i64>().map_err(|_| {
                let r = v.repr().map(|r| r.to_string()).unwrap_or_default();
                invalid_argument("sample", format!("the value {r} of {key} is not an integer"))
            })?;
            keys.push(key);
            values.push(value);
        }
        let strs = keys.iter().map(|k| k.to_str()).collect::<PyResult<Vec<&str>>>()?;
        self.inner
            .sample_from_labels(strs.into_iter().zip(values), vartype)
            .or_raise()
    }

    fn label_key<'py>(
        &self,
        py: Python<'py>,
        index_label: bool,
        u: u32,
        v: u32,
    ) -> PyResult<Bound<'py, PyTuple>> {
        if index_label {
            PyTuple::new(py, [u, v])
        } else {
            let labels = self.py_labels(py);
            PyTuple::new(py, [labels[u as usize].bind(py), labels[v as usize].bind(py)])
        }
    }

    fn decoded(
        &self,
        owner: &Bound<'_, PyModel>,
        d: Decoded,
        x: &[i8],
        vartype: Vartype,
    ) -> PyResult<PyDecodedSample> {
        let py = owner.py();
        let mut satisfied = Vec::with_capacity(d.values.len());
        for ((s, &value), (_, condition)) in d.satisfied.iter().zip(&d.values).zip(self.inner.labelled()) {
            satisfied.push(match (s, condition) {
                (Some(s), _) => Some(*s),
                (None, Some(Condition::Custom(payload))) => match payload.downcast_ref::<Callback>() {
                    Some(cb) => Some(cb.0.bind(py).call1((value,))?.is_truthy()?),
                    None => Some(false),
                },
                (None, _) => None,
            });
        }
        let values = match vartype {
            Vartype::Binary => x.to_vec(),
            Vartype::Spin => x.iter().map(|&b| 2 * b - 1).collect(),
        };
        Ok(PyDecodedSample {
            model: self.inner.clone(),
            owner: owner.clone().unbind(),
            values,
            vartype,
            energy: d.energy,
            labelled: d.values,
            satisfied,
        })
    }
}

#[pymethods]
impl PyModel {
    /// Labels of all variables: the expression's in order of first appearance, then the
    /// auxiliary variables of quadratization (named `"a * b"`).
    #[getter]
    fn variables(&self) -> Vec<String> {
        self.inner.labels().map(str::to_string).collect()
    }

    /// Placeholder names, in order of first appearance.
    #[getter]
    fn placeholders(&self) -> Vec<String> {
        self.inner.placeholders().map(str::to_string).collect()
    }

    /// The quadratization strength the model was compiled with: a number, or the
    /// `Placeholder` given to `compile(strength=...)`.
    #[getter]
    fn strength(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        Ok(match self.inner.strength_spec() {
            Strength::Value(v) => v.into_pyobject(py)?.into_any().unbind(),
            Strength::Placeholder(p) => super::PyPlaceholder::class_instance(py, &p)?.unbind(),
        })
    }

    /// The BINARY `Bqm`, labelled with `variables` (or `0..n` in that order when `index_label`).
    #[pyo3(signature = (index_label = false, feed_dict = None))]
    fn to_bqm(
        &self,
        py: Python<'_>,
        index_label: bool,
        feed_dict: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<PyBqm> {
        let bqm: Bqm = self.bind(py, feed_dict)?.into_bqm();
        let labels = if index_label {
            Labels::range(bqm.num_variables())
        } else {
            Labels::from_list(
                py,
                self.py_labels(py)
                    .iter()
                    .map(|l| l.clone_ref(py).into_any())
                    .collect(),
            )?
        };
        Ok(PyBqm { inner: bqm, labels })
    }

    /// `(Q, offset)`: `Q[(u, v)]` the quadratic and `Q[(v, v)]` the linear biases (zeros left out),
    /// keyed by labels, or by indices into `variables` when `index_label` is true.
    #[pyo3(signature = (index_label = false, feed_dict = None))]
    fn to_qubo<'py>(
        &self,
        py: Python<'py>,
        index_label: bool,
        feed_dict: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<(Bound<'py, PyDict>, f64)> {
        let bound = self.bind(py, feed_dict)?;
        let bqm = bound.bqm();
        let q = PyDict::new(py);
        for (v, &b) in bqm.linear().iter().enumerate() {
            if b != 0.0 {
                q.set_item(self.label_key(py, index_label, v as u32, v as u32)?, b)?;
            }
        }
        for (u, v, b) in bqm.iter_quadratic() {
            if b != 0.0 {
                q.set_item(self.label_key(py, index_label, u, v)?, b)?;
            }
        }
        Ok((q, bqm.offset()))
    }

    /// `(h, J, offset)` of the spin form (zeros left out), keyed like `to_qubo`.
    #[pyo3(signature = (index_label = false, feed_dict = None))]
    fn to_ising<'py>(
        &self,
        py: Python<'py>,
        index_label: bool,
        feed_dict: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<(Bound<'py, PyDict>, Bound<'py, PyDict>, f64)> {
        let mut bqm = self.bind(py, feed_dict)?.into_bqm();
        bqm.change_vartype(Vartype::Spin).or_raise()?;
        let (h, j) = (PyDict::new(py), PyDict::new(py));
        let labels = self.py_labels(py);
        for (v, &b) in bqm.linear().iter().enumerate() {
            if b != 0.0 {
                if index_label {
                    h.set_item(v, b)?;
                } else {
                    h.set_item(labels[v].bind(py), b)?;
                }
            }
        }
        for (u, v, b) in bqm.iter_quadratic() {
            if b != 0.0 {
                j.set_item(self.label_key(py, index_label, u, v)?, b)?;
            }
        }
        Ok((h, j, bqm.offset()))
    }

    /// Energy of a sample `{label: value}` (values in `vartype`; auxiliary variables may be
    /// left out, they then equal the product they stand for).
    #[pyo3(signature = (sample, vartype, feed_dict = None))]
    fn energy(
        &self,
        py: Python<'_>,
        sample: &Bound<'_, PyAny>,
        vartype: &Bound<'_, PyAny>,
        feed_dict: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<f64> {
        let x = self.sample(sample, vartype_arg(vartype)?)?;
        self.bind(py, feed_dict)?.bqm().energy(&x).or_raise()
    }

    /// Energy, constraint values and whether each holds, sub-Hamiltonian values.
    #[pyo3(signature = (sample, vartype, feed_dict = None))]
    fn decode_sample(
        slf: &Bound<'_, Self>,
        sample: &Bound<'_, PyAny>,
        vartype: &Bound<'_, PyAny>,
        feed_dict: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<PyDecodedSample> {
        let me = slf.get();
        let vartype = vartype_arg(vartype)?;
        let x = me.sample(sample, vartype)?;
        let d = me.bind(slf.py(), feed_dict)?.decode(&x).or_raise()?;
        me.decoded(slf, d, &x, vartype)
    }

    /// Decodes every sample of a sample set (an object with `variables`, `record.sample` and
    /// `vartype`, such as `dimod.SampleSet`); sorted by energy, lowest first, ties by the values
    /// in label order (PyQUBO's order; core `CompiledModel::decoded_order`).
    #[pyo3(signature = (sampleset, feed_dict = None))]
    fn decode_sampleset<'py>(
        slf: &Bound<'py, Self>,
        sampleset: &Bound<'py, PyAny>,
        feed_dict: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyList>> {
        let (py, me) = (slf.py(), slf.get());
        let vartype = vartype_arg(&sampleset.getattr("vartype")?)?;
        let mut names = Vec::new();
        for v in sampleset.getattr("variables")?.try_iter()? {
            let v = v?;
            names.push(v.cast_into::<PyString>().map_err(|e| {
                let r = e.into_inner().repr().map(|r| r.to_string()).unwrap_or_default();
                invalid_argument(
                    "sampleset",
                    format!("variable {r} is not a label of this model (labels are str)"),
                )
            })?);
        }
        let labels = names
            .iter()
            .map(|n| n.to_str())
            .collect::<PyResult<Vec<&str>>>()?;
        let samples = IntArray::samples("sampleset", &sampleset.getattr("record")?.getattr("sample")?)?;
        let shape = samples.shape();
        let rows = match shape.as_slice() {
            [rows, cols] if *cols == labels.len() => *rows,
            _ => {
                return Err(invalid_argument(
                    "sampleset",
                    format!(
                        "record.sample has shape {shape:?}, expected (rows, {})",
                        labels.len()
                    ),
                ));
            }
        };
        let model = &*me.inner;
        let xs = with_int_data!(&samples, |data| model
            .samples_from_columns(&labels, &data, rows, vartype))
        .or_raise()?;
        let bound = me.bind(py, feed_dict)?;
        let decoded = py.detach(|| bound.decode_many(&xs, rows)).or_raise()?;
        let n = model.num_variables();
        let mut out = Vec::with_capacity(rows);
        for (r, d) in decoded.into_iter().enumerate() {
            out.push(me.decoded(slf, d, &xs[r * n..(r + 1) * n], vartype)?);
        }
        // PyQUBO's order: by energy, ties by the values in label order.
        let energies: Vec<f64> = out.iter().map(|d| d.energy).collect();
        let order = model.decoded_order(&energies, &xs[..rows * n]).or_raise()?;
        let mut slots: Vec<Option<PyDecodedSample>> = out.into_iter().map(Some).collect();
        PyList::new(py, order.into_iter().map(|r| slots[r].take()))
    }

    fn __repr__(&self) -> String {
        format!(
            "Model(num_variables={}, num_interactions={}, placeholders={:?}, strength={})",
            self.inner.num_variables(),
            self.inner.num_interactions(),
            self.placeholders(),
            match self.inner.strength_spec() {
                Strength::Value(v) => v.to_string(),
                Strength::Placeholder(p) => format!("Placeholder('{p}')"),
            }
        )
    }
}

/// One decoded sample: the sample, its energy, constraint and sub-Hamiltonian values.
#[pyclass(name = "DecodedSample", module = "neuroquant.qubo", frozen)]
pub struct PyDecodedSample {
    pub(super) model: Arc<CompiledModel>,
    /// The `Model` that decoded it: pickled by reference, so a list of samples pickles (and
    /// recompiles) their model once.
    pub(super) owner: Py<PyModel>,
    /// Values of all variables in `vartype`.
    pub(super) values: Vec<i8>,
    pub(super) vartype: Vartype,
    pub(super) energy: f64,
    /// Value of each constraint and sub-Hamiltonian (model order).
    pub(super) labelled: Vec<f64>,
    /// Whether each holds (`None` for sub-Hamiltonians).
    pub(super) satisfied: Vec<Option<bool>>,
}

#[pymethods]
impl PyDecodedSample {
    /// `{label: value}` for every variable (auxiliaries included), in `vartype`.
    #[getter]
    fn sample<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let d = PyDict::new(py);
        for (label, &v) in self.model.labels().zip(&self.values) {
            d.set_item(label, v)?;
        }
        Ok(d)
    }

    #[getter]
    /// Energy of the decoded sample in the compiled model.
    fn energy(&self) -> f64 {
        self.energy
    }

    /// `"SPIN"` or `"BINARY"`: the vartype of `sample`.
    #[getter]
    fn vartype(&self) -> &'static str {
        self.vartype.name()
    }

    /// `{label: (satisfied, value)}` of the constraints; only the broken ones if `only_broken`.
    #[pyo3(signature = (only_broken = false))]
    fn constraints<'py>(&self, py: Python<'py>, only_broken: bool) -> PyResult<Bound<'py, PyDict>> {
        let d = PyDict::new(py);
        for (((label, _), &value), s) in self.model.labelled().zip(&self.labelled).zip(&self.satisfied) {
            if let Some(s) = *s
                && !(only_broken && s)
            {
                d.set_item(label, (s, value))?;
            }
        }
        Ok(d)
    }

    /// `{label: value}` of every sub-Hamiltonian and constraint.
    #[getter]
    fn subh<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let d = PyDict::new(py);
        for ((label, _), &value) in self.model.labelled().zip(&self.labelled) {
            d.set_item(label, value)?;
        }
        Ok(d)
    }

    /// Value of the array element `name[i][j]...` (as created by `Array.create`).
    fn array(&self, name: &str, index: &Bound<'_, PyAny>) -> PyResult<i8> {
        let idx: Vec<i64> = match index.extract::<i64>() {
            Ok(i) => vec![i],
            Err(_) => index.extract()?,
        };
        let label: String = std::iter::once(name.to_string())
            .chain(idx.iter().map(|i| format!("[{i}]")))
            .collect();
        match self.model.variable_index(&label) {
            Some(v) => Ok(self.values[v as usize]),
            None => Err(invalid_argument(
                "index",
                format!("{label:?} is not a variable of the model"),
            )),
        }
    }

    fn __repr__(&self) -> String {
        let broken = self.satisfied.iter().filter(|s| **s == Some(false)).count();
        let total = self.satisfied.iter().filter(|s| s.is_some()).count();
        format!(
            "DecodedSample(energy={}, vartype='{}', broken_constraints={broken}/{total}, num_variables={})",
            self.energy,
            self.vartype.name(),
            self.values.len()
        )
    }
}
