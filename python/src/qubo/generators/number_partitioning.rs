//! `number_partitioning(numbers)`: one SPIN variable per number, labelled by its index.

use super::args::{array, builder, floats_1d, indices, sample_arg};
use crate::errors::OrRaise;
use crate::qubo::PyBqm;
use crate::qubo::record::{obj, record};
use neuroquant::qubo::generators::{self, NumberPartitioning};
use pyo3::prelude::*;

record! {
    /// A decoded partition.
    PyPartition as "Partition" {
        /// Indices with spin +1, ascending (int64 array).
        plus,
        /// Indices with spin -1, ascending (int64 array).
        minus,
        /// Sum of the numbers in `plus` (float).
        sum_plus,
        /// Sum of the numbers in `minus` (float).
        sum_minus,
        /// `sum_plus - sum_minus`; the energy is its square (float).
        difference,
    }
}

/// A number-partitioning instance and its Ising model `(Σ a_i s_i)²`.
#[pyclass(name = "NumberPartitioning", module = "neuroquant.qubo", frozen)]
pub struct PyNumberPartitioning {
    inner: NumberPartitioning,
    bqm: Py<PyBqm>,
}

/// Builds the model splitting `numbers` (finite, at least one) into two sets of equal sums.
#[pyfunction]
fn number_partitioning(py: Python<'_>, numbers: &Bound<'_, PyAny>) -> PyResult<PyNumberPartitioning> {
    let numbers = floats_1d("numbers", numbers)?;
    let inner = py
        .detach(|| generators::number_partitioning(&numbers))
        .or_raise()?;
    let bqm = Py::new(py, PyBqm::indexed(inner.bqm().clone()))?;
    Ok(PyNumberPartitioning { inner, bqm })
}

#[pymethods]
impl PyNumberPartitioning {
    /// The model (SPIN, variable `i` is number `i`).
    #[getter]
    fn bqm(&self, py: Python<'_>) -> Py<PyBqm> {
        self.bqm.clone_ref(py)
    }

    /// The numbers as given (float64 array).
    #[getter]
    fn numbers(&self, py: Python<'_>) -> Py<PyAny> {
        array(py, self.inner.numbers().to_vec())
    }

    /// The partition of one sample of the model.
    fn decode(&self, py: Python<'_>, sample: &Bound<'_, PyAny>) -> PyResult<PyPartition> {
        let values = sample_arg(&*self.bqm.bind(py).try_borrow()?, sample)?;
        let p = self.inner.decode(&values).or_raise()?;
        Ok(PyPartition {
            plus: indices(py, p.plus),
            minus: indices(py, p.minus),
            sum_plus: obj(py, p.sum_plus)?,
            sum_minus: obj(py, p.sum_minus)?,
            difference: obj(py, p.difference)?,
        })
    }

    fn __reduce__<'py>(&self, py: Python<'py>) -> PyResult<(Bound<'py, PyAny>, (Py<PyAny>,))> {
        Ok((builder(py, "number_partitioning")?, (self.numbers(py),)))
    }

    fn __repr__(&self) -> String {
        format!("NumberPartitioning(num_numbers={})", self.inner.numbers().len())
    }
}

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyNumberPartitioning>()?;
    m.add_class::<PyPartition>()?;
    m.add_function(wrap_pyfunction!(number_partitioning, m)?)
}
