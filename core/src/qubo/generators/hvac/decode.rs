//! From a sample of the HVAC model back to a schedule, its costs and its constraint report.

use super::build::Hvac;
use super::input::{ComfortModel, HvacInput};
use crate::Result;
use crate::error::check;
use crate::qubo::generators::common::binary_values;
use crate::qubo::{Bqm, SampleValue};
use std::ops::Range;

/// A slot whose total power exceeds its limit.
#[derive(Debug, Clone, PartialEq)]
pub struct PeakViolation {
    /// The slot.
    pub slot: u32,
    /// Total rated power of the units on (kW).
    pub power_kw: f64,
    /// The slot's limit (kW).
    pub limit_kw: f64,
    /// `power_kw − limit_kw`.
    pub excess_kw: f64,
}

/// A decoded schedule with its cost breakdown and constraint report. `total` equals the model's
/// energy of the sample: `energy_cost + comfort_cost + penalty`.
#[derive(Debug, Clone, PartialEq)]
pub struct HvacSolution {
    /// 1 when zone `z`'s unit is on in slot `t`, at `z·T + t`.
    pub schedule: Vec<u8>,
    /// `Σ price_t · P_z · Δt · x_{z,t}` (currency).
    pub energy_cost: f64,
    /// Energy cost of each zone.
    pub energy_cost_per_zone: Vec<f64>,
    /// Electrical energy of each zone over the horizon (kWh).
    pub energy_kwh_per_zone: Vec<f64>,
    /// `Σ_z w_z Σ b²` (currency).
    pub comfort_cost: f64,
    /// Comfort cost of each zone.
    pub comfort_cost_per_zone: Vec<f64>,
    /// The imbalance `b_{z,t}` of the comfort model (kWh), `Z × T`: the running balance at the end
    /// of each slot for [`ComfortModel::Cumulative`] and [`ComfortModel::Horizon`] (whose cost
    /// uses only the last one; demand given as horizon totals counts in the last slot), the slot's
    /// own deviation for [`ComfortModel::PerSlot`].
    pub imbalance_kwh: Vec<f64>,
    /// The peak penalty of the sample, slack variables included.
    pub penalty: f64,
    /// `energy_cost + comfort_cost + penalty`.
    pub total: f64,
    /// Total rated power of the units on, per slot (kW).
    pub slot_power_kw: Vec<f64>,
    /// The slots over their limit.
    pub violations: Vec<PeakViolation>,
    /// No slot is over its limit.
    pub feasible: bool,
}

impl Hvac {
    /// The model (BINARY: `Z × T` decisions, then the slack of each slot).
    pub fn bqm(&self) -> &Bqm {
        &self.bqm
    }

    /// The model, consuming the instance.
    pub fn into_bqm(self) -> Bqm {
        self.bqm
    }

    /// The data the model was built from.
    pub fn input(&self) -> &HvacInput {
        &self.input
    }

    /// Number of zones.
    pub fn num_zones(&self) -> usize {
        self.input.num_zones()
    }

    /// Number of slots.
    pub fn num_slots(&self) -> usize {
        self.input.num_slots()
    }

    /// The decision variable of zone `z` in slot `t`: `z·T + t`.
    pub fn variable(&self, z: u32, t: u32) -> Result<u32> {
        check::index("z", z.into(), self.num_zones())?;
        check::index("t", t.into(), self.num_slots())?;
        Ok(z * self.num_slots() as u32 + t)
    }

    /// The peak-penalty strength used.
    pub fn peak_strength(&self) -> f64 {
        self.peak_strength
    }

    /// The bound above which every minimiser respects every peak limit (see [`Hvac`]).
    pub fn peak_strength_bound(&self) -> f64 {
        self.peak_strength_bound
    }

    /// The unit the rated powers are multiples of (kW).
    pub fn power_resolution_kw(&self) -> f64 {
        self.power_resolution_kw
    }

    /// How each slot's peak constraint is encoded.
    pub fn peak_slots(&self) -> &[super::PeakSlot] {
        &self.slots
    }

