//! Structural measures of a model: degrees, memory, the largest single-flip energy change.

use super::{Bqm, Vartype};

impl Bqm {
    /// Number of interactions of each variable.
    pub fn degrees(&self) -> Vec<usize> {
        self.adj.iter().map(|nb| nb.nbrs.len()).collect()
    }

    /// A conservative bound on the energy change from flipping one variable (dimod's
    /// `maximum_energy_delta`): `max_v (|a_v| + Σ_u |b_uv|)`, doubled for SPIN; 0 without variables.
    pub fn maximum_energy_delta(&self) -> f64 {
        let scale = match self.vartype {
            Vartype::Spin => 2.0,
            Vartype::Binary => 1.0,
        };
        self.adj
            .iter()
            .zip(&self.linear)
            .map(|(nb, a)| a.abs() + nb.biases.iter().map(|b| b.abs()).sum::<f64>())
            .fold(0.0, f64::max)
            * scale
    }

    /// Heap bytes held by the model (allocated capacity): 12 per stored coupler direction,
    /// 8 per linear bias, plus one neighbourhood header per variable.
    pub fn nbytes(&self) -> usize {
        let header = std::mem::size_of::<super::bqm::Neighborhood>();
        self.linear.capacity() * 8
            + self.adj.capacity() * header
            + self
                .adj
                .iter()
                .map(|nb| nb.nbrs.capacity() * 4 + nb.biases.capacity() * 8)
                .sum::<usize>()
    }
}
