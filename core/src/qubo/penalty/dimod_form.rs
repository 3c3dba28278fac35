//! dimod's `add_linear_equality_constraint(terms, lagrange_multiplier, constant)`: the penalty
//! `λ (Σ cᵢ vᵢ + constant)²` in the model's own vartype (spin values for a SPIN model, where
//! `s² = 1` goes to the offset), with no automatic strength and no slack.

use crate::Result;
use crate::error::{ArgumentError, check};
use crate::qubo::{Bqm, Vartype};

impl Bqm {
    /// Adds `lagrange_multiplier · (Σ coeffs[k] · v[vars[k]] + constant)²` exactly as dimod's
    /// `add_linear_equality_constraint` does: variable values are the model's (±1 in a SPIN
    /// model, 0/1 in a BINARY one); repeated variables are summed. All numbers must be finite
    /// and `vars` in range; on any error the model is unchanged.
    ///
    /// ```
    /// use neuroquant::qubo::{Bqm, Vartype};
    /// let mut bqm = Bqm::with_variables(Vartype::Binary, 2).unwrap();
    /// bqm.add_linear_equality_constraint(&[0, 1], &[1.0, 2.0], 3.0, -1.0)?; // 3 (a + 2b - 1)²
    /// assert_eq!(bqm.linear(), [-3.0, 0.0]);
    /// assert_eq!(bqm.quadratic(0, 1)?, Some(12.0));
    /// assert_eq!(bqm.offset(), 3.0);
    /// # Ok::<(), neuroquant::Error>(())
    /// ```
    pub fn add_linear_equality_constraint(
        &mut self,
        vars: &[u32],
        coeffs: &[f64],
        lagrange_multiplier: f64,
        constant: f64,
    ) -> Result<()> {
        if vars.len() != coeffs.len() {
            return Err(ArgumentError::DimensionMismatch {
                argument: "coeffs",
                expected: vars.len(),
                got: coeffs.len(),
            }
            .into());
        }
        check::finite("lagrange_multiplier", lagrange_multiplier)?;
        check::finite("constant", constant)?;
        let n = self.num_variables();
        let mut merged: Vec<(u32, f64)> = Vec::with_capacity(vars.len());
        for (&v, &c) in vars.iter().zip(coeffs) {
            check::finite("terms", c)?;
            if v as usize >= n {
                return Err(ArgumentError::IndexOutOfRange {
                    argument: "terms",
                    index: v as i64,
                    len: n,
                }
                .into());
            }
            match merged.iter_mut().find(|(u, _)| *u == v) {
                Some((_, b)) => *b += c,
                None => merged.push((v, c)),
            }
        }
        let lm = lagrange_multiplier;
        let spin = self.vartype() == Vartype::Spin;
        let mut linear = Vec::with_capacity(merged.len());
        let mut quadratic = Vec::new();
        let mut offset = lm * constant * constant;
        for (i, &(u, cu)) in merged.iter().enumerate() {
            let mut lin = 2.0 * lm * cu * constant;
            if spin {
                offset += lm * cu * cu;
            } else {
                lin += lm * cu * cu;
            }
            linear.push((u, lin));
            for &(v, cv) in &merged[i + 1..] {
                quadratic.push((u, v, 2.0 * lm * cu * cv));
            }
        }
        let all = linear
            .iter()
            .map(|l| l.1)
            .chain(quadratic.iter().map(|q| q.2))
            .chain([offset]);
        for x in all {
            check::finite("lagrange_multiplier", x)?;
        }
        let before = self.clone();
        let applied = (|| -> Result<()> {
            for &(u, b) in &linear {
                self.add_linear(u, b)?;
            }
            for &(u, v, b) in &quadratic {
                self.add_quadratic(u, v, b)?;
            }
            self.add_offset(offset)
        })();
        if applied.is_err() {
            *self = before;
        }
        applied
    }
}

/// What dimod's `add_linear_inequality_constraint` does with a constraint
/// `lb <= Σ cᵢ vᵢ + constant <= ub` (see [`DimodInequalityPlan::new`]).
#[derive(Debug, Clone, PartialEq)]
pub enum DimodInequalityAction {
    /// The bounds hold for every assignment: nothing is added (dimod warns).
    AlwaysSatisfied,
    /// The allowed range is a single value: the equality `λ (Σ cᵢ vᵢ − ub_c)²` is added.
    Equality,
    /// Slack variables `slack_{label}_{suffix}` with these coefficients join the terms in the
    /// equality `λ (Σ cᵢ vᵢ + Σ bⱼ sⱼ − ub_c)²`.
    Slack {
        /// The `j` of each slack variable's label `slack_{label}_{j}`, in order.
        suffixes: Vec<usize>,
        /// The coefficient `bⱼ` of each slack variable.
        coefficients: Vec<f64>,
    },
}

