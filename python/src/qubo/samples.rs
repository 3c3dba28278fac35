//! Samples-like arguments (dimod's forms) and energies.
//!
//! Accepted: a 2-D integer array-like with columns in variable order (a 1-D one is one sample);
//! `(array, labels)` with columns in `labels` order; `{label: value}` (one sample); a list of
//! such dicts. Values are checked by the core against the vartype.

use super::bqm::PyBqm;
use crate::arrays::{IntArray, with_int_data};
use crate::errors::{invalid_argument, to_pyerr};
use neuroquant::ArgumentError;
use neuroquant::qubo::SampleValue;
use numpy::IntoPyArray;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyTuple};

/// Batches above this many values are evaluated with the GIL released.
const DETACH_VALUES: usize = 1 << 14;

fn dimension(argument: &'static str, expected: usize, got: usize) -> PyErr {
    to_pyerr(
        ArgumentError::DimensionMismatch {
            argument,
            expected,
            got,
        }
        .into(),
    )
}

impl PyBqm {
    /// Rows × variables of a dict sample, in variable order; labels the model does not have are
    /// ignored, as dimod ignores them.
    fn dict_row(&self, d: &Bound<'_, PyDict>, out: &mut Vec<i64>) -> PyResult<()> {
        let n = self.inner.num_variables();
        for i in 0..n {
            let label = self.labels.label(d.py(), i);
            match d.get_item(&label)? {
                Some(x) => out.push(x.extract()?),
                None => {
                    return Err(invalid_argument(
                        "samples",
                        format!("missing variable {}", label.bind(d.py()).repr()?),
                    ));
                }
            }
        }
        Ok(())
    }

    /// Column k of the array holds variable `perm[k]` (`None`: a label the model does not have,
    /// whose column is ignored, as dimod ignores it); `labels` must list every variable once.
    fn permutation(&self, labels: &Bound<'_, PyAny>) -> PyResult<Vec<Option<u32>>> {
        let n = self.inner.num_variables();
        let mut seen = vec![false; n];
        let mut perm = Vec::with_capacity(n);
        let mut found = 0;
        for label in labels.try_iter()? {
            let label = label?;
            let Some(i) = self.labels.index_of(&label)? else {
                perm.push(None);
                continue;
            };
            if std::mem::replace(&mut seen[i as usize], true) {
                return Err(invalid_argument(
                    "samples",
                    format!("label {} appears twice", label.repr()?),
                ));
            }
            perm.push(Some(i));
            found += 1;
        }
        if found != n {
            let missing = seen.iter().position(|&s| !s).expect("fewer found than variables");
            let py = labels.py();
            return Err(invalid_argument(
                "samples",
                format!(
                    "missing variable {} (the labels give {found} of the model's {n} variables)",
                    self.labels.label(py, missing).bind(py).repr()?
                ),
            ));
        }
        Ok(perm)
    }

    /// Energies of rows of `T` (row-major; with `perm`, rows of `perm.len()` columns, column `k`
    /// holding variable `perm[k]`, put into variable order).
    fn energies_of<T: SampleValue>(
        &self,
        py: Python<'_>,
        data: &[T],
        rows: usize,
        perm: Option<&[Option<u32>]>,
    ) -> PyResult<Vec<f64>> {
        let n = self.inner.num_variables();
        let reordered;
        let data = match perm {
            None => data,
            Some(perm) => {
                let width = perm.len().max(1);
                // column[i]: the column holding variable i (each variable has one).
                let mut column = vec![0usize; n];
                for (k, i) in perm.iter().enumerate() {
                    if let Some(i) = i {
                        column[*i as usize] = k;
                    }
                }
                let mut v = Vec::with_capacity(rows * n);
                for src in data.chunks_exact(width).take(rows) {
                    v.extend(column.iter().map(|&k| src[k]));
                }
                reordered = v;
                &reordered[..]
            }
        };
        let inner = &self.inner;
        let result = if data.len() >= DETACH_VALUES {
            py.detach(|| inner.energies_rows(data, rows))
        } else {
            inner.energies_rows(data, rows)
        };
        result.map_err(|e| self.labelled_error(py, e))
    }

