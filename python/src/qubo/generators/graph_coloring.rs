//! `graph_coloring(num_nodes, edges, num_colors)`: variable `v·K + c` is node `v` having colour
//! `c`, labelled `(v, c)`.

use super::args::{array, builder, count_arg, edges_arg, index_arg, indices, labelled, pair, sample_arg};
use crate::errors::{OrRaise, invalid_argument};
use crate::qubo::PyBqm;
use crate::qubo::record::{obj, record};
use neuroquant::qubo::generators::{self, GraphColoring};
use numpy::PyArrayMethods;
use pyo3::prelude::*;
use pyo3::types::PyTuple;

record! {
    /// A decoded colouring.
    PyColoring as "Coloring" {
        /// The colour of each node, -1 unless exactly one is set (int64 array).
        colors,
        /// Nodes with no colour or several (int64 array).
        invalid_nodes,
        /// `(u, v, colour)` of each edge whose endpoints share a colour (int64 array, shape (k, 3)).
        conflicts,
        /// Every node has one colour and no edge conflicts (bool).
        valid,
        /// Number of distinct colours used (int).
        colors_used,
    }
}

/// A graph-colouring instance and its model (one-hot colour per node, conflicts penalised).
#[pyclass(name = "GraphColoring", module = "neuroquant.qubo", frozen)]
pub struct PyGraphColoring {
    inner: GraphColoring,
    bqm: Py<PyBqm>,
    num_nodes: usize,
    num_colors: usize,
    /// `(num_nodes, (rows, cols), num_colors, one_hot_strength, conflict_strength)` as given.
    args: Py<PyTuple>,
}

/// Builds the colouring model; edges as for `max_cut` without weights.
#[pyfunction]
#[pyo3(signature = (num_nodes, edges, num_colors, one_hot_strength = None, conflict_strength = None))]
fn graph_coloring(
    py: Python<'_>,
    num_nodes: i64,
    edges: &Bound<'_, PyAny>,
    num_colors: i64,
    one_hot_strength: Option<f64>,
    conflict_strength: Option<f64>,
) -> PyResult<PyGraphColoring> {
    let n = count_arg("num_nodes", num_nodes)?;
    let k = count_arg("num_colors", num_colors)?;
    let e = edges_arg(edges, n)?;
    if e.weights.is_some() {
        return Err(invalid_argument(
            "edges",
            "colouring edges are unweighted: pass (rows, cols) or (u, v) pairs".into(),
        ));
    }
    let pairs: Vec<(u32, u32)> = e.rows.iter().copied().zip(e.cols.iter().copied()).collect();
    let inner = py
        .detach(|| generators::graph_coloring(n, &pairs, k, one_hot_strength, conflict_strength))
        .or_raise()?;
    let mut labels = Vec::with_capacity(n * k);
    for v in 0..n as u32 {
        for c in 0..k as u32 {
            labels.push(pair(py, v, c)?);
        }
    }
    let bqm = labelled(py, inner.bqm().clone(), labels)?;
    let rows = array(py, e.rows.iter().map(|&v| v as i64).collect::<Vec<_>>());
    let cols = array(py, e.cols.iter().map(|&v| v as i64).collect::<Vec<_>>());
    let args = (n, (rows, cols), k, one_hot_strength, conflict_strength)
        .into_pyobject(py)?
        .unbind();
    Ok(PyGraphColoring {
        inner,
        bqm,
        num_nodes: n,
        num_colors: k,
        args,
    })
}

#[pymethods]
impl PyGraphColoring {
    /// The model (BINARY, variable `v * num_colors + c` labelled `(v, c)`).
    #[getter]
    fn bqm(&self, py: Python<'_>) -> Py<PyBqm> {
        self.bqm.clone_ref(py)
    }

    #[getter]
    /// Number of graph nodes.
    fn num_nodes(&self) -> usize {
        self.num_nodes
    }

    #[getter]
    /// Number of colours available.
    fn num_colors(&self) -> usize {
        self.num_colors
    }

    /// The edges as `(rows, cols)` arrays.
    #[getter]
    fn edges(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        Ok(self.args.bind(py).get_item(1)?.unbind())
    }

    /// The one-hot strength used.
    #[getter]
    fn one_hot_strength(&self) -> f64 {
        self.inner.one_hot_strength()
    }

    /// Any one-hot strength above this makes every minimiser one-hot.
    #[getter]
    fn one_hot_bound(&self) -> f64 {
        self.inner.one_hot_bound()
    }

    /// The conflict strength used.
    #[getter]
    fn conflict_strength(&self) -> f64 {
        self.inner.conflict_strength()
    }

    /// The index (in variable order) of node `v` having colour `c`.
    fn variable(&self, v: i64, c: i64) -> PyResult<u32> {
        let v = index_arg("v", v, self.num_nodes)?;
        let c = index_arg("c", c, self.num_colors)?;
        self.inner.variable(v, c).or_raise()
    }

    /// The colouring of one sample of the model.
    fn decode(&self, py: Python<'_>, sample: &Bound<'_, PyAny>) -> PyResult<PyColoring> {
        let values = sample_arg(&*self.bqm.bind(py).try_borrow()?, sample)?;
        let c = self.inner.decode(&values).or_raise()?;
        let colors: Vec<i64> = c.colors.iter().map(|x| x.map_or(-1, i64::from)).collect();
        let flat: Vec<i64> = c
            .conflicts
            .iter()
            .flat_map(|&(u, v, k)| [u as i64, v as i64, k as i64])
            .collect();
        let conflicts = numpy::PyArray1::from_vec(py, flat).reshape([c.conflicts.len(), 3])?;
        Ok(PyColoring {
            colors: array(py, colors),
            invalid_nodes: indices(py, c.invalid_nodes),
            conflicts: conflicts.into_any().unbind(),
            valid: obj(py, c.valid)?,
            colors_used: obj(py, c.colors_used)?,
        })
    }

    fn __reduce__<'py>(&self, py: Python<'py>) -> PyResult<(Bound<'py, PyAny>, Py<PyTuple>)> {
        Ok((builder(py, "graph_coloring")?, self.args.clone_ref(py)))
    }

    fn __repr__(&self) -> String {
        format!(
            "GraphColoring(num_nodes={}, num_colors={})",
            self.num_nodes, self.num_colors
        )
    }
}

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyGraphColoring>()?;
    m.add_class::<PyColoring>()?;
    m.add_function(wrap_pyfunction!(graph_coloring, m)?)
}
