//! `tsp(distances)`: variable `c·n + p` is city `c` at position `p`, labelled `(c, p)`.

use super::args::{Reduce, builder, floats_2d, index_arg, indices, labelled, pair, sample_arg};
use crate::errors::{OrRaise, invalid_argument};
use crate::qubo::PyBqm;
use crate::qubo::record::{obj, record};
use neuroquant::qubo::generators::{self, Tsp};
use numpy::PyArrayMethods;
use pyo3::prelude::*;

record! {
    /// A decoded (city, position) assignment.
    PyTour as "Tour" {
        /// The city at each position when the sample is a permutation, else None (int64 array).
        tour,
        /// The length of that closed tour, else None (float).
        length,
        /// The sample is a permutation (bool).
        valid,
        /// How many positions each city occupies (int64 array).
        city_counts,
        /// How many cities each position holds (int64 array).
        position_counts,
        /// The distance part of the energy (float).
        objective,
        /// The one-hot part of the energy (float).
        penalty,
    }
}

/// A travelling-salesperson instance and its model.
#[pyclass(name = "Tsp", module = "neuroquant.qubo", frozen)]
pub struct PyTsp {
    inner: Tsp,
    bqm: Py<PyBqm>,
    num_cities: usize,
    distances: Py<PyAny>,
    strength_arg: Option<f64>,
}

/// Builds the TSP model of the square matrix `distances` (finite, >= 0; diagonal ignored;
/// asymmetric allowed); `strength` overrides the default one-hot strength.
#[pyfunction]
#[pyo3(signature = (distances, strength = None))]
fn tsp(py: Python<'_>, distances: &Bound<'_, PyAny>, strength: Option<f64>) -> PyResult<PyTsp> {
    let (d, [r, c]) = floats_2d("distances", distances)?;
    if r != c {
        return Err(invalid_argument(
            "distances",
            format!("must be a square matrix, got shape ({r}, {c})"),
        ));
    }
    let inner = py.detach(|| generators::tsp(r, &d, strength)).or_raise()?;
    let mut labels = Vec::with_capacity(r * r);
    for city in 0..r as u32 {
        for position in 0..r as u32 {
            labels.push(pair(py, city, position)?);
        }
    }
    let bqm = labelled(py, inner.bqm().clone(), labels)?;
    let distances = numpy::PyArray1::from_vec(py, d)
        .reshape([r, r])?
        .into_any()
        .unbind();
    Ok(PyTsp {
        inner,
        bqm,
        num_cities: r,
        distances,
        strength_arg: strength,
    })
}

#[pymethods]
impl PyTsp {
    /// The model (BINARY, variable `city * n + position` labelled `(city, position)`).
    #[getter]
    fn bqm(&self, py: Python<'_>) -> Py<PyBqm> {
        self.bqm.clone_ref(py)
    }

    #[getter]
    /// Number of cities.
    fn num_cities(&self) -> usize {
        self.num_cities
    }

    /// The distance matrix as given (float64, n × n).
    #[getter]
    fn distances(&self, py: Python<'_>) -> Py<PyAny> {
        self.distances.clone_ref(py)
    }

    /// The one-hot strength used.
    #[getter]
    fn strength(&self) -> f64 {
        self.inner.strength()
    }

    /// Any strength above this (the largest distance) makes every minimiser a permutation.
    #[getter]
    fn strength_bound(&self) -> f64 {
        self.inner.strength_bound()
    }

    /// The index (in variable order) of `city` at `position`.
    fn variable(&self, city: i64, position: i64) -> PyResult<u32> {
        let city = index_arg("city", city, self.num_cities)?;
        let position = index_arg("position", position, self.num_cities)?;
        self.inner.variable(city, position).or_raise()
    }

    /// The assignment of one sample of the model.
    fn decode(&self, py: Python<'_>, sample: &Bound<'_, PyAny>) -> PyResult<PyTour> {
        let values = sample_arg(&*self.bqm.bind(py).try_borrow()?, sample)?;
        let t = self.inner.decode(&values).or_raise()?;
        Ok(PyTour {
            tour: match t.tour {
                Some(v) => indices(py, v),
                None => py.None(),
            },
            length: obj(py, t.length)?,
            valid: obj(py, t.valid)?,
            city_counts: indices(py, t.city_counts),
            position_counts: indices(py, t.position_counts),
            objective: obj(py, t.objective)?,
            penalty: obj(py, t.penalty)?,
        })
    }

    fn __reduce__<'py>(&self, py: Python<'py>) -> PyResult<Reduce<'py>> {
        let args = (self.distances.clone_ref(py), self.strength_arg).into_pyobject(py)?;
        Ok((builder(py, "tsp")?, args))
    }

    fn __repr__(&self) -> String {
        format!(
            "Tsp(num_cities={}, strength={})",
            self.num_cities,
            self.inner.strength()
        )
    }
}

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyTsp>()?;
    m.add_class::<PyTour>()?;
    m.add_function(wrap_pyfunction!(tsp, m)?)
}
