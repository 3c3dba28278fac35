//! Compressed sparse row export of a model's adjacency, the layout samplers iterate over.

use super::Bqm;

/// The symmetric adjacency of a model in CSR form: the neighbours of `v` are
/// `nbrs[offsets[v]..offsets[v + 1]]` (ascending) with the pair biases at the same positions.
/// Every pair appears twice (once per endpoint) with the same bias.
#[derive(Debug, Clone, PartialEq)]
pub struct Csr {
    /// `num_variables + 1` row starts.
    pub offsets: Vec<usize>,
    /// Neighbour indices, row by row.
    pub nbrs: Vec<u32>,
    /// Pair biases, aligned with `nbrs`.
    pub biases: Vec<f64>,
}

impl Csr {
    /// Neighbours and biases of `v`.
    ///
    /// # Panics
    /// If `v >= num_variables` (an internal invariant for sampler kernels).
    #[inline]
    pub fn row(&self, v: usize) -> (&[u32], &[f64]) {
        let (lo, hi) = (self.offsets[v], self.offsets[v + 1]);
        (&self.nbrs[lo..hi], &self.biases[lo..hi])
    }

    /// Number of rows (variables).
    pub fn num_rows(&self) -> usize {
        self.offsets.len() - 1
    }
}

impl Bqm {
    /// The adjacency in CSR form (see [`Csr`]).
    ///
    /// ```
    /// use neuroquant::qubo::{Bqm, Vartype};
    /// let mut bqm = Bqm::with_variables(Vartype::Spin, 3)?;
    /// bqm.add_quadratic_from(&[0, 1], &[2, 2], &[1.5, -1.0])?;
    /// let csr = bqm.to_csr();
    /// assert_eq!(csr.offsets, vec![0, 1, 2, 4]);
    /// assert_eq!(csr.row(2), (&[0u32, 1][..], &[1.5, -1.0][..]));
    /// # Ok::<(), neuroquant::Error>(())
    /// ```
    pub fn to_csr(&self) -> Csr {
        let total: usize = self.adj.iter().map(|nb| nb.nbrs.len()).sum();
        let mut csr = Csr {
            offsets: Vec::with_capacity(self.adj.len() + 1),
            nbrs: Vec::with_capacity(total),
            biases: Vec::with_capacity(total),
        };
        csr.offsets.push(0);
        for nb in &self.adj {
            csr.nbrs.extend_from_slice(&nb.nbrs);
            csr.biases.extend_from_slice(&nb.biases);
            csr.offsets.push(csr.nbrs.len());
        }
        csr
    }
}
