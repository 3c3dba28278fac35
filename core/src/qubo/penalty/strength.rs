//! How strong a penalty is: fixed by the caller, or chosen so that the least violation costs more
//! than any gain the objective can offer.

use crate::Result;
use crate::error::ArgumentError;
use crate::qubo::bqm::finite_result;
use crate::qubo::{Bqm, Vartype};

/// The multiplier of a penalty term.
///
/// Every penalty in [`penalty`](super) is `strength · g(x)` where `g` is zero exactly on the
/// feasible assignments and at least `gap` on every other one (`gap = 1` for the slack-free forms,
/// `resolution²` for linear constraints; reported as
/// [`PenaltyReport::min_violation_penalty`](super::PenaltyReport::min_violation_penalty)).
/// If the least violation costs more than the objective's spread `max f − min f`, every minimiser
/// of `f + penalty` is feasible (provided a feasible assignment exists), and the minimum equals the
/// constrained optimum.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub enum Strength {
    /// qiskit-optimization's rule on the model as it is when the penalty is added:
    /// `strength = (1 + W) / gap` with `W =` [`objective_range_bound`]`(model)`, so the least
    /// violation costs `1 + W > max f − min f`. The model includes earlier penalties, so adding
    /// several constraints with `Auto` compounds their strengths; for several constraints compute
    /// `W` once from the objective and pass [`Strength::Dominate`] to each (one bound suffices:
    /// an infeasible assignment violates at least one constraint and pays at least its least
    /// violation).
    #[default]
    Auto,
    /// As [`Auto`](Self::Auto) with `W` given: `strength = (1 + objective_range) / gap`.
    /// `objective_range` must be finite and `>= 0`.
    Dominate {
        /// An upper bound on `max f − min f` of the objective the constraint must dominate.
        objective_range: f64,
    },
    /// Exactly this multiplier (finite, `> 0`); no feasibility guarantee is implied.
    Fixed(f64),
}

impl Strength {
    /// The convention of the C ABI: `0.0` means [`Auto`](Self::Auto), a finite value `> 0` is
    /// [`Fixed`](Self::Fixed); anything else (negative, NaN, infinite) is an error naming
    /// `argument`.
    ///
    /// ```
    /// use neuroquant::qubo::penalty::Strength;
    /// assert_eq!(Strength::from_value("strength", 0.0)?, Strength::Auto);
    /// assert_eq!(Strength::from_value("strength", 2.5)?, Strength::Fixed(2.5));
    /// assert!(Strength::from_value("strength", f64::NAN).is_err());
    /// # Ok::<(), neuroquant::Error>(())
    /// ```
    pub fn from_value(argument: &'static str, value: f64) -> Result<Strength> {
        if value == 0.0 {
            Ok(Strength::Auto)
        } else {
            positive(argument, value).map(Strength::Fixed)
        }
    }

    /// The multiplier for a penalty whose least violation is `gap` (before scaling), on `bqm`.
    pub(crate) fn resolve(self, bqm: &Bqm, gap: f64) -> Result<f64> {
        let range = match self {
            Strength::Fixed(p) => return positive("strength", p),
            Strength::Auto => objective_range_bound(bqm)?,
            Strength::Dominate { objective_range } => {
                if !(objective_range.is_finite() && objective_range >= 0.0) {
                    return Err(ArgumentError::Invalid {
                        argument: "strength",
                        reason: format!("objective_range must be finite and >= 0, got {objective_range}"),
                    }
                    .into());
                }
                objective_range
            }
        };
        finite_result((1.0 + range) / gap, "choosing the penalty strength", || {
            format!("objective range {range}, least violation {gap}")
        })
    }

    /// Whether the strength is chosen by the library.
    pub(crate) fn is_auto(self) -> bool {
        !matches!(self, Strength::Fixed(_))
    }
}

/// `value` must be finite and `> 0`.
pub(crate) fn positive(argument: &'static str, value: f64) -> Result<f64> {
    if value.is_finite() && value > 0.0 {
        Ok(value)
    } else {
        Err(ArgumentError::Invalid {
            argument,
            reason: format!("must be finite and > 0, got {value}"),
        }
        .into())
    }
}

/// An upper bound `W` on `max E − min E` over all assignments of `bqm`: the sum of every term's
/// own range, `Σ|a_i| + Σ|b_ij|` for BINARY (a term `a·x` spans `|a|`) and `2(Σ|h_i| + Σ|J_ij|)`
/// for SPIN (a term `h·s` spans `2|h|`). The offset does not count.
///
/// ```
/// use neuroquant::qubo::{Bqm, Vartype, penalty};
/// let mut bqm = Bqm::with_variables(Vartype::Binary, 2)?;
/// bqm.add_linear(0, -3.0)?;
/// bqm.add_quadratic(0, 1, 2.0)?;
/// assert_eq!(penalty::objective_range_bound(&bqm)?, 5.0);
/// # Ok::<(), neuroquant::Error>(())
/// ```
pub fn objective_range_bound(bqm: &Bqm) -> Result<f64> {
    let linear: f64 = bqm.linear().iter().map(|a| a.abs()).sum();
    let quadratic: f64 = bqm.iter_quadratic().map(|(_, _, b)| b.abs()).sum();
    let span = match bqm.vartype() {
        Vartype::Binary => 1.0,
        Vartype::Spin => 2.0,
    };
    finite_result(
        span * (linear + quadratic),
        "bounding the objective range",
        || "the sum of absolute biases".into(),
    )
}

/// qiskit-optimization's automatic strength for a penalty whose least violation is 1:
/// `1 +` [`objective_range_bound`]`(bqm)`.
pub fn auto_strength(bqm: &Bqm) -> Result<f64> {
    Strength::Auto.resolve(bqm, 1.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bound_covers_the_exact_range() {
        // Exact range by enumeration is never larger than the bound, in both vartypes.
        let mut bqm = Bqm::with_variables(Vartype::Binary, 3).unwrap();
        bqm.add_linear_from(&[1.5, -2.0, 0.25]).unwrap();
        bqm.add_quadratic_from(&[0, 1], &[1, 2], &[-3.0, 4.0]).unwrap();
        for vt in [Vartype::Binary, Vartype::Spin] {
            bqm.change_vartype(vt).unwrap();
            let [lo, hi] = vt.values();
            let samples: Vec<i8> = (0..8)
                .flat_map(|m| (0..3).map(move |i| if m >> i & 1 == 1 { hi } else { lo }))
                .collect();
            let e = bqm.energies_vec(&samples).unwrap();
            let range =
                e.iter().cloned().fold(f64::MIN, f64::max) - e.iter().cloned().fold(f64::MAX, f64::min);
            let w = objective_range_bound(&bqm).unwrap();
            assert!(range <= w + 1e-12, "{vt}: range {range} > bound {w}");
        }
    }

    #[test]
    fn strengths_are_validated() {
        let bqm = Bqm::new(Vartype::Binary);
        for bad in [0.0, -1.0, f64::NAN, f64::INFINITY] {
            assert!(Strength::Fixed(bad).resolve(&bqm, 1.0).is_err());
        }
        assert!(
            Strength::Dominate {
                objective_range: -1.0
            }
            .resolve(&bqm, 1.0)
            .is_err()
        );
        assert_eq!(
            Strength::Dominate { objective_range: 3.0 }
                .resolve(&bqm, 0.25)
                .unwrap(),
            16.0
        );
        assert_eq!(auto_strength(&bqm).unwrap(), 1.0);
        assert!(Strength::from_value("strength", -0.5).is_err());
    }
}