/// dimod 0.12's resolution of a linear inequality, computed before anything is added.
#[derive(Debug, Clone, PartialEq)]
pub struct DimodInequalityPlan {
    /// `min(Σ positive cᵢ, ub − constant)`: the largest allowed value of `Σ cᵢ vᵢ`.
    pub ub_c: f64,
    /// `max(Σ negative cᵢ, lb − constant)`: the smallest allowed value of `Σ cᵢ vᵢ`.
    pub lb_c: f64,
    /// A coefficient, the constant or a bound is not an integer (dimod warns: scale the
    /// constraint to integer coefficients).
    pub fractional: bool,
    /// What is added.
    pub action: DimodInequalityAction,
}

/// Most slack variables one dimod-form inequality may add (dimod adds `⌊log2(ub_c − lb_c)⌋ + 2`
/// at most; an `f64` range needs at most 1025).
pub const MAX_DIMOD_SLACK: usize = 1100;

impl DimodInequalityPlan {
    /// Resolves `lb <= Σ coeffs[k] · v_k + constant <= ub` exactly as dimod 0.12.23's
    /// `add_linear_inequality_constraint` does with `penalization_method="slack"`: bounds clipped
    /// to what the terms can reach (`ub_c`, `lb_c`); no change needed → `AlwaysSatisfied`; an
    /// empty range → an error on `ub`; a range of width `w = trunc(ub_c − lb_c)` of 0 → an
    /// equality, else slack coefficients `1, 2, …, 2^(m−1)` (`m = ⌊log2 w⌋`) and
    /// `w − 2^m + 1` when that is positive, plus, with `cross_zero` and a range that excludes
    /// zero, one more slack `ub_c − w` named `m + 1`. The term values are those of dimod's
    /// reading, whatever the model's vartype (dimod sums the raw coefficients).
    ///
    /// ```
    /// use neuroquant::qubo::penalty::{DimodInequalityAction, DimodInequalityPlan};
    /// // x0 + x1 + x2 <= 2: w = 2, m = 1, so weights 1 and 2 − 2 + 1 = 1 (dimod: slack_c_0, slack_c_1)
    /// let plan = DimodInequalityPlan::new(&[1.0, 1.0, 1.0], 0.0, i64::MIN as f64, 2.0, false)?;
    /// assert_eq!((plan.lb_c, plan.ub_c), (0.0, 2.0));
    /// assert_eq!(plan.action, DimodInequalityAction::Slack { suffixes: vec![0, 1], coefficients: vec![1.0, 1.0] });
    /// # Ok::<(), neuroquant::Error>(())
    /// ```
    pub fn new(coeffs: &[f64], constant: f64, lb: f64, ub: f64, cross_zero: bool) -> Result<Self> {
        check::all_finite("terms", coeffs)?;
        check::finite("constant", constant)?;
        check::finite("lb", lb)?;
        check::finite("ub", ub)?;
        let fractional = [constant, lb, ub].iter().chain(coeffs).any(|x| x.trunc() != *x);
        let upper: f64 = coeffs.iter().filter(|&&c| c > 0.0).sum();
        let lower: f64 = coeffs.iter().filter(|&&c| c < 0.0).sum();
        let ub_c = upper.min(ub - constant);
        let lb_c = lower.max(lb - constant);
        let plan = |action| DimodInequalityPlan {
            ub_c,
            lb_c,
            fractional,
            action,
        };
        if upper <= ub_c && lower >= lb_c {
            return Ok(plan(DimodInequalityAction::AlwaysSatisfied));
        }
        if ub_c < lb_c {
            return Err(ArgumentError::Invalid {
                argument: "ub",
                reason: format!(
                    "the constraint is infeasible with any value of the variables: the terms \
                     plus the constant reach [{}, {}], the bounds allow [{lb}, {ub}]",
                    lower + constant,
                    upper + constant
                ),
            }
            .into());
        }
        let width = (ub_c - lb_c).trunc();
        if width == 0.0 {
            return Ok(plan(DimodInequalityAction::Equality));
        }
        let m = width.log2().floor() as usize;
        let mut coefficients: Vec<f64> = (0..m).map(|j| 2f64.powi(j as i32)).collect();
        let top = 2f64.powi(m as i32);
        if width - top >= 0.0 {
            coefficients.push(width - top + 1.0);
        }
        let mut suffixes: Vec<usize> = (0..coefficients.len()).collect();
        if cross_zero && (lb_c > 0.0 || ub_c < 0.0) && ub_c - width > 0.0 {
            suffixes.push(m + 1);
            coefficients.push(ub_c - width);
        }
        debug_assert!(coefficients.len() <= MAX_DIMOD_SLACK);
        Ok(plan(DimodInequalityAction::Slack {
            suffixes,
            coefficients,
        }))
    }
}

/// The multiplier of dimod's inequality: one number (slack method) or the pair `(λ₀, λ₁)` of
/// the unbalanced penalization (arXiv:2211.13914).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum DimodPenalization {
    /// `λ (Σ cᵢ vᵢ + Σ bⱼ sⱼ − ub_c)²` with slack variables.
    Slack(f64),
    /// `λ₀ Σ cᵢ vᵢ − ub_c + λ₁ (Σ cᵢ vᵢ − ub_c)²`, no slack (dimod adds `−ub_c` to the offset
    /// unscaled).
    Unbalanced(f64, f64),
}

