//! The 0/1 knapsack problem as a QUBO with a slack-encoded capacity.

use super::common::{binary_values, non_empty, non_negative, strength as default_strength};
use crate::Result;
use crate::error::check;
use crate::qubo::penalty::{PenaltyReport, Sense, Strength, resolution_of};
use crate::qubo::{Bqm, SampleValue, Vartype};
use std::ops::Range;

/// A knapsack instance and its BINARY model: variable `i < n` takes item `i`; the variables
/// after them are the capacity slack. Energy `−Σ v_i x_i + S · (Σ w_i x_i + σ − C')²` where
/// `σ` is the slack ([`Bqm::add_linear_inequality`] with the weights' resolution `r`, `C'` the
/// capacity rounded down to a multiple of `r`).
///
/// Default strength: removing chosen items one by one repairs an overweight selection whose
/// excess is `e >= r` with at most `e / r` removals, losing at most `(e / r) · v⁺` value
/// (`v⁺` the largest positive value), while the penalty is at least `S e²`; so any
/// `S > v⁺ / r²` makes every minimiser feasible. The default is
/// [`DEFAULT_MARGIN`](super::DEFAULT_MARGIN) times that bound.
#[derive(Debug, Clone, PartialEq)]
pub struct Knapsack {
    bqm: Bqm,
    values: Vec<f64>,
    weights: Vec<f64>,
    capacity: f64,
    strength: f64,
    strength_bound: f64,
    penalty: PenaltyReport,
}

/// A decoded selection.
#[derive(Debug, Clone, PartialEq)]
pub struct KnapsackSolution {
    /// Chosen items, ascending.
    pub items: Vec<u32>,
    /// Their total value.
    pub value: f64,
    /// Their total weight.
    pub weight: f64,
    /// `weight <= capacity`.
    pub feasible: bool,
    /// The slack the sample's slack variables encode.
    pub slack: f64,
    /// The capacity penalty of the sample, `S · (weight + slack − C')²`.
    pub penalty: f64,
}

/// Builds the model of `values` (finite), `weights` (finite, `>= 0`, same length, at least one
/// item) and `capacity` (finite, `>= 0`). `strength` (finite, `> 0`) overrides the default;
/// `resolution` is the unit the weights are multiples of (detected with at most 6 decimals when
/// `None`).
///
/// ```
/// use neuroquant::qubo::generators::knapsack;
/// let k = knapsack(&[6.0, 5.0, 4.0], &[3.0, 2.0, 2.0], 4.0, None, None)?;
/// assert_eq!(k.strength(), 1.25 * 6.0); // DEFAULT_MARGIN × v⁺ / r², r = 1
/// let mut sample = vec![0i8; k.bqm().num_variables()];
/// sample[1] = 1;
/// sample[2] = 1; // items 1 and 2: weight 4, slack 0
/// let s = k.decode(&sample)?;
/// assert_eq!((s.value, s.weight, s.feasible, s.penalty), (9.0, 4.0, true, 0.0));
/// assert_eq!(k.bqm().energy(&sample)?, -9.0);
/// # Ok::<(), neuroquant::Error>(())
/// ```
pub fn knapsack(
    values: &[f64],
    weights: &[f64],
    capacity: f64,
    strength: Option<f64>,
    resolution: Option<f64>,
) -> Result<Knapsack> {
    let n = values.len();
    non_empty("values", n)?;
    check::len("weights", n, weights.len())?;
    check::all_finite("values", values)?;
    non_negative("weights", weights)?;
    non_negative("capacity", &[capacity])?;
    let r = resolution_of("weights", weights, resolution, "resolution")?;
    let best = values.iter().copied().fold(0.0, f64::max);
    let strength_bound = best / (r * r);
    let s = default_strength("strength", strength, strength_bound)?;

    let mut bqm = Bqm::with_variables(Vartype::Binary, n)?;
    let negated: Vec<f64> = values.iter().map(|v| -v).collect();
    bqm.add_linear_from(&negated)?;
    let items: Vec<u32> = (0..n as u32).collect();
    let mut penalty =
        bqm.add_linear_inequality(&items, weights, Sense::Le, capacity, Strength::Fixed(s), Some(r))?;
    penalty.auto_strength = strength.is_none();
    Ok(Knapsack {
        bqm,
        values: values.to_vec(),
        weights: weights.to_vec(),
        capacity,
        strength: s,
        strength_bound,
        penalty,
    })
}

impl Knapsack {
    /// The model (BINARY: items, then slack).
    pub fn bqm(&self) -> &Bqm {
        &self.bqm
    }

    /// The model, consuming the instance.
    pub fn into_bqm(self) -> Bqm {
        self.bqm
    }

    /// The capacity penalty strength used.
    pub fn strength(&self) -> f64 {
        self.strength
    }

    /// The strength above which every minimiser is feasible (see [`Knapsack`]).
    pub fn strength_bound(&self) -> f64 {
        self.strength_bound
    }

    /// The unit the weights are multiples of.
    pub fn resolution(&self) -> f64 {
        self.penalty.resolution.unwrap_or(1.0)
    }

    /// The slack variables (empty when the capacity can never be exceeded).
    pub fn slack_variables(&self) -> Range<u32> {
        self.penalty.slack_variables.clone()
    }

    /// The full report of the capacity penalty.
    pub fn penalty(&self) -> &PenaltyReport {
        &self.penalty
    }

    /// The selection of a sample of the model (items then slack, BINARY values).
    pub fn decode<T: SampleValue>(&self, sample: &[T]) -> Result<KnapsackSolution> {
        let x = binary_values(&self.bqm, sample)?;
        let n = self.values.len();
        let items: Vec<u32> = (0..n as u32).filter(|&i| x[i as usize] == 1).collect();
        let value = items.iter().map(|&i| self.values[i as usize]).sum();
        let weight: f64 = items.iter().map(|&i| self.weights[i as usize]).sum();
        let slack: f64 = (self.penalty.slack_variables.clone())
            .zip(&self.penalty.slack_coefficients)
            .map(|(v, c)| c * x[v as usize] as f64)
            .sum();
        let r = self.resolution();
        let feasible = weight <= self.capacity + 1e-9 * r;
        let penalty = if self.penalty.always_satisfied {
            0.0
        } else {
            // The capacity tightened to a multiple of the resolution, as the model uses it.
            let units = self.capacity / r;
            let cap = r * crate::qubo::penalty::near_integer_or_floor(units);
            self.strength * (weight + slack - cap).powi(2)
        };
        Ok(KnapsackSolution {
            items,
            value,
            weight,
            feasible,
            slack,
            penalty,
        })
    }
}
