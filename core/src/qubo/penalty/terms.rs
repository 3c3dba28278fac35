//! Terms of a quadratic function of BINARY variables, accumulated aside and committed to a model in
//! one step (converted with `x = (s + 1) / 2` when the model is SPIN). Penalty builders and problem
//! generators emit into it, so a model is either fully updated or left untouched.

use crate::Result;
use crate::error::{Error, check};
use crate::qubo::bqm::{finite_result, overflow};
use crate::qubo::{Bqm, MAX_VARIABLES, Vartype};
use std::ops::Range;

/// Largest number of pair terms one penalty or one generated model may expand to (about 3 GB
/// of model storage); larger requests fail with a `LimitExceeded` error naming the argument that
/// sets the size, before anything is allocated.
pub const MAX_TERMS: usize = 1 << 27;

/// `k (k − 1) / 2`, the pairs among `k` variables, without overflow.
pub(crate) fn pairs_of(k: u64) -> u128 {
    u128::from(k) * u128::from(k.saturating_sub(1)) / 2
}

/// `Σ linear + Σ pairs + offset` over BINARY variables (pairs never repeat a variable).
#[derive(Debug, Default)]
pub(crate) struct Terms {
    linear: Vec<(u32, f64)>,
    rows: Vec<u32>,
    cols: Vec<u32>,
    biases: Vec<f64>,
    offset: f64,
}

impl Terms {
    /// Room for `linear` linear and `pairs` pair terms; `argument` is named if that is too many.
    pub(crate) fn with_capacity(argument: &'static str, linear: usize, pairs: usize) -> Result<Self> {
        check::at_most(argument, pairs as u64, MAX_TERMS as u64)?;
        check::at_most(argument, linear as u64, MAX_TERMS as u64)?;
        let mut t = Terms::default();
        let oom = || Error::OutOfMemory {
            what: "penalty terms",
            bytes: pairs.saturating_mul(16).saturating_add(linear.saturating_mul(16)),
        };
        t.linear.try_reserve_exact(linear).map_err(|_| oom())?;
        t.rows.try_reserve_exact(pairs).map_err(|_| oom())?;
        t.cols.try_reserve_exact(pairs).map_err(|_| oom())?;
        t.biases.try_reserve_exact(pairs).map_err(|_| oom())?;
        Ok(t)
    }

    /// Room for the square of a form over `k` variables plus `linear` linear terms; an error
    /// names `argument` with `k` and the largest `k` whose pairs fit [`MAX_TERMS`].
    pub(crate) fn for_square(argument: &'static str, k: usize, linear: usize) -> Result<Self> {
        check::at_most_implied(argument, k as u64, pairs_of, MAX_TERMS as u128)?;
        Terms::with_capacity(argument, linear, Terms::square_pairs(k))
    }

    #[inline]
    pub(crate) fn linear(&mut self, v: u32, bias: f64) {
        self.linear.push((v, bias));
    }

    /// `bias · x_u x_v`; a repeated variable folds into the linear term (`x² = x`).
    #[inline]
    pub(crate) fn pair(&mut self, u: u32, v: u32, bias: f64) {
        if u == v {
            self.linear.push((u, bias));
        } else {
            self.rows.push(u);
            self.cols.push(v);
            self.biases.push(bias);
        }
    }

    #[inline]
    pub(crate) fn offset(&mut self, value: f64) {
        self.offset += value;
    }

    /// Number of pair terms `add_square` emits for `k` variables.
    pub(crate) fn square_pairs(k: usize) -> usize {
        k.saturating_mul(k.saturating_sub(1)) / 2
    }

    /// Adds `scale · (Σ_i units[i] · x_{vars[i]} + constant)²`, with `x² = x`. `vars` are distinct.
    pub(crate) fn add_square(&mut self, vars: &[u32], units: &[f64], constant: f64, scale: f64) {
        debug_assert_eq!(vars.len(), units.len());
        for (i, (&u, &a)) in vars.iter().zip(units).enumerate() {
            self.linear(u, scale * a * (a + 2.0 * constant));
            for (&v, &b) in vars[i + 1..].iter().zip(&units[i + 1..]) {
                self.pair(u, v, 2.0 * scale * a * b);
            }
        }
        self.offset(scale * constant * constant);
    }

