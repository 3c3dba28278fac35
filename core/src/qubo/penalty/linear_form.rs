//! A validated linear form `Σ a_i x_i` over a model's variables, repeated variables merged.

use super::resolution;
use crate::Result;
use crate::error::{ArgumentError, check};
use crate::qubo::Bqm;

/// Distinct variables (ascending) with non-zero summed coefficients.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct LinearForm {
    pub(crate) vars: Vec<u32>,
    pub(crate) coeffs: Vec<f64>,
}

/// The form in units of its resolution: `coeffs = resolution · units`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Scaled {
    pub(crate) resolution: f64,
    pub(crate) units: Vec<f64>,
}

impl LinearForm {
    /// Checks lengths, indices (against `bqm`) and finiteness; sums repeated variables in input
    /// order and drops those whose sum is zero.
    pub(crate) fn new(bqm: &Bqm, vars: &[u32], coeffs: &[f64]) -> Result<Self> {
        check::len("coeffs", vars.len(), coeffs.len())?;
        let n = bqm.num_variables();
        for &v in vars {
            check::index("vars", v.into(), n)?;
        }
        check::all_finite("coeffs", coeffs)?;
        let mut order: Vec<usize> = (0..vars.len()).collect();
        order.sort_by_key(|&k| vars[k]); // stable: repeats keep input order
        let mut form = LinearForm {
            vars: Vec::with_capacity(vars.len()),
            coeffs: Vec::with_capacity(vars.len()),
        };
        let mut k = 0;
        while k < order.len() {
            let v = vars[order[k]];
            let (mut sum, mut magnitude) = (0.0, 0.0f64);
            while k < order.len() && vars[order[k]] == v {
                sum += coeffs[order[k]];
                magnitude += coeffs[order[k]].abs();
                k += 1;
            }
            // Repeats that cancel up to rounding (0.3 − 0.1 − 0.2) sum to zero.
            if sum.is_finite() && sum.abs() <= 4.0 * f64::EPSILON * magnitude {
                sum = 0.0;
            }
            if !sum.is_finite() {
                return Err(ArgumentError::Invalid {
                    argument: "coeffs",
                    reason: format!("the coefficients of variable {v} sum to {sum}"),
                }
                .into());
            }
            if sum != 0.0 {
                form.vars.push(v);
                form.coeffs.push(sum);
            }
        }
        Ok(form)
    }

    /// The form in units of `resolution` (checked) or of the detected one; `None` when no
    /// resolution was given and none is detected. The form must be non-empty.
    pub(crate) fn scaled(&self, resolution: Option<f64>) -> Result<Option<Scaled>> {
        debug_assert!(!self.vars.is_empty());
        let scaled = match resolution {
            Some(r) => {
                let r = super::strength::positive("resolution", r)?;
                Some(Scaled {
                    resolution: r,
                    units: resolution::to_units("coeffs", &self.coeffs, r)?,
                })
            }
            None => resolution::detect(&self.coeffs).map(|(resolution, units)| Scaled { resolution, units }),
        };
        if let Some(s) = &scaled {
            let total: f64 = s.units.iter().map(|u| u.abs()).sum();
            check::at_most(
                "coeffs",
                total.min(u64::MAX as f64) as u64,
                resolution::MAX_UNITS as u64,
            )?;
        }
        Ok(scaled)
    }

    /// The least and greatest value of the form over all assignments.
    pub(crate) fn bounds(values: &[f64]) -> (f64, f64) {
        let lo = values.iter().filter(|&&a| a < 0.0).sum();
        let hi = values.iter().filter(|&&a| a > 0.0).sum();
        (lo, hi)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::qubo::Vartype;

    #[test]
    fn repeats_are_merged_and_zeros_dropped() {
        let bqm = Bqm::with_variables(Vartype::Binary, 4).unwrap();
        let f = LinearForm::new(&bqm, &[2, 0, 2, 3, 3], &[1.0, 2.0, 0.5, 1.0, -1.0]).unwrap();
        assert_eq!(f.vars, vec![0, 2]);
        assert_eq!(f.coeffs, vec![2.0, 1.5]);
        assert!(LinearForm::new(&bqm, &[0, 0], &[f64::MAX, f64::MAX]).is_err());
        // Cancelling repeats are exactly zero, not rounding noise.
        let f = LinearForm::new(&bqm, &[0, 0, 0, 1], &[0.30000000000000004, -0.1, -0.2, 1.0]).unwrap();
        assert_eq!(f.vars, vec![1]);
        assert!(LinearForm::new(&bqm, &[4], &[1.0]).is_err());
        assert!(LinearForm::new(&bqm, &[0], &[]).is_err());
        assert!(LinearForm::new(&bqm, &[0], &[f64::NAN]).is_err());
        assert_eq!(LinearForm::bounds(&[3.0, -2.0, 1.0, -0.5]), (-2.5, 4.0));
    }
}
