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

/// A run that breaks the minimum run time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MinRunViolation {
    /// The zone.
    pub zone: u32,
    /// The slot the run starts in (for a locked unit switched off: the first slot it is off).
    pub slot: u32,
    /// How many slots the run lasted (for a locked unit: the slots it ran before the horizon
    /// plus those it ran in it).
    pub run_slots: u32,
    /// The unit was locked on by a run begun before the horizon.
    pub locked: bool,
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
    /// All constraint penalties of the sample: `peak_penalty + min_run_penalty`.
    pub penalty: f64,
    /// The peak penalty of the sample, slack variables included.
    pub peak_penalty: f64,
    /// The minimum-run penalty of the sample, start variables included.
    pub min_run_penalty: f64,
    /// `energy_cost + comfort_cost + penalty`.
    pub total: f64,
    /// Total rated power of the units on, per slot (kW).
    pub slot_power_kw: Vec<f64>,
    /// The slots over their limit.
    pub violations: Vec<PeakViolation>,
    /// The runs shorter than the minimum run time that stop within the horizon, and locked units
    /// switched off.
    pub min_run_violations: Vec<MinRunViolation>,
    /// No slot is over its limit and no run is too short.
    pub feasible: bool,
}

impl Hvac {
    /// The model (BINARY: `Z × T` decisions, then the slack of each slot, then the start
    /// variables).
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
        (self.num_zones() * self.num_slots()) as u32..self.starts.start
    }

    /// The start variables of the minimum run time (last; `y_{z,t}` at `start + z·T + t`), empty
    /// without one.
    pub fn start_variables(&self) -> Range<u32> {
        self.starts.clone()
    }

    /// The minimum-run penalty strength used.
    pub fn min_run_strength(&self) -> f64 {
        self.min_run_strength
    }

    /// The bound above which every minimiser is free of short runs (see [`Hvac`]).
    pub fn min_run_strength_bound(&self) -> f64 {
        self.min_run_strength_bound
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

        let mut peak_penalty = 0.0;
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
                peak_penalty +=
                    self.peak_strength * (slot_power_kw[t] + slack - slot.effective_limit_kw).powi(2);
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
        let (min_run_penalty, min_run_violations) = self.min_run_report(&x);
        let energy_cost: f64 = energy_cost_per_zone.iter().sum();
        let comfort_cost: f64 = comfort_cost_per_zone.iter().sum();
        let penalty = peak_penalty + min_run_penalty;
        Ok(HvacSolution {
            schedule: x[..nz * nt].to_vec(),
            energy_cost,
            energy_cost_per_zone,
            energy_kwh_per_zone,
            comfort_cost,
            comfort_cost_per_zone,
            imbalance_kwh,
            penalty,
            peak_penalty,
            min_run_penalty,
            total: energy_cost + comfort_cost + penalty,
            slot_power_kw,
            feasible: violations.is_empty() && min_run_violations.is_empty(),
            violations,
            min_run_violations,
        })
    }

    /// The minimum-run penalty of BINARY values `x` (every variable) and the short runs of its
    /// schedule, read from the schedule alone.
    fn min_run_report(&self, x: &[u8]) -> (f64, Vec<MinRunViolation>) {
        let input = &self.input;
        if !input.has_min_run() {
            return (0.0, Vec::new());
        }
        let (nz, nt, run) = (self.num_zones(), self.num_slots(), input.min_run_slots);
        let on = |z: usize, t: usize| x[z * nt + t] == 1;
        let mut penalty = 0.0;
        let mut found = Vec::new();
        for z in 0..nz {
            let before = input.initial_run(z);
            let was_on = |t: usize| if t == 0 { before > 0 } else { on(z, t - 1) };
            for t in 0..nt {
                let y = x[self.starts.start as usize + z * nt + t] == 1;
                let start = on(z, t) && !was_on(t);
                // x(1 − a) − y(x − a) is 1 for a start without y and for y on a stop, else 0.
                let stop = !on(z, t) && was_on(t);
                penalty += match (start, y, stop) {
                    (true, false, _) => 1.0,
                    (_, true, true) => 1.0,
                    _ => 0.0,
                };
                if y {
                    penalty += (t..(t + run).min(nt)).filter(|&tau| !on(z, tau)).count() as f64;
                }
                if start {
                    let len = (t..nt).take_while(|&tau| on(z, tau)).count();
                    if t + len < nt && len < run {
                        found.push(MinRunViolation {
                            zone: z as u32,
                            slot: t as u32,
                            run_slots: len as u32,
                            locked: false,
                        });
                    }
                }
            }
            let locked = input.locked_slots(z);
            penalty += (0..locked).filter(|&tau| !on(z, tau)).count() as f64;
            if let Some(off) = (0..locked).find(|&tau| !on(z, tau)) {
                found.push(MinRunViolation {
                    zone: z as u32,
                    slot: off as u32,
                    run_slots: (before + off) as u32,
                    locked: true,
                });
            }
        }
        (self.min_run_strength * penalty, found)
    }
}