    /// Appends `new_variables` variables to `bqm` and adds every term (variables beyond the
    /// current ones refer to the appended ones). All or nothing: on error `bqm` is unchanged.
    /// Returns the range of the appended variables.
    pub(crate) fn apply(mut self, bqm: &mut Bqm, new_variables: usize) -> Result<Range<u32>> {
        let n0 = bqm.num_variables();
        let total = n0.saturating_add(new_variables);
        check::at_most("num_variables", total as u64, MAX_VARIABLES as u64)?;
        debug_assert!(self.linear.iter().all(|&(v, _)| (v as usize) < total));
        debug_assert!(self.rows.iter().chain(&self.cols).all(|&v| (v as usize) < total));
        if bqm.vartype() == Vartype::Spin {
            self.substitute_spins()?;
        }
        self.check_finite()?;

        // New linear values of the touched variables, summed in emission order.
        self.linear.sort_by_key(|&(v, _)| v);
        let mut updates: Vec<(u32, f64)> = Vec::new();
        let mut k = 0;
        while k < self.linear.len() {
            let v = self.linear[k].0;
            let mut sum = 0.0;
            while k < self.linear.len() && self.linear[k].0 == v {
                sum += self.linear[k].1;
                k += 1;
            }
            let base = bqm.linear.get(v as usize).copied().unwrap_or(0.0);
            let new = finite_result(base + sum, "adding a penalty", || format!("variable {v}"))?;
            updates.push((v, new));
        }
        let offset = finite_result(bqm.offset + self.offset, "adding a penalty", || {
            "the offset".into()
        })?;

        let first = bqm.add_variables(new_variables)?;
        if let Err(e) = bqm.add_quadratic_from(&self.rows, &self.cols, &self.biases) {
            // add_quadratic_from is all or nothing, so the new variables have no pairs yet.
            bqm.truncate(n0);
            return Err(e);
        }
        for (v, value) in updates {
            bqm.linear[v as usize] = value;
        }
        bqm.offset = offset;
        Ok(first..first + new_variables as u32)
    }

    /// Rewrites the terms for spins: `a·x = a/2·s + a/2`, `b·x_u x_v = b/4 (s_u s_v + s_u + s_v + 1)`.
    fn substitute_spins(&mut self) -> Result<()> {
        let extra = self.rows.len().saturating_mul(2);
        self.linear.try_reserve(extra).map_err(|_| Error::OutOfMemory {
            what: "penalty terms",
            bytes: extra.saturating_mul(16),
        })?;
        let mut offset = self.offset;
        for (_, a) in &mut self.linear {
            *a /= 2.0;
            offset += *a;
        }
        for ((&u, &v), b) in self.rows.iter().zip(&self.cols).zip(&mut self.biases) {
            *b /= 4.0;
            self.linear.push((u, *b));
            self.linear.push((v, *b));
            offset += *b;
        }
        self.offset = offset;
        Ok(())
    }

    fn check_finite(&self) -> Result<()> {
        if let Some(&(v, _)) = self.linear.iter().find(|(_, a)| !a.is_finite()) {
            return Err(overflow("expanding a penalty", format!("variable {v}")));
        }
        if let Some(k) = self.biases.iter().position(|b| !b.is_finite()) {
            return Err(overflow(
                "expanding a penalty",
                format!("pair ({}, {})", self.rows[k], self.cols[k]),
            ));
        }
        if !self.offset.is_finite() {
            return Err(overflow("expanding a penalty", "the offset".into()));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A square expanded into terms evaluates to the square on every assignment, in both vartypes.
    #[test]
    fn squares_expand_exactly() {
        let units = [3.0, -2.0, 5.0];
        for vt in [Vartype::Binary, Vartype::Spin] {
            let mut bqm = Bqm::with_variables(vt, 3).unwrap();
            let mut t = Terms::with_capacity("x", 3, 3).unwrap();
            t.add_square(&[0, 1, 2], &units, -4.0, 0.5);
            t.apply(&mut bqm, 0).unwrap();
            for m in 0..8u32 {
                let x: Vec<f64> = (0..3).map(|i| (m >> i & 1) as f64).collect();
                let sample: Vec<i8> = x
                    .iter()
                    .map(|&b| {
                        if vt == Vartype::Spin {
                            2 * b as i8 - 1
                        } else {
                            b as i8
                        }
                    })
                    .collect();
                let lhs: f64 = units.iter().zip(&x).map(|(a, b)| a * b).sum();
                let want = 0.5 * (lhs - 4.0).powi(2);
                assert!((bqm.energy(&sample).unwrap() - want).abs() < 1e-12);
            }
        }
    }

    #[test]
    fn a_failed_commit_leaves_the_model_unchanged() {
        let mut bqm = Bqm::with_variables(Vartype::Binary, 2).unwrap();
        bqm.add_quadratic(0, 1, f64::MAX).unwrap();
        let before = bqm.clone();
        let mut t = Terms::default();
        t.pair(2, 0, 1.0);
        t.pair(0, 1, f64::MAX); // overflows when summed with the stored pair
        t.linear(0, 1.0);
        assert!(t.apply(&mut bqm, 1).is_err());
        assert_eq!(bqm, before);
    }
}
