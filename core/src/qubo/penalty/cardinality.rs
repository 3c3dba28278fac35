//! Slack-free penalties on how many of a set of variables are 1: at most one, exactly one
//! (one-hot), exactly k (k-hot), at least all but one.

use super::equality::empty_report;
use super::terms::Terms;
use super::{PenaltyReport, Strength};
use crate::Result;
use crate::error::{ArgumentError, check};
use crate::qubo::Bqm;

impl Bqm {
    /// Adds `strength · Σ_{i<j} x_i x_j`: zero when at most one of `vars` is 1, and
    /// `strength · C(m, 2) >= strength` when `m >= 2` are. `vars` must be distinct. Values are
    /// BINARY (`(s + 1) / 2` in a SPIN model); [`Strength::Auto`] picks `1 + W` (see [`Strength`]).
    ///
    /// ```
    /// use neuroquant::qubo::{Bqm, Vartype, penalty::Strength};
    /// let mut bqm = Bqm::with_variables(Vartype::Binary, 3)?;
    /// bqm.add_at_most_one(&[0, 1, 2], Strength::Fixed(2.0))?;
    /// assert_eq!(bqm.energies_vec(&[0i8, 1, 0, 1, 1, 0, 1, 1, 1])?, vec![0.0, 2.0, 6.0]);
    /// # Ok::<(), neuroquant::Error>(())
    /// ```
    pub fn add_at_most_one(&mut self, vars: &[u32], strength: Strength) -> Result<PenaltyReport> {
        distinct(self, vars)?;
        let p = strength.resolve(self, 1.0)?;
        let n = self.num_variables() as u32;
        if vars.len() <= 1 {
            return Ok(empty_report(p, strength, n).satisfied());
        }
        let mut terms = Terms::for_square("vars", vars.len(), 0)?;
        for (i, &u) in vars.iter().enumerate() {
            for &v in &vars[i + 1..] {
                terms.pair(u, v, p);
            }
        }
        terms.apply(self, 0)?;
        Ok(empty_report(p, strength, n))
    }

    /// Adds `strength · (Σ x_i − 1)²`: zero exactly when one of `vars` is 1 (one-hot), at least
    /// `strength` otherwise. Same as [`add_k_hot`](Self::add_k_hot) with `k = 1`.
    pub fn add_exactly_one(&mut self, vars: &[u32], strength: Strength) -> Result<PenaltyReport> {
        self.add_k_hot(vars, 1, strength)
    }

    /// Adds `strength · (Σ x_i − k)²`: zero exactly when `k` of `vars` are 1, at least `strength`
    /// otherwise. `vars` must be distinct and `k <= vars.len()`.
    ///
    /// ```
    /// use neuroquant::qubo::{Bqm, Vartype, penalty::Strength};
    /// let mut bqm = Bqm::with_variables(Vartype::Binary, 3)?;
    /// bqm.add_k_hot(&[0, 1, 2], 2, Strength::Fixed(1.0))?;
    /// assert_eq!(bqm.energies_vec(&[1i8, 1, 0, 1, 1, 1, 0, 0, 0])?, vec![0.0, 1.0, 4.0]);
    /// # Ok::<(), neuroquant::Error>(())
    /// ```
    pub fn add_k_hot(&mut self, vars: &[u32], k: usize, strength: Strength) -> Result<PenaltyReport> {
        distinct(self, vars)?;
        if k > vars.len() {
            return Err(ArgumentError::Invalid {
                argument: "k",
                reason: format!(
                    "no assignment satisfies the constraint: k = {k} exceeds the {} variables",
                    vars.len()
                ),
            }
            .into());
        }
        let p = strength.resolve(self, 1.0)?;
        let n = self.num_variables() as u32;
        if vars.is_empty() {
            return Ok(empty_report(p, strength, n).satisfied());
        }
        let mut terms = Terms::for_square("vars", vars.len(), vars.len())?;
        let ones = vec![1.0; vars.len()];
        terms.add_square(vars, &ones, -(k as f64), p);
        terms.apply(self, 0)?;
        Ok(empty_report(p, strength, n))
    }

    /// Adds `strength · Σ_{i<j} (1 − x_i)(1 − x_j)`: zero when at most one of `vars` is 0 (at
    /// least `n − 1` are 1), and `strength · C(m, 2) >= strength` when `m >= 2` are 0. `vars` must be
    /// distinct.
    pub fn add_at_least_all_but_one(&mut self, vars: &[u32], strength: Strength) -> Result<PenaltyReport> {
        distinct(self, vars)?;
        let p = strength.resolve(self, 1.0)?;
        let n = self.num_variables() as u32;
        let k = vars.len();
        if k <= 1 {
            return Ok(empty_report(p, strength, n).satisfied());
        }
        let mut terms = Terms::for_square("vars", k, k)?;
        for (i, &u) in vars.iter().enumerate() {
            terms.linear(u, -p * (k - 1) as f64);
            for &v in &vars[i + 1..] {
                terms.pair(u, v, p);
            }
        }
        terms.offset(p * Terms::square_pairs(k) as f64);
        terms.apply(self, 0)?;
        Ok(empty_report(p, strength, n))
    }
}

/// `vars` are in range and distinct.
fn distinct(bqm: &Bqm, vars: &[u32]) -> Result<()> {
    let n = bqm.num_variables();
    for &v in vars {
        check::index("vars", v.into(), n)?;
    }
    let mut sorted = vars.to_vec();
    sorted.sort_unstable();
    if let Some(w) = sorted.windows(2).find(|w| w[0] == w[1]) {
        return Err(ArgumentError::Invalid {
            argument: "vars",
            reason: format!("variable {} appears twice; the variables must be distinct", w[0]),
        }
        .into());
    }
    Ok(())
}
