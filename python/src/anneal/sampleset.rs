//! `neuroquant.anneal.SampleSet`: rows as read-only numpy views, dimod conversion, pickling.

use crate::errors::OrRaise;
use neuroquant::anneal::{Column, SampleSet};
use numpy::ndarray::{ArrayView1, ArrayView2};
use numpy::{IntoPyArray, PyArray1, PyArray2};
use pyo3::prelude::*;
use pyo3::types::{IntoPyDict, PyBytes, PyDict, PyList, PyTuple};

/// Samples returned by a sampler: `samples` (rows of int8 in the model's vartype, columns in
/// `variables` order), `energies`, `num_occurrences`, extra per-row `vectors` and `info`.
/// Immutable; the array properties are zero-copy read-only views.
#[pyclass(name = "SampleSet", module = "neuroquant.anneal", frozen)]
pub struct PySampleSet {
    pub(crate) inner: SampleSet,
    pub(crate) variables: Py<PyList>,
}

/// How `data()` shapes a row.
struct DataSpec {
    fields: Option<Vec<String>>,
    name: String,
    sample_dict_cast: bool,
    index: bool,
}

impl PySampleSet {
    /// Row `i` as a named tuple of dimod's fields (`spec`: `data()`'s options; None: `first`'s).
    fn row_tuple<'py>(
        slf: &Bound<'py, Self>,
        i: usize,
        spec: Option<&DataSpec>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let py = slf.py();
        let me = slf.get();
        let row = me.inner.sample(i);
        let cast = spec.is_none_or(|s| s.sample_dict_cast);
        let sample = if cast {
            let d = PyDict::new(py);
            for (label, &x) in me.variables.bind(py).iter().zip(row) {
                d.set_item(label, x)?;
            }
            d.into_any()
        } else {
            // dimod's SampleView: a mapping over the row, not a dict copy.
            py.import("neuroquant._views")?
                .getattr("SampleView")?
                .call1((row.to_vec().into_pyarray(py), me.variables.bind(py)))?
        };
        let names = PyList::empty(py);
        let values = PyList::empty(py);
        let push = |n: &str, v: Bound<'py, PyAny>| -> PyResult<()> {
            names.append(n)?;
            values.append(v)
        };
        push("sample", sample)?;
        push("energy", me.inner.energies()[i].into_pyobject(py)?.into_any())?;
        push(
            "num_occurrences",
            (me.inner.num_occurrences()[i].min(i64::MAX as u64) as i64)
                .into_pyobject(py)?
                .into_any(),
        )?;
        for (name, col) in me.inner.vectors() {
            let v = match col {
                Column::I64(v) => v[i].into_pyobject(py)?.into_any(),
                Column::F64(v) => v[i].into_pyobject(py)?.into_any(),
            };
            push(name, v)?;
        }
        let (mut names, mut values): (Vec<Bound<'py, PyAny>>, Vec<Bound<'py, PyAny>>) =
            (names.iter().collect(), values.iter().collect());
        let mut type_name = "Sample".to_string();
        if let Some(spec) = spec {
            type_name = spec.name.clone();
            if let Some(fields) = &spec.fields {
                let mut picked = (Vec::new(), Vec::new());
                for f in fields {
                    let k = names
                        .iter()
                        .position(|n| n.extract::<String>().is_ok_and(|n| &n == f))
                        .ok_or_else(|| {
                            crate::errors::invalid_argument(
                                "fields",
                                format!("{f:?} is not a field of the record"),
                            )
                        })?;
                    picked.0.push(names[k].clone());
                    picked.1.push(values[k].clone());
                }
                (names, values) = picked;
            }
            if spec.index {
                names.push("idx".into_pyobject(py)?.into_any());
                values.push(i.into_pyobject(py)?.into_any());
            }
        }
        let cls = py
            .import("neuroquant._views")?
            .getattr("sample_tuple")?
            .call1((type_name, PyTuple::new(py, names)?))?;
        cls.call1(PyTuple::new(py, values)?)
    }

    fn derived(&self, py: Python<'_>, inner: SampleSet) -> Self {
        PySampleSet {
            inner,
            variables: self.variables.clone_ref(py),
        }
    }

    /// A read-only numpy array over memory owned by `slf` (kept alive by the array).
    fn view<'py, T: numpy::Element, D: numpy::ndarray::Dimension>(
        slf: &Bound<'py, Self>,
        view: numpy::ndarray::ArrayView<'_, T, D>,
    ) -> PyResult<Bound<'py, numpy::PyArray<T, D>>> {
        // SAFETY: the data lives inside the frozen (never mutated) pyclass `slf`, which the new
        // array holds as its base object, so the memory outlives the array.
        let arr = unsafe { numpy::PyArray::borrow_from_array(&view, slf.clone().into_any()) };
        let kwargs = PyDict::new(slf.py());
        kwargs.set_item("write", false)?;
        arr.call_method("setflags", (), Some(&kwargs))?;
        Ok(arr)
    }
}

