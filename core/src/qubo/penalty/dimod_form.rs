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
