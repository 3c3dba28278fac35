//! `knapsack(values, weights, capacity)`: item `i` is variable `i` (label `i`), the capacity
//! slack follows with labels `("slack", k)`.

use super::super::penalty::PyPenaltyReport;
use super::args::{array, builder, floats_1d, indices, labelled, sample_arg, slack_labels};
use crate::errors::OrRaise;
use crate::qubo::PyBqm;
use crate::qubo::record::{obj, record};
use neuroquant::qubo::generators::{self, Knapsack};
use pyo3::prelude::*;
use pyo3::types::PyTuple;

record! {
    /// A decoded selection.
    PyKnapsackSolution as "KnapsackSolution" {
        /// Chosen items, ascending (int64 array).
        items,
        /// Their total value (float).
        value,
        /// Their total weight (float).
        weight,
        /// `weight <= capacity` (bool).
        feasible,
        /// The slack the sample's slack variables encode (float).
        slack,
        /// The capacity penalty of the sample (float).
        penalty,
    }
}

/// A 0/1 knapsack instance and its model `-Σ v·x + S·(Σ w·x + slack - C)²`.
#[pyclass(name = "Knapsack", module = "neuroquant.qubo", frozen)]
pub struct PyKnapsack {
    inner: Knapsack,
    bqm: Py<PyBqm>,
    report: Py<PyPenaltyReport>,
    /// `(values, weights, capacity, strength, resolution)` as given, for pickling.
    args: Py<PyTuple>,
}

/// Builds the knapsack model; `strength` (the capacity penalty) and `resolution` (the unit the
/// weights are multiples of) default to the core's proven choices.
#[pyfunction]
#[pyo3(signature = (values, weights, capacity, strength = None, resolution = None))]
fn knapsack(
    py: Python<'_>,
    values: &Bound<'_, PyAny>,
    weights: &Bound<'_, PyAny>,
    capacity: f64,
    strength: Option<f64>,
    resolution: Option<f64>,
) -> PyResult<PyKnapsack> {
    let values = floats_1d("values", values)?;
    let weights = floats_1d("weights", weights)?;
    let inner = py
        .detach(|| generators::knapsack(&values, &weights, capacity, strength, resolution))
        .or_raise()?;
    let n = values.len();
    let slack = slack_labels(py, &[], inner.slack_variables().len())?;
    let mut labels = (0..n).map(|i| obj(py, i)).collect::<PyResult<Vec<_>>>()?;
    labels.extend(slack.iter().map(|l| l.clone_ref(py)));
    let bqm = labelled(py, inner.bqm().clone(), labels)?;
    let report = Py::new(py, PyPenaltyReport::from_core(py, inner.penalty(), slack)?)?;
    let args = (
        array(py, values),
        array(py, weights),
        capacity,
        strength,
        resolution,
    )
        .into_pyobject(py)?
        .unbind();
    Ok(PyKnapsack {
        inner,
        bqm,
        report,
        args,
    })
}

#[pymethods]
impl PyKnapsack {
    /// The model (BINARY: items `0..n`, then slack `("slack", k)`).
    #[getter]
    fn bqm(&self, py: Python<'_>) -> Py<PyBqm> {
        self.bqm.clone_ref(py)
    }

    /// The values as given (float64 array).
    #[getter]
    fn values(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        Ok(self.args.bind(py).get_item(0)?.unbind())
    }

    /// The weights as given (float64 array).
    #[getter]
    fn weights(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        Ok(self.args.bind(py).get_item(1)?.unbind())
    }

    #[getter]
    /// The knapsack's weight capacity.
    fn capacity(&self, py: Python<'_>) -> PyResult<f64> {
        self.args.bind(py).get_item(2)?.extract()
    }

    /// The capacity penalty strength used.
    #[getter]
    fn strength(&self) -> f64 {
        self.inner.strength()
    }

    /// The strength above which every minimiser is feasible.
    #[getter]
    fn strength_bound(&self) -> f64 {
        self.inner.strength_bound()
    }

    /// The unit the weights are multiples of.
    #[getter]
    fn resolution(&self) -> f64 {
        self.inner.resolution()
    }

    /// Labels of the slack variables.
    #[getter]
    fn slack_variables(&self, py: Python<'_>) -> Py<PyAny> {
        self.report.get().slack_variables.clone_ref(py)
    }

    /// The report of the capacity penalty.
    #[getter]
    fn penalty(&self, py: Python<'_>) -> Py<PyPenaltyReport> {
        self.report.clone_ref(py)
    }

    /// The selection of one sample of the model (items then slack).
    fn decode(&self, py: Python<'_>, sample: &Bound<'_, PyAny>) -> PyResult<PyKnapsackSolution> {
        let values = sample_arg(&*self.bqm.bind(py).try_borrow()?, sample)?;
        let s = self.inner.decode(&values).or_raise()?;
        Ok(PyKnapsackSolution {
            items: indices(py, s.items),
            value: obj(py, s.value)?,
            weight: obj(py, s.weight)?,
            feasible: obj(py, s.feasible)?,
            slack: obj(py, s.slack)?,
            penalty: obj(py, s.penalty)?,
        })
    }

    fn __reduce__<'py>(&self, py: Python<'py>) -> PyResult<(Bound<'py, PyAny>, Py<PyTuple>)> {
        Ok((builder(py, "knapsack")?, self.args.clone_ref(py)))
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        Ok(format!(
            "Knapsack(num_items={}, capacity={}, strength={})",
            self.args.bind(py).get_item(0)?.len()?,
            self.args.bind(py).get_item(2)?.repr()?,
            self.inner.strength()
        ))
    }
}

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyKnapsack>()?;
    m.add_class::<PyKnapsackSolution>()?;
    m.add_function(wrap_pyfunction!(knapsack, m)?)
}
