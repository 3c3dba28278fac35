//! Bulk insertion of pairs (COO triplets) into a model, without a dense copy.
//!
//! The triplets are bucketed per variable (both directions) into exactly-sized vectors; a bucket
//! that is not already sorted and duplicate-free is sorted by neighbour with a stable sort (so
//! repeated pairs are summed in input order and both directions get bit-identical sums), then
//! merged with the existing neighbourhood. New neighbourhoods are computed aside and swapped in
//! only when everything succeeded.

use super::Vartype;
use super::bqm::{Bqm, Neighborhood, overflow};
use crate::Result;
use crate::error::{Error, check};
use rayon::prelude::*;

/// Work above which buckets are merged in parallel.
const PARALLEL_ENTRIES: usize = 1 << 15;

impl Bqm {
    /// Adds `biases[k]` to every pair `(rows[k], cols[k])`, all or nothing. Pairs may repeat, in
    /// either order; self-loops are folded as in [`add_quadratic`](Self::add_quadratic).
    ///
    /// ```
    /// use neuroquant::qubo::{Bqm, Vartype};
    /// let mut bqm = Bqm::with_variables(Vartype::Binary, 3)?;
    /// bqm.add_quadratic_from(&[0, 2, 1, 1], &[1, 1, 0, 1], &[1.0, 2.0, 0.5, 4.0])?;
    /// assert_eq!(bqm.quadratic(0, 1)?, Some(1.5));
    /// assert_eq!(bqm.linear()[1], 4.0); // x₁x₁ = x₁ for BINARY
    /// # Ok::<(), neuroquant::Error>(())
    /// ```
    pub fn add_quadratic_from(&mut self, rows: &[u32], cols: &[u32], biases: &[f64]) -> Result<()> {
        check::len("cols", rows.len(), cols.len())?;
        check::len("biases", rows.len(), biases.len())?;
        let n = self.linear.len();
        for (&r, &c) in rows.iter().zip(cols) {
            check::index("rows", r.into(), n)?;
            check::index("cols", c.into(), n)?;
        }
        check::all_finite("biases", biases)?;

        // Self-loops: fold into linear (BINARY) or offset (SPIN), summed in input order.
        let mut linear = None::<Vec<f64>>;
        let mut offset = self.offset;
        let mut off_diagonal = 0usize;
        let mut counts = vec![0usize; n + 1]; // counts[v + 1] = additions to v
        for ((&r, &c), &b) in rows.iter().zip(cols).zip(biases) {
            if r == c {
                match self.vartype {
                    Vartype::Binary => {
                        let lin = linear.get_or_insert_with(|| self.linear.clone());
                        lin[r as usize] += b;
                        if !lin[r as usize].is_finite() {
                            return Err(overflow("adding a linear bias", format!("variable {r}")));
                        }
                    }
                    Vartype::Spin => {
                        offset += b;
                        if !offset.is_finite() {
                            return Err(overflow("adding to the offset", "the offset".into()));
                        }
                    }
                }
            } else {
                counts[r as usize + 1] += 1;
                counts[c as usize + 1] += 1;
                off_diagonal += 1;
            }
        }

        // Bucket per variable, written straight into exactly-sized vectors (input order kept).
        let oom = || Error::OutOfMemory {
            what: "pair buckets",
            bytes: off_diagonal.saturating_mul(24),
        };
        let mut buckets: Vec<Neighborhood> = Vec::new();
        buckets.try_reserve_exact(n).map_err(|_| oom())?;
        for &c in &counts[1..] {
            let mut nb = Neighborhood::default();
            nb.nbrs.try_reserve_exact(c).map_err(|_| oom())?;
            nb.biases.try_reserve_exact(c).map_err(|_| oom())?;
            buckets.push(nb);
        }
        for ((&r, &c), &b) in rows.iter().zip(cols).zip(biases) {
            if r != c {
                buckets[r as usize].nbrs.push(c);
                buckets[r as usize].biases.push(b);
                buckets[c as usize].nbrs.push(r);
                buckets[c as usize].biases.push(b);
            }
        }

        let merge_one = |(v, bucket): (usize, Neighborhood)| -> Result<Option<Neighborhood>> {
            if bucket.nbrs.is_empty() {
                return Ok(None);
            }
            merge_bucket(&self.adj[v], v as u32, bucket).map(Some)
        };
        let merged: Vec<Option<Neighborhood>> = if 2 * off_diagonal >= PARALLEL_ENTRIES {
            buckets
                .into_par_iter()
                .enumerate()
                .map(merge_one)
                .collect::<Result<_>>()?
        } else {
            buckets
                .into_iter()
                .enumerate()
                .map(merge_one)
                .collect::<Result<_>>()?
        };

        // Everything succeeded: swap in.
        for (v, nb) in merged.into_iter().enumerate() {
            if let Some(nb) = nb {
                let before = upper_count(&self.adj[v], v as u32);
                let after = upper_count(&nb, v as u32);
                self.num_interactions = self.num_interactions + after - before;
                self.adj[v] = nb;
            }
        }
        if let Some(lin) = linear {
            self.linear = lin;
        }
        self.offset = offset;
        Ok(())
    }
}

