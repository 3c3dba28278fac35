//! Slack-free penalties between two variables (Glover, Kochenberger & Du, "Quantum Bridge
//! Analytics I", 2019; qiskit-optimization's `LinearInequalityToPenalty`).

use super::equality::empty_report;
use super::terms::Terms;
use super::{PenaltyReport, Strength};
use crate::Result;
use crate::error::{ArgumentError, check};
use crate::qubo::Bqm;

impl Bqm {
    /// Adds `strength · (x − x·y)`, zero exactly when `x <= y` (`x` implies `y`) and `strength`
    /// otherwise. Values are BINARY (`(s + 1) / 2` in a SPIN model). [`Strength::Auto`] picks
    /// `1 + W` (see [`Strength`]).
    ///
    /// ```
    /// use neuroquant::qubo::{Bqm, Vartype, penalty::Strength};
    /// let mut bqm = Bqm::with_variables(Vartype::Binary, 2)?;
    /// bqm.add_less_equal(0, 1, Strength::Fixed(3.0))?;
    /// assert_eq!(bqm.energies_vec(&[0i8, 0, 0, 1, 1, 0, 1, 1])?, vec![0.0, 0.0, 3.0, 0.0]);
    /// # Ok::<(), neuroquant::Error>(())
    /// ```
    pub fn add_less_equal(&mut self, x: u32, y: u32, strength: Strength) -> Result<PenaltyReport> {
        self.add_order((x, "x"), (y, "y"), strength)
    }

    /// Adds `strength · (y − x·y)`, zero exactly when `x >= y` (`y` implies `x`); see
    /// [`add_less_equal`](Self::add_less_equal).
    pub fn add_greater_equal(&mut self, x: u32, y: u32, strength: Strength) -> Result<PenaltyReport> {
        self.add_order((y, "y"), (x, "x"), strength)
    }

    /// `low <= high` as `strength · (low − low·high)`; each variable comes with its argument name.
    fn add_order(
        &mut self,
        (low, low_name): (u32, &'static str),
        (high, high_name): (u32, &'static str),
        strength: Strength,
    ) -> Result<PenaltyReport> {
        let n = self.num_variables();
        check::index(low_name, low.into(), n)?;
        check::index(high_name, high.into(), n)?;
        if low == high {
            return Err(ArgumentError::Invalid {
                argument: "y",
                reason: format!("x and y must be two distinct variables, got {low} twice"),
            }
            .into());
        }
        let p = strength.resolve(self, 1.0)?;
        let mut terms = Terms::with_capacity("vars", 1, 1)?;
        terms.linear(low, p);
        terms.pair(low, high, -p);
        terms.apply(self, 0)?;
        Ok(empty_report(p, strength, n as u32))
    }
}