    /// `e` as a Python error, with a variable index the core reports replaced by the variable's
    /// label (users know their labels, not our internal indices).
    pub(crate) fn labelled_error(&self, py: Python<'_>, e: neuroquant::Error) -> PyErr {
        use neuroquant::qubo::QuboError;
        if let neuroquant::Error::Qubo(QuboError::InvalidSampleValue {
            argument,
            sample,
            variable,
            value,
            vartype,
        }) = &e
            && *variable < self.labels.len()
        {
            let label = self.labels.label(py, *variable);
            let label = match label.bind(py).repr() {
                Ok(r) => r.to_string(),
                Err(err) => return err,
            };
            return crate::errors::invalid_argument(
                argument,
                format!(
                    "sample {sample}, variable {label} has value {value}, must be one of \
                     {vartype:?}'s values {:?}",
                    vartype.values()
                ),
            );
        }
        to_pyerr(e)
    }

    pub(crate) fn energies_vec(&self, py: Python<'_>, samples: &Bound<'_, PyAny>) -> PyResult<Vec<f64>> {
        let n = self.inner.num_variables();
        // A dimod.SampleSet (or anything with `record.sample` and `variables`): its rows with
        // their labels.
        if samples.hasattr("record")? && samples.hasattr("variables")? {
            let pair = PyTuple::new(
                py,
                [
                    samples.getattr("record")?.getattr("sample")?,
                    pyo3::types::PyList::new(
                        py,
                        samples
                            .getattr("variables")?
                            .try_iter()?
                            .collect::<PyResult<Vec<_>>>()?,
                    )?
                    .into_any(),
                ],
            )?;
            return self.energies_vec(py, pair.as_any());
        }
        if let Ok(d) = samples.cast::<PyDict>() {
            let mut row = Vec::with_capacity(n);
            self.dict_row(d, &mut row)?;
            return self.energies_of(py, &row, 1, None);
        }
        let is_dict_list = (samples.is_instance_of::<PyList>() || samples.is_instance_of::<PyTuple>())
            && samples.len()? > 0
            && samples.get_item(0)?.is_instance_of::<PyDict>();
        if is_dict_list {
            let mut rows = Vec::new();
            for d in samples.try_iter()? {
                self.dict_row(d?.cast::<PyDict>()?, &mut rows)?;
            }
            return self.energies_of(py, &rows, samples.len()?, None);
        }
        let (array, perm) = match samples.cast::<PyTuple>() {
            Ok(t) if t.len() == 2 && !t.get_item(1)?.is_instance_of::<pyo3::types::PyInt>() => {
                (t.get_item(0)?, Some(self.permutation(&t.get_item(1)?)?))
            }
            // dimod's rule for a bare array: its columns are labelled 0..n-1 and matched to the
            // variables by label, not by position (the same thing while the labels are 0..n-1
            // in order). Where dimod refuses a bare array (labels other than 0..n-1), the
            // columns are read in variable order instead.
            _ if !self.labels.is_range() => {
                let labels = pyo3::types::PyRange::new(py, 0, n as isize)?;
                (samples.clone(), self.permutation(labels.as_any()).ok())
            }
            _ => (samples.clone(), None),
        };
        let arr = IntArray::samples("samples", &array)?;
        let shape = arr.shape();
        // With labels, one column per label (extra ones ignored); else one per variable.
        let width = perm.as_ref().map_or(n, |p| p.len());
        let rows = match shape.as_slice() {
            [cols] => {
                if *cols != width {
                    return Err(dimension("samples", width, *cols));
                }
                1
            }
            [rows, cols] => {
                if *cols != width {
                    return Err(dimension("samples", width, *cols));
                }
                *rows
            }
            _ => {
                return Err(invalid_argument(
                    "samples",
                    format!("must be one- or two-dimensional, got shape {shape:?}"),
                ));
            }
        };
        with_int_data!(&arr, |data| self.energies_of(py, &data, rows, perm.as_deref()))
    }
}

#[pymethods]
impl PyBqm {
    /// Energy of one sample: an array-like in variable order, or `{label: value}`.
    fn energy(&self, py: Python<'_>, sample: &Bound<'_, PyAny>) -> PyResult<f64> {
        let e = self.energies_vec(py, sample)?;
        match e.as_slice() {
            [x] => Ok(*x),
            _ => Err(invalid_argument(
                "sample",
                format!("must be one sample, got {}", e.len()),
            )),
        }
    }

    /// Energies of samples (dimod's samples-like forms), as a float64 array, or `dtype` (cast
    /// after computing in float64, as dimod's keyword). Large batches release the GIL and use
    /// all cores.
    #[pyo3(signature = (samples, dtype = None))]
    fn energies<'py>(
        &self,
        py: Python<'py>,
        samples: &Bound<'py, PyAny>,
        dtype: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let energies = self.energies_vec(py, samples)?.into_pyarray(py).into_any();
        match dtype.filter(|d| !d.is_none()) {
            None => Ok(energies),
            Some(d) => energies.call_method1("astype", (d,)),
        }
    }
}
