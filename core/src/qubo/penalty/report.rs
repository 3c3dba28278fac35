//! What a penalty builder did: the strength it used and the slack variables it appended.

use std::ops::Range;

/// The outcome of adding a constraint penalty to a model.
#[derive(Debug, Clone, PartialEq)]
pub struct PenaltyReport {
    /// The multiplier actually used (after the automatic choice, if any).
    pub strength: f64,
    /// Whether `strength` was chosen by the library ([`Strength::Auto`](super::Strength::Auto) or
    /// [`Strength::Dominate`](super::Strength::Dominate)).
    pub auto_strength: bool,
    /// For linear constraints, the unit `r` every left-hand side value is a multiple of (so a
    /// violation is at least `r`); `None` for the slack-free forms, and for an equality with a
    /// fixed strength whose coefficients are not multiples of any resolution.
    pub resolution: Option<f64>,
    /// The least penalty an infeasible assignment pays (minimised over the slack variables):
    /// `strength · resolution²` for linear constraints, `strength` for the slack-free forms;
    /// `None` when no resolution is known.
    pub min_violation_penalty: Option<f64>,
    /// The slack variables appended to the model (empty when none were needed).
    pub slack_variables: Range<u32>,
    /// The weight of each slack variable in the constraint's units: the slack value is
    /// `Σ_k slack_coefficients[k] · z_k` with `z_k` the binary value of variable
    /// `slack_variables.start + k` (`(s + 1) / 2` in a SPIN model).
    pub slack_coefficients: Vec<f64>,
    /// The constraint holds for every assignment, so nothing was added to the model.
    pub always_satisfied: bool,
}

impl PenaltyReport {
    pub(crate) fn new(strength: f64, auto_strength: bool) -> Self {
        PenaltyReport {
            strength,
            auto_strength,
            resolution: None,
            min_violation_penalty: Some(strength),
            slack_variables: 0..0,
            slack_coefficients: Vec::new(),
            always_satisfied: false,
        }
    }

    pub(crate) fn with_resolution(mut self, resolution: Option<f64>) -> Self {
        self.resolution = resolution;
        self.min_violation_penalty = resolution.map(|r| self.strength * r * r);
        self
    }

    pub(crate) fn satisfied(mut self) -> Self {
        self.always_satisfied = true;
        self
    }
}
