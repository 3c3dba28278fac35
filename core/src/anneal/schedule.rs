//! Inverse-temperature schedules of simulated annealing, with dwave-samplers' semantics.

use crate::Result;
use crate::error::{ArgumentError, check};
use crate::params::{Keyword, KeywordArgs, Keywords, ToValue, Value};

crate::params::named_enum! {
    /// How the inverse temperatures of simulated annealing are spaced (dwave's
    /// `beta_schedule_type`).
    pub enum BetaScheduleType("beta_schedule_type") {
        /// Geometric spacing over `beta_range` (`numpy.geomspace`); both ends must be positive.
        Geometric = "geometric",
        /// Linear spacing over `beta_range` (`numpy.linspace`).
        Linear = "linear",
        /// An explicit list of inverse temperatures (`beta_schedule`).
        Custom = "custom",
    }
}

/// The inverse temperatures of a simulated-annealing run. As keywords (dwave's): `beta_range`,
/// `beta_schedule_type` and `beta_schedule`.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum BetaSchedule {
    /// `num_sweeps / num_sweeps_per_beta` values spaced geometrically over `[hot, cold]` (both
    /// positive); `None`: the model's [`default_beta_range`](super::default_beta_range).
    Geometric(Option<[f64; 2]>),
    /// The same, spaced linearly.
    Linear(Option<[f64; 2]>),
    /// Explicit inverse temperatures (finite, non-negative), each held `num_sweeps_per_beta`
    /// sweeps.
    Custom(Vec<f64>),
}

impl Default for BetaSchedule {
    fn default() -> Self {
        BetaSchedule::Geometric(None)
    }
}

impl BetaSchedule {
    /// The schedule type's name (`info["beta_schedule_type"]`).
    pub fn schedule_type(&self) -> BetaScheduleType {
        match self {
            BetaSchedule::Geometric(_) => BetaScheduleType::Geometric,
            BetaSchedule::Linear(_) => BetaScheduleType::Linear,
            BetaSchedule::Custom(_) => BetaScheduleType::Custom,
        }
    }
}

impl KeywordArgs for BetaSchedule {
    fn description() -> &'static str {
        ""
    }

    fn keywords() -> &'static [Keyword] {
        static KEYWORDS: std::sync::LazyLock<[Keyword; 3]> = std::sync::LazyLock::new(|| {
            [
                Keyword::of::<Option<[f64; 2]>>(
                    "beta_range",
                    "[hot, cold] inverse temperatures of a geometric or linear schedule. None: \
                     the model's default_beta_range (dwave-samplers' heuristic).",
                ),
                Keyword::of::<BetaScheduleType>(
                    "beta_schedule_type",
                    "How the inverse temperatures are spaced.",
                ),
                Keyword::of::<Option<Vec<f64>>>(
                    "beta_schedule",
                    "The explicit inverse temperatures of a \"custom\" schedule (required with it, \
                     not allowed otherwise); inf is the zero-temperature limit (only downhill flips).",
                ),
            ]
        });
        &*KEYWORDS
    }

    fn take_from(kw: &mut Keywords) -> Result<Self> {
        let range = kw.take::<Option<[f64; 2]>>("beta_range")?.flatten();
        let kind = kw.take::<BetaScheduleType>("beta_schedule_type")?;
        let betas = kw.take::<Option<Vec<f64>>>("beta_schedule")?.flatten();
        match (kind.unwrap_or(BetaScheduleType::Geometric), betas) {
            (BetaScheduleType::Custom, None) => Err(invalid(
                "beta_schedule",
                "is missing: beta_schedule_type \"custom\" needs an explicit schedule".into(),
            )),
            (BetaScheduleType::Custom, Some(betas)) => {
                if let (Some(r), Some(first), Some(last)) = (range, betas.first(), betas.last())
                    && (r[0] != *first || r[1] != *last)
                {
                    return Err(invalid(
                        "beta_range",
                        "must be unset or equal the first and last entries of beta_schedule".into(),
                    ));
                }
                Ok(BetaSchedule::Custom(betas))
            }
            (kind, Some(_)) => Err(invalid(
                "beta_schedule",
                format!(
                    "is only allowed with beta_schedule_type \"custom\", not {:?}",
                    kind.name()
                ),
            )),
            (BetaScheduleType::Geometric, None) => Ok(BetaSchedule::Geometric(range)),
            (BetaScheduleType::Linear, None) => Ok(BetaSchedule::Linear(range)),
        }
    }

    fn put_into(&self, out: &mut Vec<(&'static str, Value)>) {
        let (range, betas) = match self {
            BetaSchedule::Geometric(r) | BetaSchedule::Linear(r) => (*r, None),
            BetaSchedule::Custom(b) => (None, Some(b.clone())),
        };
        out.push(("beta_range", range.to_value()));
        out.push(("beta_schedule_type", self.schedule_type().to_value()));
        out.push(("beta_schedule", betas.to_value()));
    }

    fn validate(&self) -> Result<()> {
        match self {
            BetaSchedule::Geometric(Some(r)) | BetaSchedule::Linear(Some(r)) => {
                check_beta_range("beta_range", *r)
            }
            BetaSchedule::Custom(betas) => check_custom("beta_schedule", betas),
            _ => Ok(()),
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

/// Checks an explicit schedule: non-empty, non-negative, no NaN. `+inf` is allowed, as dwave
/// allows it: the zero-temperature limit, where only flips that lower the energy are accepted.
pub(crate) fn check_custom(argument: &'static str, betas: &[f64]) -> Result<()> {
    if betas.is_empty() {
        return Err(invalid(
            argument,
            "is empty, must hold at least one inverse temperature".into(),
        ));
    }
    if let Some(i) = betas.iter().position(|b| b.is_nan()) {
        check::finite_at(argument, i, betas[i])?;
    }
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
        assert!(check_custom("beta_schedule", &[1.0, f64::NAN]).is_err());
        assert!(check_custom("beta_schedule", &[1.0, f64::NEG_INFINITY]).is_err());
        assert!(check_custom("beta_schedule", &[1.0, f64::INFINITY]).is_ok());
    }
}
