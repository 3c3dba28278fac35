//! When a named constraint holds: the test applied to its value at decode time.

use crate::Result;
use crate::error::{ArgumentError, check};
use std::any::Any;
use std::fmt;
use std::sync::Arc;

/// Opaque data a caller attaches to a [`Condition::Custom`] and evaluates itself (the Python
/// binding stores the user's callable here), so the core never calls back into a host language.
pub type CustomCondition = Arc<dyn Any + Send + Sync>;

/// The test a constraint's value must pass for the constraint to hold.
///
/// The standard tests compare with an absolute tolerance `atol` (0 means exact, as PyQUBO's
/// default `lambda v: v == 0.0`); [`Custom`](Self::Custom) is evaluated by the caller.
///
/// ```
/// use neuroquant::qubo::expr::Condition;
/// let c = Condition::at_most(2.0, 0.0)?;
/// assert_eq!(c.holds(2.0), Some(true));
/// assert_eq!(c.holds(2.5), Some(false));
/// assert_eq!(Condition::default().holds(0.0), Some(true));
/// # Ok::<(), neuroquant::Error>(())
/// ```
#[derive(Clone)]
#[non_exhaustive]
pub enum Condition {
    /// `|v − value| ≤ atol`.
    Equal {
        /// Target value.
        value: f64,
        /// Absolute tolerance (≥ 0).
        atol: f64,
    },
    /// `v ≤ value + atol`.
    AtMost {
        /// Upper bound.
        value: f64,
        /// Absolute tolerance (≥ 0).
        atol: f64,
    },
    /// `v ≥ value − atol`.
    AtLeast {
        /// Lower bound.
        value: f64,
        /// Absolute tolerance (≥ 0).
        atol: f64,
    },
    /// A test the caller evaluates; the payload identifies it.
    Custom(CustomCondition),
}

impl Default for Condition {
    /// Equal to zero, exactly (PyQUBO's default).
    fn default() -> Self {
        Condition::Equal {
            value: 0.0,
            atol: 0.0,
        }
    }
}

fn checked(value: f64, atol: f64) -> Result<(f64, f64)> {
    check::finite("value", value)?;
    check::finite("atol", atol)?;
    if atol < 0.0 {
        return Err(ArgumentError::Invalid {
            argument: "atol",
            reason: format!("{atol} is negative, must be >= 0"),
        }
        .into());
    }
    Ok((value, atol))
}

impl Condition {
    /// `|v − value| ≤ atol`; both finite, `atol ≥ 0`.
    pub fn equal(value: f64, atol: f64) -> Result<Self> {
        let (value, atol) = checked(value, atol)?;
        Ok(Condition::Equal { value, atol })
    }

    /// `v ≤ value + atol`; both finite, `atol ≥ 0`.
    pub fn at_most(value: f64, atol: f64) -> Result<Self> {
        let (value, atol) = checked(value, atol)?;
        Ok(Condition::AtMost { value, atol })
    }

    /// `v ≥ value − atol`; both finite, `atol ≥ 0`.
    pub fn at_least(value: f64, atol: f64) -> Result<Self> {
        let (value, atol) = checked(value, atol)?;
        Ok(Condition::AtLeast { value, atol })
    }

    /// Whether `v` passes the test; `None` for a custom test (the caller evaluates it).
    pub fn holds(&self, v: f64) -> Option<bool> {
        match *self {
            Condition::Equal { value, atol } => Some((v - value).abs() <= atol),
            Condition::AtMost { value, atol } => Some(v <= value + atol),
            Condition::AtLeast { value, atol } => Some(v >= value - atol),
            Condition::Custom(_) => None,
        }
    }
}

impl fmt::Debug for Condition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Condition::Equal { value, atol } => write!(f, "Equal({value}, atol={atol})"),
            Condition::AtMost { value, atol } => write!(f, "AtMost({value}, atol={atol})"),
            Condition::AtLeast { value, atol } => write!(f, "AtLeast({value}, atol={atol})"),
            Condition::Custom(_) => f.write_str("Custom"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn standard_tests_and_tolerances() {
        let eq = Condition::equal(1.0, 1e-9).unwrap();
        assert_eq!(eq.holds(1.0 + 1e-10), Some(true));
        assert_eq!(eq.holds(1.0 + 1e-8), Some(false));
        let ge = Condition::at_least(-1.0, 0.0).unwrap();
        assert_eq!(ge.holds(-1.0), Some(true));
        assert_eq!(ge.holds(-1.5), Some(false));
        assert_eq!(Condition::Custom(Arc::new(3u8)).holds(0.0), None);
        assert_eq!(Condition::default().holds(1e-300), Some(false));
    }

    #[test]
    fn bad_arguments_are_rejected() {
        assert!(Condition::equal(f64::NAN, 0.0).is_err());
        assert!(Condition::at_most(0.0, f64::INFINITY).is_err());
        let e = Condition::at_least(0.0, -1.0).unwrap_err();
        assert!(e.to_string().contains("`atol`"), "{e}");
    }
}