#[pymethods]
impl PySampleSet {
    /// `(num_rows, num_variables)` int8 samples, read-only.
    #[getter]
    fn samples<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyArray2<i8>>> {
        let me = slf.get();
        let shape = (me.inner.len(), me.inner.num_variables());
        let view = ArrayView2::from_shape(shape, me.inner.samples()).expect("row-major by construction");
        Self::view(slf, view)
    }

    /// Energy of each row, read-only.
    #[getter]
    fn energies<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyArray1<f64>>> {
        Self::view(slf, ArrayView1::from(slf.get().inner.energies()))
    }

    /// Occurrences of each row (int64).
    #[getter]
    fn num_occurrences<'py>(&self, py: Python<'py>) -> Bound<'py, PyArray1<i64>> {
        let v: Vec<i64> = self
            .inner
            .num_occurrences()
            .iter()
            .map(|&x| x.min(i64::MAX as u64) as i64)
            .collect();
        v.into_pyarray(py)
    }

    /// Extra per-row fields (`num_steps`, `num_restarts`, `slice`, ...) as arrays.
    #[getter]
    fn vectors<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let d = PyDict::new(py);
        for (name, col) in self.inner.vectors() {
            match col {
                Column::I64(v) => d.set_item(name, v.clone().into_pyarray(py))?,
                Column::F64(v) => d.set_item(name, v.clone().into_pyarray(py))?,
            }
        }
        Ok(d)
    }

    /// Run information: `sampler`, `timing` (ns), `seed`, `beta_range`, `beta_schedule_type`,
    /// `interrupted`, `extra`.
    #[getter]
    fn info<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        py.import("json")?
            .call_method1("loads", (self.inner.info().to_json(),))
    }

    /// `dimod.SPIN` / `dimod.BINARY` when dimod is installed (as a dimod sample set's), else
    /// neuroquant's vartype enum, equal to "SPIN" / "BINARY".
    #[getter]
    fn vartype<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        py.import("neuroquant._views")?
            .getattr("vartype")?
            .call1((self.inner.vartype().name(),))
    }

    /// Column labels (the model's variables).
    #[getter]
    fn variables<'py>(&self, py: Python<'py>) -> Bound<'py, PyList> {
        self.variables.bind(py).clone()
    }

    #[getter]
    /// Variables per row.
    fn num_variables(&self) -> usize {
        self.inner.num_variables()
    }

    fn __len__(&self) -> usize {
        self.inner.len()
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        let lowest = match self.inner.first() {
            Some(f) => f.1.into_pyobject(py)?.repr()?.to_string(),
            None => "None".to_string(),
        };
        Ok(format!(
            "SampleSet(rows={}, num_variables={}, vartype='{}', sampler='{}', lowest={lowest})",
            self.inner.len(),
            self.inner.num_variables(),
            self.inner.vartype(),
            self.inner.info().sampler,
        ))
    }

    /// The lowest-energy row (first on ties) as dimod's `first` gives it: a named tuple
    /// `Sample(sample, energy, num_occurrences, <vectors>...)` with `sample` a `{label: value}`
    /// dict; `None` for an empty set (dimod raises there).
    #[getter]
    fn first<'py>(slf: &Bound<'py, Self>) -> PyResult<Option<Bound<'py, PyAny>>> {
        let me = slf.get();
        let Some(i) = me.inner.order_by_energy().first().copied() else {
            return Ok(None);
        };
        Ok(Some(Self::row_tuple(slf, i, None)?))
    }

    /// dimod's `record`: a numpy record array with fields `sample` (int8, one column per
    /// variable), `energy`, `num_occurrences` and one field per vector (a copy).
    #[getter]
    fn record<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyAny>> {
        let py = slf.py();
        let me = slf.get();
        let np = py.import("numpy")?;
        let vectors = me.vectors(py)?;
        let fields = PyList::empty(py);
        fields.append(("sample", "i1", (me.inner.num_variables(),)))?;
        fields.append(("energy", "<f8"))?;
        fields.append(("num_occurrences", "<i8"))?;
        for (name, col) in vectors.iter() {
            fields.append((name, col.getattr("dtype")?))?;
        }
        let dtype = np.call_method1("dtype", (fields,))?;
        let record = np.call_method1("empty", (me.inner.len(), dtype))?;
        record.set_item("sample", Self::samples(slf)?)?;
        record.set_item("energy", Self::energies(slf)?)?;
        record.set_item("num_occurrences", me.num_occurrences(py))?;
        for (name, col) in vectors.iter() {
            record.set_item(name, col)?;
        }
        record.call_method1("view", (np.getattr("recarray")?,))
    }

    /// dimod's `data`: the rows as named tuples `Sample(sample, energy, num_occurrences,
    /// <vectors>...)`, sorted by `sorted_by` (a field name, or None for row order), `reverse` for
    /// descending; `fields` selects fields (in that order), `name` names the tuple type,
    /// `sample_dict_cast=False` keeps `sample` as the int8 row, `index=True` adds the row index as
    /// `idx`.
    #[pyo3(signature = (fields = None, sorted_by = Some("energy"), name = "Sample", reverse = false, sample_dict_cast = true, index = false))]
    #[allow(clippy::too_many_arguments)]
    fn data<'py>(
        slf: &Bound<'py, Self>,
        fields: Option<Vec<String>>,
        sorted_by: Option<&str>,
        name: &str,
        reverse: bool,
        sample_dict_cast: bool,
        index: bool,
    ) -> PyResult<Bound<'py, PyAny>> {
        let py = slf.py();
        let me = slf.get();
        let mut order: Vec<usize> = match sorted_by {
            None => (0..me.inner.len()).collect(),
            Some("energy") => me.inner.order_by_energy(),
            Some(field) => {
                let record = Self::record(slf)?;
                let column = record.get_item(field).map_err(|_| {
                    crate::errors::invalid_argument(
                        "sorted_by",
                        format!("{field:?} is not a field of the record"),
                    )
                })?;
                py.import("numpy")?
                    .call_method(
                        "argsort",
                        (column,),
                        Some(&[("kind", "stable")].into_py_dict(py)?),
                    )?
                    .extract()?
            }
        };
        if reverse {
            order.reverse();
        }
        let spec = DataSpec {
            fields,
            name: name.to_string(),
            sample_dict_cast,
            index,
        };
        let rows = PyList::empty(py);
        for i in order {
            rows.append(Self::row_tuple(slf, i, Some(&spec))?)?;
        }
        rows.try_iter().map(|i| i.into_any())
    }

    /// The rows in `vartype` (`s = 2x - 1`), with `energy_offset` added to every energy (dimod's
    /// `change_vartype`). neuroquant sample sets are immutable: pass `inplace=False` for the new
    /// set (the default `inplace=True`, dimod's, raises rather than leave the set unchanged).
    #[pyo3(signature = (vartype, energy_offset = 0.0, inplace = true))]
    fn change_vartype(
        &self,
        py: Python<'_>,
        vartype: &Bound<'_, PyAny>,
        energy_offset: f64,
        inplace: bool,
    ) -> PyResult<Self> {
        if inplace {
            return Err(crate::errors::invalid_argument(
                "inplace",
                "is True, but a neuroquant SampleSet is immutable: use change_vartype(..., \
                 inplace=False), which returns the converted set"
                    .into(),
            ));
        }
        let vt = crate::qubo::vartype_arg(vartype)?;
        let mut inner = self.inner.clone();
        inner.change_vartype(vt, energy_offset).or_raise()?;
        Ok(self.derived(py, inner))
    }

    /// Rows within `atol + rtol·|min|` of the lowest energy (dimod's defaults).
    #[pyo3(signature = (rtol = 1e-5, atol = 1e-8))]
    fn lowest(&self, py: Python<'_>, rtol: f64, atol: f64) -> PyResult<Self> {
        Ok(self.derived(py, self.inner.lowest(rtol, atol).or_raise()?))
    }

    /// Identical rows merged, occurrences summed.
    fn aggregate(&self, py: Python<'_>) -> Self {
        self.derived(py, self.inner.aggregate())
    }

    /// The `n` lowest-energy rows, sorted by energy.
    fn truncate(&self, py: Python<'_>, n: usize) -> Self {
        self.derived(py, self.inner.truncate(n))
    }

    /// The rows as a `dimod.SampleSet` (same variables, vartype, energies, occurrences, vectors
    /// and info).
    fn to_dimod<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyAny>> {
        let py = slf.py();
        let me = slf.get();
        let dimod = py.import("dimod")?;
        let kwargs = PyDict::new(py);
        kwargs.set_item("energy", Self::energies(slf)?)?;
        kwargs.set_item("num_occurrences", me.num_occurrences(py))?;
        kwargs.set_item("info", me.info(py)?)?;
        for (name, col) in me.vectors(py)?.iter() {
            kwargs.set_item(name, col)?;
        }
        let samples = PyTuple::new(py, [Self::samples(slf)?.into_any(), me.variables(py).into_any()])?;
        dimod.getattr("SampleSet")?.call_method(
            "from_samples",
            (samples, me.inner.vartype().name()),
            Some(&kwargs),
        )
    }

    /// The sample set in the neuroquant container format (labels not included).
    fn to_bytes<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyBytes>> {
        Ok(PyBytes::new(py, &self.inner.to_bytes().or_raise()?))
    }

    /// Reads a sample set written by `to_bytes` (from any surface); `variables` default 0..n.
    #[staticmethod]
    #[pyo3(signature = (data, variables = None))]
    fn from_bytes(py: Python<'_>, data: &[u8], variables: Option<Vec<Py<PyAny>>>) -> PyResult<Self> {
        let inner = SampleSet::from_bytes(data).or_raise()?;
        let variables = match variables {
            Some(v) => {
                neuroquant::error::check::len("variables", inner.num_variables(), v.len())
                    .map_err(|e| crate::errors::to_pyerr(e.into()))?;
                PyList::new(py, v)?
            }
            None => PyList::new(py, 0..inner.num_variables())?,
        };
        Ok(PySampleSet {
            inner,
            variables: variables.unbind(),
        })
    }

    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyTuple>> {
        let py = slf.py();
        let me = slf.get();
        let restore = py.get_type::<PySampleSet>().getattr("from_bytes")?;
        let args = PyTuple::new(py, [me.to_bytes(py)?.into_any(), me.variables(py).into_any()])?;
        PyTuple::new(py, [restore, args.into_any()])
    }
}
