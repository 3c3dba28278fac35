//! Seeded weight initialisers: sparse random matrices with a given density, values from
//! ReservoirPy's `mat_gen` distributions (`normal`, `uniform`, `bernoulli`).

use super::csr::{Csr, MAX_NONZEROS};
use crate::Result;
use crate::error::check;
use crate::params::named_enum;
use crate::rng::Rng;
use rand::RngExt as _;
use rand_distr::StandardNormal;

named_enum! {
    /// The distribution of the non-zero weights of a generated matrix (ReservoirPy's `mat_gen`
    /// initialisers with their default arguments).
    pub enum Distribution("distribution") {
        /// Normal with mean 0 and standard deviation 1 (`mat_gen.normal`).
        Normal = "normal",
        /// Uniform on [-1, 1) (`mat_gen.uniform`).
        Uniform = "uniform",
        /// -1 or +1 with probability 1/2 each (`mat_gen.bernoulli`).
        Bernoulli = "bernoulli",
    }
}

impl Distribution {
    pub(crate) fn draw(self, rng: &mut Rng) -> f64 {
        match self {
            Distribution::Normal => rng.sample(StandardNormal),
            Distribution::Uniform => rng.random_range(-1.0..1.0),
            Distribution::Bernoulli => {
                if rng.random::<bool>() {
                    1.0
                } else {
                    -1.0
                }
            }
        }
    }
}

/// A `rows × cols` matrix with `round(connectivity · rows · cols)` non-zero entries at uniformly
/// random distinct positions (as `scipy.sparse.random_array`), values from `dist`; positions are
/// drawn first (Floyd's algorithm), then values in row-major position order, all from `rng`.
pub(crate) fn random_sparse(
    argument: &'static str,
    rows: usize,
    cols: usize,
    connectivity: f64,
    dist: Distribution,
    rng: &mut Rng,
) -> Result<Csr> {
    let total = rows as u128 * cols as u128;
    let nnz = (connectivity * total as f64).round() as u128;
    check::at_most(argument, nnz.min(u64::MAX as u128) as u64, MAX_NONZEROS as u64)?;
    let nnz = nnz as u64;
    let total = total as u64;
    let mut positions: Vec<u64> = crate::alloc::with_capacity(argument, nnz as usize)?;
    if nnz == total {
        positions.extend(0..total);
    } else {
        // Floyd (Bentley & Floyd 1987): nnz distinct values of 0..total in O(nnz).
        let mut chosen = std::collections::HashSet::with_capacity(nnz as usize);
        for j in (total - nnz)..total {
            let t = rng.random_range(0..=j);
            let pick = if chosen.contains(&t) { j } else { t };
            chosen.insert(pick);
            positions.push(pick);
        }
        positions.sort_unstable();
    }
    let mut indptr = crate::alloc::filled("indptr", 0usize, rows + 1)?;
    let mut indices = crate::alloc::with_capacity("indices", nnz as usize)?;
    let mut data = crate::alloc::with_capacity(argument, nnz as usize)?;
    for &p in &positions {
        let (i, j) = ((p / cols as u64) as usize, (p % cols as u64) as u32);
        indptr[i + 1] += 1;
        indices.push(j);
        data.push(dist.draw(rng));
    }
    for i in 0..rows {
        indptr[i + 1] += indptr[i];
    }
    Csr::new(rows, cols, indptr, indices, data)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::stream;

    #[test]
    fn density_and_values_follow_the_request() {
        let m = random_sparse("w", 100, 50, 0.1, Distribution::Bernoulli, &mut stream(1, 0)).unwrap();
        assert_eq!(m.nnz(), 500);
        assert!(m.data().iter().all(|&v| v == 1.0 || v == -1.0));
        let dense = m.to_dense();
        assert_eq!(
            dense.iter().filter(|v| **v != 0.0).count(),
            500,
            "positions are distinct"
        );
        let full = random_sparse("w", 7, 3, 1.0, Distribution::Uniform, &mut stream(1, 0)).unwrap();
        assert_eq!(full.nnz(), 21);
        assert!(full.data().iter().all(|v| (-1.0..1.0).contains(v)));
        let n = random_sparse("w", 300, 300, 0.5, Distribution::Normal, &mut stream(2, 0)).unwrap();
        let mean = n.data().iter().sum::<f64>() / n.nnz() as f64;
        let var = n.data().iter().map(|v| (v - mean).powi(2)).sum::<f64>() / n.nnz() as f64;
        assert!(mean.abs() < 0.02 && (var - 1.0).abs() < 0.03, "{mean} {var}");
    }
}
