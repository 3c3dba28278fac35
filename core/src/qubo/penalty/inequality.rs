//! Linear inequality constraints through slack variables with the bounded-coefficient encoding
//! (dimod's `add_linear_inequality_constraint`, qiskit-optimization's `InequalityToEquality` +
//! `IntegerToBinary` + `LinearEqualityToPenalty`).

use super::equality::{empty_report, infeasible};
use super::linear_form::LinearForm;
use super::resolution::{near_integer, near_integer_or_floor};
use super::strength::positive;
use super::terms::Terms;
use super::{PenaltyReport, Strength, bounded_coefficients};
use crate::Result;
use crate::error::{ArgumentError, check};
use crate::qubo::Bqm;

/// The direction of an inequality.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Sense {
    /// `Σ a_i x_i <= rhs`.
    Le,
    /// `Σ a_i x_i >= rhs`.
    Ge,
}

impl std::str::FromStr for Sense {
    type Err = ArgumentError;

    /// Parses `"<="` or `"le"` and `">="` or `"ge"` (any case), the names the bindings accept.
    ///
    /// ```
    /// use neuroquant::qubo::penalty::Sense;
    /// assert_eq!(">=".parse::<Sense>().unwrap(), Sense::Ge);
    /// assert_eq!("LE".parse::<Sense>().unwrap(), Sense::Le);
    /// assert!("==".parse::<Sense>().is_err());
    /// ```
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "<=" | "le" => Ok(Sense::Le),
            ">=" | "ge" => Ok(Sense::Ge),
            _ => Err(ArgumentError::Invalid {
                argument: "sense",
                reason: format!("{s:?} is not an inequality sense, must be \"<=\" or \">=\""),
            }),
        }
    }
}

impl Bqm {
    /// Adds a penalty for `Σ_i coeffs[i] · x_{vars[i]} <= rhs` ([`Sense::Le`]) or `>= rhs`
    /// ([`Sense::Ge`]) through an integer slack, appending its binary variables to the model.
    ///
    /// The coefficients are read in units of a resolution `r` (given, or detected as the coarsest
    /// unit they are all integer multiples of, with at most 6 decimals; an error naming
    /// `resolution` if none is found), writing `a_i = r·u_i`. The left-hand side then only takes
    /// multiples of `r`, so `rhs` need not be one: `Le` tightens it to `β = ⌊rhs/r⌋`, `Ge` to
    /// `⌈rhs/r⌉` (exactly equivalent). With `L` the least value of `Σ u_i x_i`, the slack
    /// `σ = β − Σ u_i x_i` ranges over `[0, U]`, `U = β − L`, and is encoded with the weights of
    /// [`bounded_coefficients`]`(U)` (`⌊log₂ U⌋ + 1` new variables). The penalty is
    /// `strength · r² · (Σ u_i x_i + Σ_k c_k z_k − β)²` (for `Ge` the same with `u`, `β` negated):
    /// zero exactly when the constraint holds and the slack variables encode its slack, and for
    /// an assignment violating it by `e` at least `strength · e² >= strength · r²` whatever the slack
    /// variables hold. [`Strength::Auto`] picks `(1 + W) / r²` (see [`Strength`]).
    ///
    /// A constraint every assignment satisfies adds nothing (`always_satisfied` in the report);
    /// one that can hold only with zero slack (`U = 0`) is added as an equality without slack.
    /// Variables are BINARY values (in a SPIN model through `x = (s + 1) / 2`, slack variables
    /// included); repeated variables are summed.
    ///
    /// Errors (the model unchanged): as [`add_linear_equality`](Self::add_linear_equality), plus a
    /// constraint no assignment satisfies (`rhs` below the least / above the greatest value of
    /// the left-hand side).
    ///
    /// ```
    /// use neuroquant::qubo::{Bqm, Vartype, penalty::{Sense, Strength}};
    /// // 3 x0 + 5 x1 + 2 x2 <= 7: slack in [0, 7], weights 1, 2, 4 (as dimod).
    /// let mut bqm = Bqm::with_variables(Vartype::Binary, 3)?;
    /// let report = bqm.add_linear_inequality(&[0, 1, 2], &[3.0, 5.0, 2.0], Sense::Le, 7.0, Strength::Fixed(2.0), None)?;
    /// assert_eq!(report.slack_variables, 3..6);
    /// assert_eq!(report.slack_coefficients, vec![1.0, 2.0, 4.0]);
    /// assert_eq!(bqm.energy(&[1i8, 0, 1, 0, 1, 0])?, 0.0); // 3 + 2 = 5, slack 2
    /// assert_eq!(bqm.energy(&[1i8, 1, 0, 0, 0, 0])?, 2.0 * 1.0); // 8 > 7 by 1
    /// # Ok::<(), neuroquant::Error>(())
    /// ```
    pub fn add_linear_inequality(
        &mut self,
        vars: &[u32],
        coeffs: &[f64],
        sense: Sense,
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
        let holds_at_zero = match sense {
            Sense::Le => 0.0 <= rhs,
            Sense::Ge => 0.0 >= rhs,
        };
        if form.vars.is_empty() {
            if !holds_at_zero {
                return Err(infeasible(format!(
                    "the left-hand side is identically 0 and rhs is {rhs}"
                )));
            }
            let p = strength.resolve(self, 1.0)?;
            return Ok(empty_report(p, strength, n).satisfied());
        }
        let Some(scaled) = form.scaled(resolution)? else {
            return Err(super::resolution::not_found("resolution", "coefficients"));
        };
        let r = scaled.resolution;
        // Work with `Σ u x <= beta`; `Ge` is the same with both sides negated.
        let x = rhs / r;
        let (units, beta) = match sense {
            Sense::Le => (scaled.units, near_integer_or_floor(x)),
            Sense::Ge => (
                scaled.units.iter().map(|u| -u).collect::<Vec<_>>(),
                -near_integer(x).unwrap_or(x.ceil()),
            ),
        };
        let (lo, hi) = LinearForm::bounds(&units);
        let p = strength.resolve(self, r * r)?;
        if hi <= beta {
            return Ok(empty_report(p, strength, n).with_resolution(Some(r)).satisfied());
        }
        if beta < lo {
            let (lo, hi) = LinearForm::bounds(&form.coeffs);
            return Err(infeasible(format!(
                "the left-hand side ranges over [{lo}, {hi}], rhs is {rhs}, sense {sense:?}"
            )));
        }
        let upper = (beta - lo) as u64; // exact: an integer <= Σ|u| <= 2^50
        let slack = bounded_coefficients(upper);
        let all_vars: Vec<u32> = form
            .vars
            .iter()
            .copied()
            .chain((0..slack.len() as u32).map(|k| n + k))
            .collect();
        let all_units: Vec<f64> = units
            .iter()
            .copied()
            .chain(slack.iter().map(|&c| c as f64))
            .collect();
        let mut terms = Terms::for_square("vars", all_vars.len(), all_vars.len())?;
        terms.add_square(&all_vars, &all_units, -beta, p * r * r);
        let added = terms.apply(self, slack.len())?;
        let mut report = empty_report(p, strength, n).with_resolution(Some(r));
        report.slack_variables = added;
        report.slack_coefficients = slack.iter().map(|&c| c as f64 * r).collect();
        Ok(report)
    }
}
