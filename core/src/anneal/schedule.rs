//! Inverse-temperature schedules of simulated annealing, with dwave-samplers' semantics.

use crate::Result;
use crate::error::{ArgumentError, check};
use serde::{Deserialize, Serialize};

/// How the inverse temperatures between `beta_range[0]` and `beta_range[1]` are spaced
/// (dwave's `beta_schedule_type`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum BetaScheduleType {
    /// Geometric spacing (`numpy.geomspace`), the default; both ends must be positive.
    #[default]
    Geometric,
    /// Linear spacing (`numpy.linspace`).
    Linear,
    /// An explicit list of inverse temperatures (`beta_schedule`).
    Custom,
}

impl BetaScheduleType {
    /// dwave's name: `"geometric"`, `"linear"` or `"custom"`.
    pub const fn name(self) -> &'static str {
        match self {
            BetaScheduleType::Geometric => "geometric",
            BetaScheduleType::Linear => "linear",
            BetaScheduleType::Custom => "custom",
        }
    }
}

impl std::fmt::Display for BetaScheduleType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl std::str::FromStr for BetaScheduleType {
    type Err = ArgumentError;

    /// Parses dwave's names (case-sensitive, as in dwave-samplers).
    ///
    /// ```
    /// use neuroquant::anneal::BetaScheduleType;
    /// assert_eq!("linear".parse::<BetaScheduleType>().unwrap(), BetaScheduleType::Linear);
    /// assert!("cubic".parse::<BetaScheduleType>().is_err());
    /// ```
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "geometric" => Ok(BetaScheduleType::Geometric),
            "linear" => Ok(BetaScheduleType::Linear),
            "custom" => Ok(BetaScheduleType::Custom),
            _ => Err(ArgumentError::Invalid {
                argument: "beta_schedule_type",
                reason: format!(
                    "{s:?} is not a schedule type, must be \"geometric\", \"linear\" or \"custom\""
                ),
            }),
        }
    }
}

/// The inverse temperatures of one anneal, computed on demand so a long schedule costs no memory.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Betas {
    /// `num` values from `a` to `b` geometrically (both ends exact).
    Geometric { a: f64, b: f64, num: usize },
    /// `num` values from `a` to `b` linearly (both ends exact).
    Linear { a: f64, b: f64, num: usize },
    /// Explicit values.
    Custom(Vec<f64>),
}

impl Betas {
    pub(crate) fn len(&self) -> usize {
        match self {
            Betas::Geometric { num, .. } | Betas::Linear { num, .. } => *num,
            Betas::Custom(v) => v.len(),
        }
    }

    /// The `k`-th inverse temperature (`k < len()`).
    #[inline]
    pub(crate) fn get(&self, k: usize) -> f64 {
        match *self {
            Betas::Custom(ref v) => v[k],
            Betas::Geometric { a, b, num } => {
                if k + 1 == num {
                    b
                } else if k == 0 {
                    a
                } else {
                    a * (b / a).powf(k as f64 / (num - 1) as f64)
                }
            }
            Betas::Linear { a, b, num } => {
                if k + 1 == num {
                    b
                } else {
                    a + (b - a) * (k as f64 / (num - 1) as f64)
                }
            }
        }
    }
}

/// A validated inverse-temperature range `[hot, cold]`: finite, non-negative, `hot <= cold`.
pub(crate) fn check_beta_range(argument: &'static str, range: [f64; 2]) -> Result<()> {
    for (i, &b) in range.iter().enumerate() {
        check::finite_at(argument, i, b)?;
        if b < 0.0 {
            return Err(invalid(argument, format!("element {i} is {b}, must be >= 0")));
        }
    }
    if range[0] > range[1] {
        return Err(invalid(
            argument,
            format!(
                "[{}, {}] is inverted, must be [hot, cold] with hot <= cold",
                range[0], range[1]
            ),
        ));
    }
    Ok(())
}

/// Checks an explicit schedule: non-empty, finite, non-negative.
pub(crate) fn check_custom(argument: &'static str, betas: &[f64]) -> Result<()> {
    if betas.is_empty() {
        return Err(invalid(
            argument,
            "is empty, must hold at least one inverse temperature".into(),
        ));
    }
    check::all_finite(argument, betas)?;
    if let Some(i) = betas.iter().position(|&b| b < 0.0) {
        return Err(invalid(
            argument,
            format!("element {i} is {}, must be >= 0", betas[i]),
        ));
    }
    Ok(())
}

/// The betas of a geometric or linear schedule with `num` points over `range` (one point uses
/// `range[1]`, as dwave does).
pub(crate) fn interpolate(kind: BetaScheduleType, range: [f64; 2], num: usize) -> Result<Betas> {
    let [a, b] = range;
    Ok(match (kind, num) {
        (_, 1) => Betas::Custom(vec![b]),
        (BetaScheduleType::Geometric, _) => {
            if a <= 0.0 {
                return Err(invalid(
                    "beta_range",
                    format!("[{a}, {b}] must be positive for a geometric schedule"),
                ));
            }
            Betas::Geometric { a, b, num }
        }
        (BetaScheduleType::Linear, _) => Betas::Linear { a, b, num },
        (BetaScheduleType::Custom, _) => unreachable!("custom schedules are explicit"),
    })
}

pub(crate) fn invalid(argument: &'static str, reason: String) -> crate::Error {
    ArgumentError::Invalid { argument, reason }.into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interpolation_matches_numpy_spacing() {
        // numpy.geomspace(0.1, 10, 5) = [0.1, 0.316.., 1, 3.16.., 10]; linspace(0, 1, 5).
        let g = interpolate(BetaScheduleType::Geometric, [0.1, 10.0], 5).unwrap();
        let want = [0.1, 0.31622776601683794, 1.0, 3.1622776601683795, 10.0];
        for (k, w) in want.iter().enumerate() {
            assert!((g.get(k) - w).abs() < 1e-14 * w, "{k}: {} vs {w}", g.get(k));
        }
        let l = interpolate(BetaScheduleType::Linear, [0.0, 1.0], 5).unwrap();
        assert_eq!(
            (0..5).map(|k| l.get(k)).collect::<Vec<_>>(),
            vec![0.0, 0.25, 0.5, 0.75, 1.0]
        );
        assert_eq!(
            interpolate(BetaScheduleType::Geometric, [0.5, 2.0], 1)
                .unwrap()
                .get(0),
            2.0
        );
        assert!(interpolate(BetaScheduleType::Geometric, [0.0, 2.0], 3).is_err());
        assert!(check_beta_range("beta_range", [2.0, 1.0]).is_err());
        assert!(check_beta_range("beta_range", [-1.0, 1.0]).is_err());
        assert!(check_beta_range("beta_range", [f64::NAN, 1.0]).is_err());
        assert!(check_custom("beta_schedule", &[]).is_err());
        assert!(check_custom("beta_schedule", &[1.0, f64::INFINITY]).is_err());
    }
}
