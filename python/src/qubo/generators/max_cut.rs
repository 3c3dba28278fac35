//! `max_cut(num_nodes, edges)`: one BINARY variable per node, labelled by the node index.

use super::args::{Reduce, array, builder, count_arg, edges_arg, sample_arg};
use crate::errors::{OrRaise, invalid_argument};
use crate::qubo::PyBqm;
use crate::qubo::record::{obj, record};
use neuroquant::qubo::generators::{self, MaxCut};
use pyo3::prelude::*;
use pyo3::types::PyTuple;

record! {
    /// A decoded cut.
    PyCut as "Cut" {
        /// Side (0 or 1) of each node (uint8 array).
        side,
        /// Total weight of the cut edges (float).
        cut_value,
        /// Number of cut edges (int).
        cut_edges,
    }
}

/// A weighted max-cut instance and its model (`cut = -energy`).
#[pyclass(name = "MaxCut", module = "neuroquant.qubo", frozen)]
pub struct PyMaxCut {
    inner: MaxCut,
    bqm: Py<PyBqm>,
}

/// Builds the max-cut model of a graph: `max_cut(num_nodes, edges)` or
/// `max_cut(read_edge_list(path))`.
#[pyfunction]
#[pyo3(signature = (num_nodes, edges = None))]
fn max_cut(
    py: Python<'_>,
    num_nodes: &Bound<'_, PyAny>,
    edges: Option<&Bound<'_, PyAny>>,
) -> PyResult<PyMaxCut> {
    let (n, edges) = match edges {
        Some(e) => (num_nodes.extract::<i64>()?, e.clone()),
        None => num_nodes.extract::<(i64, Bound<'_, PyAny>)>().map_err(|_| {
            invalid_argument(
                "edges",
                "is required, unless num_nodes is the (num_nodes, edges) pair read_edge_list returns".into(),
            )
        })?,
    };
    let n = count_arg("num_nodes", n)?;
    let e = edges_arg(&edges, n)?;
    let triples: Vec<(u32, u32, f64)> = (0..e.rows.len())
        .map(|k| (e.rows[k], e.cols[k], e.weights.as_ref().map_or(1.0, |w| w[k])))
        .collect();
    let inner = py.detach(|| generators::max_cut(n, &triples)).or_raise()?;
    let bqm = Py::new(py, PyBqm::indexed(inner.bqm().clone()))?;
    Ok(PyMaxCut { inner, bqm })
}

impl PyMaxCut {
    fn edges_tuple<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        let edges = self.inner.edges();
        PyTuple::new(
            py,
            [
                array(py, edges.iter().map(|e| e.0 as i64).collect::<Vec<_>>()),
                array(py, edges.iter().map(|e| e.1 as i64).collect::<Vec<_>>()),
                array(py, edges.iter().map(|e| e.2).collect::<Vec<_>>()),
            ],
        )
    }
}

#[pymethods]
impl PyMaxCut {
    /// The model (BINARY, variable `i` is node `i`).
    #[getter]
    fn bqm(&self, py: Python<'_>) -> Py<PyBqm> {
        self.bqm.clone_ref(py)
    }

    #[getter]
    /// Number of graph nodes.
    fn num_nodes(&self) -> usize {
        self.inner.num_nodes()
    }

    /// The edges as `(rows, cols, weights)` arrays.
    #[getter]
    fn edges<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        self.edges_tuple(py)
    }

    /// The cut of one sample of the model.
    fn decode(&self, py: Python<'_>, sample: &Bound<'_, PyAny>) -> PyResult<PyCut> {
        let values = sample_arg(&*self.bqm.bind(py).try_borrow()?, sample)?;
        let cut = self.inner.decode(&values).or_raise()?;
        Ok(PyCut {
            side: array(py, cut.side),
            cut_value: obj(py, cut.cut_value)?,
            cut_edges: obj(py, cut.cut_edges)?,
        })
    }

    fn __reduce__<'py>(&self, py: Python<'py>) -> PyResult<Reduce<'py>> {
        let args = (self.inner.num_nodes(), self.edges_tuple(py)?).into_pyobject(py)?;
        Ok((builder(py, "max_cut")?, args))
    }

    fn __repr__(&self) -> String {
        format!(
            "MaxCut(num_nodes={}, num_edges={})",
            self.inner.num_nodes(),
            self.inner.edges().len()
        )
    }
}

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyMaxCut>()?;
    m.add_class::<PyCut>()?;
    m.add_function(wrap_pyfunction!(max_cut, m)?)
}