impl Bqm {
    /// Adds dimod's `add_linear_inequality_constraint` penalty for a resolved `plan` (from the
    /// same `coeffs`): `vars` are the terms' variables, `slack_vars` the variables of the plan's
    /// slack coefficients (in order; empty unless the plan is `Slack` and the penalization is
    /// `Slack`). Values are the model's own (spins in a SPIN model), as dimod's. All or
    /// nothing.
    pub fn add_dimod_inequality(
        &mut self,
        vars: &[u32],
        coeffs: &[f64],
        penalization: DimodPenalization,
        plan: &DimodInequalityPlan,
        slack_vars: &[u32],
    ) -> Result<()> {
        let ub_c = plan.ub_c;
        let expected_slack = match (&plan.action, penalization) {
            (DimodInequalityAction::Slack { coefficients, .. }, DimodPenalization::Slack(_)) => {
                coefficients.len()
            }
            _ => 0,
        };
        if slack_vars.len() != expected_slack {
            return Err(ArgumentError::DimensionMismatch {
                argument: "slack_vars",
                expected: expected_slack,
                got: slack_vars.len(),
            }
            .into());
        }
        if plan.action == DimodInequalityAction::AlwaysSatisfied {
            return Ok(());
        }
        match penalization {
            DimodPenalization::Slack(lm) => match &plan.action {
                DimodInequalityAction::Slack { coefficients, .. } => {
                    let all_vars: Vec<u32> = vars.iter().chain(slack_vars).copied().collect();
                    let all_coeffs: Vec<f64> = coeffs.iter().chain(coefficients).copied().collect();
                    self.add_linear_equality_constraint(&all_vars, &all_coeffs, lm, -ub_c)
                }
                _ => self.add_linear_equality_constraint(vars, coeffs, lm, -ub_c),
            },
            DimodPenalization::Unbalanced(l0, l1) => {
                check::finite("lagrange_multiplier", l0)?;
                let before = self.clone();
                let applied = (|| -> Result<()> {
                    for (&v, &c) in vars.iter().zip(coeffs) {
                        let b = l0 * c;
                        check::finite("lagrange_multiplier", b)?;
                        self.add_linear(v, b)?;
                    }
                    self.add_offset(-ub_c)?;
                    self.add_linear_equality_constraint(vars, coeffs, l1, -ub_c)
                })();
                if applied.is_err() {
                    *self = before;
                }
                applied
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The penalty's energy equals λ(Σ c v + C)² on every state (independent evaluation).
    #[test]
    fn energy_is_the_squared_form_on_every_state_in_both_vartypes() {
        for vt in [Vartype::Binary, Vartype::Spin] {
            let mut bqm = Bqm::with_variables(vt, 3).unwrap();
            let (vars, coeffs, lm, c) = ([0u32, 2, 1, 0], [1.5, -2.0, 0.5, 1.0], 1.7, -0.25);
            bqm.add_linear_equality_constraint(&vars, &coeffs, lm, c).unwrap();
            let values: &[i8] = if vt == Vartype::Spin { &[-1, 1] } else { &[0, 1] };
            for &a in values {
                for &b in values {
                    for &d in values {
                        let x = [a, b, d];
                        let s: f64 = vars
                            .iter()
                            .zip(&coeffs)
                            .map(|(&v, &k)| k * x[v as usize] as f64)
                            .sum();
                        let want = lm * (s + c).powi(2);
                        let got = bqm.energy(&x).unwrap();
                        assert!((got - want).abs() < 1e-12, "{vt:?} {x:?}: {got} vs {want}");
                    }
                }
            }
        }
    }

    #[test]
    fn bad_input_changes_nothing() {
        let mut bqm = Bqm::with_variables(Vartype::Binary, 2).unwrap();
        bqm.add_linear(0, 1.0).unwrap();
        let before = bqm.clone();
        assert!(
            bqm.add_linear_equality_constraint(&[0, 5], &[1.0, 1.0], 1.0, 0.0)
                .unwrap_err()
                .to_string()
                .contains("terms")
        );
        assert!(
            bqm.add_linear_equality_constraint(&[0], &[1.0], f64::NAN, 0.0)
                .unwrap_err()
                .to_string()
                .contains("lagrange_multiplier")
        );
        assert!(
            bqm.add_linear_equality_constraint(&[0], &[f64::INFINITY], 1.0, 0.0)
                .is_err()
        );
        assert!(
            bqm.add_linear_equality_constraint(&[0], &[1.0, 2.0], 1.0, 0.0)
                .is_err()
        );
        assert_eq!(bqm.linear(), before.linear());
        assert_eq!(bqm.offset(), before.offset());
    }
}