impl Bqm {
    /// A model from a dense row-major `n × n` matrix, dimod's convention (`E(x) = xᵀ M x`):
    /// `M[u][v] + M[v][u]` is the bias of pair `(u, v)`, stored when either entry is non-zero;
    /// the diagonal holds the linear biases of a BINARY model (`x² = x`) and goes to the offset
    /// of a SPIN one (`s² = 1`), summed in index order.
    ///
    /// ```
    /// use neuroquant::qubo::{Bqm, Vartype};
    /// let m = [1.0, 0.0, 2.0, 0.0, 0.0, 0.0, 3.0, 0.0, 4.0];
    /// let bqm = Bqm::from_dense(Vartype::Binary, 3, &m)?;
    /// assert_eq!(bqm.linear(), &[1.0, 0.0, 4.0]);
    /// assert_eq!(bqm.quadratic(0, 2)?, Some(5.0));
    /// assert_eq!(bqm.num_interactions(), 1);
    /// let spin = Bqm::from_dense(Vartype::Spin, 3, &m)?;
    /// assert_eq!((spin.linear(), spin.offset()), (&[0.0, 0.0, 0.0][..], 5.0));
    /// # Ok::<(), neuroquant::Error>(())
    /// ```
    pub fn from_dense(vartype: Vartype, n: usize, matrix: &[f64]) -> Result<Self> {
        match n.checked_mul(n) {
            Some(len) => check::len("matrix", len, matrix.len())?,
            // n² overflows: compare n with the side of the matrix given (no saturated length).
            None => check::len("n", matrix.len().isqrt(), n)?,
        }
        check::all_finite("matrix", matrix)?;
        let mut bqm = Bqm::with_variables(vartype, n)?;
        let mut degree = vec![0usize; n];
        for u in 0..n {
            for v in u + 1..n {
                if matrix[u * n + v] != 0.0 || matrix[v * n + u] != 0.0 {
                    degree[u] += 1;
                    degree[v] += 1;
                }
            }
        }
        for (nb, &d) in bqm.adj.iter_mut().zip(&degree) {
            nb.nbrs.reserve_exact(d);
            nb.biases.reserve_exact(d);
        }
        let mut offset = 0.0;
        for u in 0..n {
            match vartype {
                Vartype::Binary => bqm.linear[u] = matrix[u * n + u],
                Vartype::Spin => offset += matrix[u * n + u],
            }
            for v in u + 1..n {
                let (a, b) = (matrix[u * n + v], matrix[v * n + u]);
                if a != 0.0 || b != 0.0 {
                    let sum = a + b;
                    if !sum.is_finite() {
                        return Err(overflow("summing a pair", format!("pair ({u}, {v})")));
                    }
                    bqm.adj[u].nbrs.push(v as u32);
                    bqm.adj[u].biases.push(sum);
                    bqm.adj[v].nbrs.push(u as u32);
                    bqm.adj[v].biases.push(sum);
                    bqm.num_interactions += 1;
                }
            }
        }
        if !offset.is_finite() {
            return Err(overflow("summing the diagonal", "the offset".to_string()));
        }
        bqm.offset = offset;
        Ok(bqm)
    }
}

fn upper_count(nb: &Neighborhood, v: u32) -> usize {
    nb.nbrs.len() - nb.upper_start(v)
}

/// Merges one variable's bucket of additions (in input order) into its sorted neighbourhood.
fn merge_bucket(old: &Neighborhood, v: u32, bucket: Neighborhood) -> Result<Neighborhood> {
    // Common case (building from sorted, duplicate-free triplets): the bucket is the result.
    if old.nbrs.is_empty() && bucket.nbrs.windows(2).all(|w| w[0] < w[1]) {
        let mut bucket = bucket;
        // Same arithmetic as the summing path (0.0 + b), so a -0.0 bias is stored as 0.0 either way.
        for b in &mut bucket.biases {
            *b += 0.0;
        }
        return Ok(bucket);
    }
    let mut pairs: Vec<(u32, f64)> = bucket.nbrs.into_iter().zip(bucket.biases).collect();
    pairs.sort_by_key(|p| p.0); // stable: duplicates stay in input order
    let cap = old.nbrs.len() + pairs.len();
    let mut out = Neighborhood {
        nbrs: Vec::with_capacity(cap),
        biases: Vec::with_capacity(cap),
    };
    let mut k = 0; // position in old
    let mut i = 0; // position in pairs
    while i < pairs.len() {
        let z = pairs[i].0;
        while k < old.nbrs.len() && old.nbrs[k] < z {
            out.nbrs.push(old.nbrs[k]);
            out.biases.push(old.biases[k]);
            k += 1;
        }
        let mut sum = if k < old.nbrs.len() && old.nbrs[k] == z {
            k += 1;
            old.biases[k - 1]
        } else {
            0.0
        };
        while i < pairs.len() && pairs[i].0 == z {
            sum += pairs[i].1;
            i += 1;
        }
        if !sum.is_finite() {
            let (a, b) = if v < z { (v, z) } else { (z, v) };
            return Err(overflow("adding a quadratic bias", format!("pair ({a}, {b})")));
        }
        out.nbrs.push(z);
        out.biases.push(sum);
    }
    out.nbrs.extend_from_slice(&old.nbrs[k..]);
    out.biases.extend_from_slice(&old.biases[k..]);
    out.nbrs.shrink_to_fit();
    out.biases.shrink_to_fit();
    Ok(out)
}
