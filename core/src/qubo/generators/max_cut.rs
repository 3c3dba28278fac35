//! Maximum cut as a QUBO.

use super::common::{binary_values, check_edge, non_empty};
use crate::Result;
use crate::error::check;
use crate::qubo::penalty::MAX_TERMS;
use crate::qubo::penalty::terms::Terms;
use crate::qubo::{Bqm, SampleValue, Vartype};

/// A weighted max-cut instance and its BINARY model: variable `i` is node `i`'s side, and the
/// energy is `Σ_(i,j) w_ij (2 x_i x_j − x_i − x_j)`, which is `−w_ij` for a cut edge and 0
/// otherwise, so `cut = −energy` and the ground state is a maximum cut.
#[derive(Debug, Clone, PartialEq)]
pub struct MaxCut {
    bqm: Bqm,
    num_nodes: usize,
    edges: Vec<(u32, u32, f64)>,
}

/// A decoded cut.
#[derive(Debug, Clone, PartialEq)]
pub struct Cut {
    /// Side (0 or 1) of each node.
    pub side: Vec<u8>,
    /// Total weight of the edges whose endpoints are on different sides.
    pub cut_value: f64,
    /// Number of such edges.
    pub cut_edges: usize,
}

/// Builds the max-cut model of a graph with `num_nodes >= 1` nodes and weighted edges `(i, j, w)`
/// (0-based, `i != j`, `w` finite; repeated edges add up). The G-set reader returns exactly these
/// edges.
///
/// ```
/// use neuroquant::qubo::generators::max_cut;
/// // A triangle: the best cut separates one node and cuts two edges.
/// let mc = max_cut(3, &[(0, 1, 1.0), (1, 2, 1.0), (0, 2, 1.0)])?;
/// let cut = mc.decode(&[1i8, 0, 0])?;
/// assert_eq!((cut.cut_value, cut.cut_edges), (2.0, 2));
/// assert_eq!(mc.bqm().energy(&[1i8, 0, 0])?, -2.0);
/// # Ok::<(), neuroquant::Error>(())
/// ```
pub fn max_cut(num_nodes: usize, edges: &[(u32, u32, f64)]) -> Result<MaxCut> {
    non_empty("num_nodes", num_nodes)?;
    check::at_most("edges", edges.len() as u64, MAX_TERMS as u64)?;
    for (k, &(u, v, w)) in edges.iter().enumerate() {
        check_edge(k, u, v, num_nodes)?;
        check::finite_at("edges", k, w)?;
    }
    let mut bqm = Bqm::with_variables(Vartype::Binary, num_nodes)?;
    let mut terms = Terms::with_capacity("edges", 2 * edges.len(), edges.len())?;
    for &(u, v, w) in edges {
        terms.pair(u, v, 2.0 * w);
        terms.linear(u, -w);
        terms.linear(v, -w);
    }
    terms.apply(&mut bqm, 0)?;
    Ok(MaxCut {
        bqm,
        num_nodes,
        edges: edges.to_vec(),
    })
}

impl MaxCut {
    /// The model (BINARY, one variable per node).
    pub fn bqm(&self) -> &Bqm {
        &self.bqm
    }

    /// The model, consuming the instance.
    pub fn into_bqm(self) -> Bqm {
        self.bqm
    }

    /// Number of nodes.
    pub fn num_nodes(&self) -> usize {
        self.num_nodes
    }

    /// The edges as given.
    pub fn edges(&self) -> &[(u32, u32, f64)] {
        &self.edges
    }

    /// The cut of a sample of the model (one BINARY value per node).
    pub fn decode<T: SampleValue>(&self, sample: &[T]) -> Result<Cut> {
        let side = binary_values(&self.bqm, sample)?;
        let (mut cut_value, mut cut_edges) = (0.0, 0);
        for &(u, v, w) in &self.edges {
            if side[u as usize] != side[v as usize] {
                cut_value += w;
                cut_edges += 1;
            }
        }
        Ok(Cut {
            side,
            cut_value,
            cut_edges,
        })
    }
}
