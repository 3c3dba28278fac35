//! `neuroquant.anneal.SampleSet`: rows as read-only numpy views, dimod conversion, pickling.

use crate::errors::OrRaise;
use neuroquant::anneal::{Column, SampleSet};
use numpy::ndarray::{ArrayView1, ArrayView2};
use numpy::{IntoPyArray, PyArray1, PyArray2};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyList, PyTuple};

/// Samples returned by a sampler: `samples` (rows of int8 in the model's vartype, columns in
/// `variables` order), `energies`, `num_occurrences`, extra per-row `vectors` and `info`.
/// Immutable; the array properties are zero-copy read-only views.
#[pyclass(name = "SampleSet", module = "neuroquant.anneal", frozen)]
pub struct PySampleSet {
    pub(crate) inner: SampleSet,
    pub(crate) variables: Py<PyList>,
}

impl PySampleSet {
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

    /// `"SPIN"` or `"BINARY"`.
    #[getter]
    fn vartype(&self) -> &'static str {
        self.inner.vartype().name()
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

    fn __repr__(&self) -> String {
        format!(
            "SampleSet(rows={}, num_variables={}, vartype='{}', sampler='{}', lowest={:?})",
            self.inner.len(),
            self.inner.num_variables(),
            self.inner.vartype(),
            self.inner.info().sampler,
            self.inner.first().map(|f| f.1)
        )
    }

    /// The lowest-energy row as `({label: value}, energy, num_occurrences)` (first on ties).
    #[getter]
    fn first<'py>(&self, py: Python<'py>) -> PyResult<Option<(Bound<'py, PyDict>, f64, u64)>> {
        let Some((row, energy, count)) = self.inner.first() else {
            return Ok(None);
        };
        let d = PyDict::new(py);
        for (label, &x) in self.variables.bind(py).iter().zip(row) {
            d.set_item(label, x)?;
        }
        Ok(Some((d, energy, count)))
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
        dimod
            .getattr("SampleSet")?
            .call_method("from_samples", (samples, me.vartype()), Some(&kwargs))
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
