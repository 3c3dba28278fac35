//! Bulk insertion of pairs (COO triplets) into a model, without a dense copy.
//!
//! The triplets are bucketed per variable (both directions) by a counting sort, each bucket is
//! sorted by neighbour with a stable sort (so repeated pairs are summed in input order and both
//! directions get bit-identical sums), then merged with the existing neighbourhood. New
//! neighbourhoods are computed aside and swapped in only when everything succeeded.

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
        let mut counts = vec![0usize; n + 1];
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

        // Counting sort into per-variable buckets of (neighbour, bias), input order kept.
        for i in 0..n {
            counts[i + 1] += counts[i];
        }
        let total = 2 * off_diagonal;
        let mut nbr = Vec::new();
        let mut val = Vec::new();
        let oom = || Error::OutOfMemory {
            what: "pair buckets",
            bytes: total.saturating_mul(12),
        };
        nbr.try_reserve_exact(total).map_err(|_| oom())?;
        val.try_reserve_exact(total).map_err(|_| oom())?;
        nbr.resize(total, 0u32);
        val.resize(total, 0f64);
        let mut fill = counts.clone();
        for ((&r, &c), &b) in rows.iter().zip(cols).zip(biases) {
            if r != c {
                for (a, z) in [(r, c), (c, r)] {
                    let slot = fill[a as usize];
                    nbr[slot] = z;
                    val[slot] = b;
                    fill[a as usize] += 1;
                }
            }
        }

        let merge_one = |v: usize| -> Result<Option<Neighborhood>> {
            let (lo, hi) = (counts[v], counts[v + 1]);
            if lo == hi {
                return Ok(None);
            }
            merge_bucket(&self.adj[v], v as u32, &nbr[lo..hi], &val[lo..hi]).map(Some)
        };
        let merged: Vec<Option<Neighborhood>> = if total >= PARALLEL_ENTRIES {
            (0..n).into_par_iter().map(merge_one).collect::<Result<_>>()?
        } else {
            (0..n).map(merge_one).collect::<Result<_>>()?
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

fn upper_count(nb: &Neighborhood, v: u32) -> usize {
    nb.nbrs.len() - nb.upper_start(v)
}

/// Merges one variable's bucket of additions into its sorted neighbourhood.
fn merge_bucket(old: &Neighborhood, v: u32, nbr: &[u32], val: &[f64]) -> Result<Neighborhood> {
    let mut order: Vec<u32> = (0..nbr.len() as u32).collect();
    order.sort_by_key(|&i| nbr[i as usize]); // stable: duplicates stay in input order
    let cap = old.nbrs.len() + nbr.len();
    let mut out = Neighborhood {
        nbrs: Vec::with_capacity(cap),
        biases: Vec::with_capacity(cap),
    };
    let mut k = 0; // position in old
    let mut i = 0; // position in order
    while i < order.len() {
        let z = nbr[order[i] as usize];
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
        while i < order.len() && nbr[order[i] as usize] == z {
            sum += val[order[i] as usize];
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
