//! dimod's per-variable edits: `remove_variable`, `flip_variable`, `contract_variables`.

use super::Bqm;
use super::Vartype;
use super::bqm::finite_result;
use crate::Result;
use crate::error::{ArgumentError, check};

impl Bqm {
    /// Removes variable `v` and every interaction it takes part in (dimod's `remove_variable`);
    /// the variables after it move down one index. `O(n + m)`.
    ///
    /// ```
    /// use neuroquant::qubo::{Bqm, Vartype};
    /// let mut bqm = Bqm::with_variables(Vartype::Spin, 3)?;
    /// bqm.add_quadratic_from(&[0, 1], &[1, 2], &[1.0, 2.0])?;
    /// bqm.add_linear(2, 5.0)?;
    /// bqm.remove_variable(1)?;
    /// assert_eq!((bqm.num_variables(), bqm.num_interactions()), (2, 0));
    /// assert_eq!(bqm.linear(), &[0.0, 5.0]);
    /// # Ok::<(), neuroquant::Error>(())
    /// ```
    pub fn remove_variable(&mut self, v: u32) -> Result<()> {
        let vi = check::index("v", v.into(), self.linear.len())?;
        let removed = self.adj.remove(vi);
        self.linear.remove(vi);
        self.num_interactions -= removed.nbrs.len();
        for nb in &mut self.adj {
            if let Ok(k) = nb.nbrs.binary_search(&v) {
                nb.nbrs.remove(k);
                nb.biases.remove(k);
            }
            // Neighbours above v move down one; the order is kept.
            let start = nb.nbrs.partition_point(|&u| u < v);
            for u in &mut nb.nbrs[start..] {
                *u -= 1;
            }
        }
        Ok(())
    }

    /// Substitutes `x_v → −x_v` (SPIN) or `x_v → 1 − x_v` (BINARY), keeping every energy with
    /// `v` flipped (dimod's `flip_variable`).
    ///
    /// ```
    /// use neuroquant::qubo::{Bqm, Vartype};
    /// let mut bqm = Bqm::with_variables(Vartype::Binary, 2)?;
    /// bqm.add_linear(0, 1.0)?;
    /// bqm.add_quadratic(0, 1, 2.0)?;
    /// let before = bqm.energy(&[1i8, 1])?;
    /// bqm.flip_variable(0)?;
    /// assert_eq!(bqm.energy(&[0i8, 1])?, before);
    /// # Ok::<(), neuroquant::Error>(())
    /// ```
    pub fn flip_variable(&mut self, v: u32) -> Result<()> {
        let vi = check::index("v", v.into(), self.linear.len())?;
        let a = self.linear[vi];
        // Compute everything first so an overflow changes nothing.
        let offset = match self.vartype {
            Vartype::Spin => self.offset,
            Vartype::Binary => finite_result(self.offset + a, "flipping a variable", || "the offset".into())?,
        };
        let mut linear_updates = Vec::new();
        if self.vartype == Vartype::Binary {
            let nb = &self.adj[vi];
            for (&u, &b) in nb.nbrs.iter().zip(&nb.biases) {
                let new = finite_result(self.linear[u as usize] + b, "flipping a variable", || {
                    format!("variable {u}")
                })?;
                linear_updates.push((u as usize, new));
            }
        }
        self.offset = offset;
        self.linear[vi] = -a;
        for (u, new) in linear_updates {
            self.linear[u] = new;
        }
        let nbrs = self.adj[vi].nbrs.clone();
        for b in &mut self.adj[vi].biases {
            *b = -*b;
        }
        for u in nbrs {
            let nb = &mut self.adj[u as usize];
            let k = nb.nbrs.binary_search(&v).expect("pairs are stored symmetrically");
            nb.biases[k] = -nb.biases[k];
        }
        Ok(())
    }

    /// Forces `x_u = x_v` and removes `v` (dimod's `contract_variables`): the pair's bias goes to
    /// `u`'s linear bias (BINARY) or the offset (SPIN), `v`'s linear bias and couplers are added
    /// to `u`'s. Indices above `v` move down one.
    ///
    /// ```
    /// use neuroquant::qubo::{Bqm, Vartype};
    /// let mut bqm = Bqm::with_variables(Vartype::Binary, 3)?;
    /// bqm.add_linear_from(&[1.0, 2.0, 3.0])?;
    /// bqm.add_quadratic_from(&[0, 1], &[1, 2], &[4.0, 5.0])?;
    /// bqm.contract_variables(0, 1)?;
    /// assert_eq!(bqm.linear(), &[7.0, 3.0]);
    /// assert_eq!(bqm.quadratic(0, 1)?, Some(5.0));
    /// # Ok::<(), neuroquant::Error>(())
    /// ```
    pub fn contract_variables(&mut self, u: u32, v: u32) -> Result<()> {
        let n = self.linear.len();
        check::index("u", u.into(), n)?;
        check::index("v", v.into(), n)?;
        if u == v {
            return Err(ArgumentError::Invalid {
                argument: "v",
                reason: format!("must differ from u, got ({u}, {v})"),
            }
            .into());
        }
        // Work on a copy: several sums may overflow, and the model must stay unchanged then.
        let mut next = self.clone();
        if let Some(b) = next.quadratic(u, v)? {
            next.remove_interaction(u, v)?;
            match next.vartype {
                Vartype::Binary => next.add_linear(u, b)?,
                Vartype::Spin => next.add_offset(b)?,
            }
        }
        next.add_linear(u, self.linear[v as usize])?;
        let (nbrs, biases) = {
            let nb = &next.adj[v as usize];
            (nb.nbrs.clone(), nb.biases.clone())
        };
        for (w, b) in nbrs.into_iter().zip(biases) {
            next.add_quadratic(u, w, b)?;
        }
        next.remove_variable(v)?;
        *self = next;
        Ok(())
    }
}