    /// How slot `t`'s peak constraint is encoded.
    pub fn peak_slot(&self, t: usize) -> Result<&super::PeakSlot> {
        Ok(&self.slots[check::index("t", t as i64, self.slots.len())?])
    }

    /// All slack variables (after the decisions).
    pub fn slack_variables(&self) -> Range<u32> {
        (self.num_zones() * self.num_slots()) as u32..self.bqm.num_variables() as u32
    }

    /// The schedule, costs and constraint report of a sample of the model (every variable,
    /// slack included, in BINARY values).
    pub fn decode<T: SampleValue>(&self, sample: &[T]) -> Result<HvacSolution> {
        let x = binary_values(&self.bqm, sample)?;
        let input = &self.input;
        let (nz, nt) = (self.num_zones(), self.num_slots());
        let on = |z: usize, t: usize| x[z * nt + t] as f64;

        let mut energy_cost_per_zone = vec![0.0; nz];
        let mut energy_kwh_per_zone = vec![0.0; nz];
        let mut slot_power_kw = vec![0.0; nt];
        let mut comfort_cost_per_zone = vec![0.0; nz];
        let mut imbalance_kwh = vec![0.0; nz * nt];
        for z in 0..nz {
            let (p, q, w) = (
                input.rated_power_kw[z],
                input.delivered_kwh[z],
                input.comfort_weight[z],
            );
            for (t, power) in slot_power_kw.iter_mut().enumerate() {
                let kwh = p * input.slot_hours * on(z, t);
                energy_kwh_per_zone[z] += kwh;
                energy_cost_per_zone[z] += input.price_per_kwh[t] * kwh;
                *power += p * on(z, t);
            }
            let b = &mut imbalance_kwh[z * nt..(z + 1) * nt];
            let horizon_totals = input.demand_kwh.len() == nz && nt > 1;
            let mut acc = input.initial(z);
            for (t, bt) in b.iter_mut().enumerate() {
                match input.comfort {
                    ComfortModel::PerSlot => *bt = q * on(z, t) - input.demand(z, t),
                    _ => {
                        let d = if horizon_totals {
                            if t == nt - 1 { input.demand_kwh[z] } else { 0.0 }
                        } else {
                            input.demand(z, t)
                        };
                        acc += q * on(z, t) - d;
                        *bt = acc;
                    }
                }
            }
            comfort_cost_per_zone[z] = w * match input.comfort {
                ComfortModel::Horizon => b[nt - 1] * b[nt - 1],
                _ => b.iter().map(|v| v * v).sum(),
            };
        }

        let mut penalty = 0.0;
        let mut violations = Vec::new();
        for (t, slot) in self.slots.iter().enumerate() {
            let limit = input.peak_limit_kw[t];
            if slot.constrained {
                let slack: f64 = slot
                    .slack_variables
                    .clone()
                    .zip(&slot.slack_kw)
                    .map(|(v, kw)| kw * x[v as usize] as f64)
                    .sum();
                penalty += self.peak_strength * (slot_power_kw[t] + slack - slot.effective_limit_kw).powi(2);
            }
            // Powers are multiples of the resolution: anything above the limit exceeds it by at
            // least a resolution, far beyond rounding.
            if slot_power_kw[t] > limit + 1e-9 * (1.0 + limit) {
                violations.push(PeakViolation {
                    slot: t as u32,
                    power_kw: slot_power_kw[t],
                    limit_kw: limit,
                    excess_kw: slot_power_kw[t] - limit,
                });
            }
        }
        let energy_cost: f64 = energy_cost_per_zone.iter().sum();
        let comfort_cost: f64 = comfort_cost_per_zone.iter().sum();
        Ok(HvacSolution {
            schedule: x[..nz * nt].to_vec(),
            energy_cost,
            energy_cost_per_zone,
            energy_kwh_per_zone,
            comfort_cost,
            comfort_cost_per_zone,
            imbalance_kwh,
            penalty,
            total: energy_cost + comfort_cost + penalty,
            slot_power_kw,
            feasible: violations.is_empty(),
            violations,
        })
    }
}
