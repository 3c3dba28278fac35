//! Linear equality constraints as a squared penalty (dimod's `add_linear_equality_constraint`,
//! qiskit-optimization's `LinearEqualityToPenalty`).

use super::linear_form::LinearForm;
use super::resolution::near_integer;
use super::strength::positive;
use super::terms::Terms;
use super::{PenaltyReport, Strength};
use crate::Result;
use crate::error::{ArgumentError, check};
use crate::qubo::Bqm;

impl Bqm {
    /// Adds `strength · (Σ_i coeffs[i] · x_{vars[i]} − rhs)²`, zero exactly when the equality
    /// holds.
    ///
    /// Variables are read as BINARY values: in a SPIN model the penalty is added exactly through
    /// `x = (s + 1) / 2` (value 1 ↔ spin +1), so it has the same value on the same assignment in
    /// either vartype. (dimod's method reads the terms as spin values instead.) Repeated variables
    /// are summed.
    ///
    /// The coefficients are read in units of a resolution `r` (given, or detected as the coarsest
    /// `r` they are all integer multiples of, with at most 6 decimals; see
    /// [`PenaltyReport::resolution`]); they are snapped to exact multiples of `r` (within `1e-9`
    /// units). Every left-hand side value is then a multiple of `r`, so a violated equality pays
    /// at least `strength · r²`. [`Strength::Auto`] picks `(1 + W) / r²` with `W` the
    /// model's [`objective_range_bound`](super::objective_range_bound). If no resolution is given
    /// or detected, only a [`Strength::Fixed`] strength is accepted (the penalty then uses the
    /// coefficients as given).
    ///
    /// Errors (the model unchanged): mismatched lengths, variables out of range, non-finite values,
    /// a strength or resolution that is not finite and `> 0`, coefficients that are not multiples
    /// of the given resolution, and an equality no assignment can satisfy when that is detectable
    /// (`rhs` outside the range of the left-hand side, or not a multiple of the resolution).
    ///
    /// ```
    /// use neuroquant::qubo::{Bqm, Vartype, penalty::Strength};
    /// // dimod's example: 10 (5 x1 − 2 x2 − 3)²
    /// let mut bqm = Bqm::with_variables(Vartype::Binary, 2)?;
    /// let report = bqm.add_linear_equality(&[0, 1], &[5.0, -2.0], 3.0, Strength::Fixed(10.0), None)?;
    /// assert_eq!(bqm.linear(), &[-50.0, 160.0]);
    /// assert_eq!(bqm.quadratic(0, 1)?, Some(-200.0));
    /// assert_eq!(bqm.offset(), 90.0);
    /// assert_eq!(report.min_violation_penalty, Some(10.0));
    /// # Ok::<(), neuroquant::Error>(())
    /// ```
    pub fn add_linear_equality(
        &mut self,
        vars: &[u32],
        coeffs: &[f64],
        rhs: f64,
        strength: Strength,
        resolution: Option<f64>,
    ) -> Result<PenaltyReport> {
        let form = LinearForm::new(self, vars, coeffs)?;
        check::finite("rhs", rhs)?;
        if let Strength::Fixed(p) = strength {
            positive("strength", p)?;
        }
        if let Some(r) = resolution {
            positive("resolution", r)?;
        }
        let n = self.num_variables() as u32;
        if form.vars.is_empty() {
            if rhs != 0.0 {
                return Err(infeasible(format!(
                    "the left-hand side is identically 0 and rhs is {rhs}"
                )));
            }
            let p = strength.resolve(self, 1.0)?;
            return Ok(empty_report(p, strength, n).satisfied());
        }

        let scaled = form.scaled(resolution)?;
        let (lo, hi) = LinearForm::bounds(&form.coeffs);
        let tolerance = 1e-9 * (1.0 + hi - lo);
        if rhs < lo - tolerance || rhs > hi + tolerance {
            return Err(infeasible(format!(
                "rhs {rhs} is outside the range [{lo}, {hi}] of the left-hand side"
            )));
        }
        let mut terms = Terms::for_square("vars", form.vars.len(), form.vars.len())?;
        let report = match scaled {
            Some(s) => {
                let r = s.resolution;
                let beta = near_integer(rhs / r).ok_or_else(|| {
                    infeasible(format!(
                        "every left-hand side value is a multiple of {r} and rhs {rhs} is not"
                    ))
                })?;
                let p = strength.resolve(self, r * r)?;
                terms.add_square(&form.vars, &s.units, -beta, p * r * r);
                empty_report(p, strength, n).with_resolution(Some(r))
            }
            None => {
                let Strength::Fixed(p) = strength else {
                    return Err(ArgumentError::Invalid {
                        argument: "resolution",
                        reason: "the coefficients are not integer multiples of any unit with at most \
                                 6 decimals, so an automatic strength cannot be bounded; pass the \
                                 resolution they are multiples of, or a fixed strength"
                            .into(),
                    }
                    .into());
                };
                terms.add_square(&form.vars, &form.coeffs, -rhs, p);
                empty_report(p, strength, n).with_resolution(None)
            }
        };
        terms.apply(self, 0)?;
        Ok(report)
    }
}

pub(crate) fn empty_report(strength: f64, requested: Strength, n: u32) -> PenaltyReport {
    let mut report = PenaltyReport::new(strength, requested.is_auto());
    report.slack_variables = n..n;
    report
}

pub(crate) fn infeasible(reason: String) -> crate::Error {
    ArgumentError::Invalid {
        argument: "rhs",
        reason: format!("no assignment satisfies the constraint: {reason}"),
    }
    .into()
}
