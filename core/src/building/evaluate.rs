//! Closed-loop simulation: a policy switches the units step by step, the building responds, and
//! the run is scored on energy cost, comfort and the peak-power limit.

use super::Building;
use crate::Result;
use crate::error::{ArgumentError, check};

/// Decides the units' states step by step.
pub trait Policy {
    /// Writes the state of each zone's unit for step `k` into `on`, from the zone temperatures
    /// at the start of the step.
    fn decide(&mut self, building: &Building, k: usize, temps: &[f64], on: &mut [bool]) -> Result<()>;
}

/// The baseline: a bang-bang thermostat per zone with hysteresis around the setpoint (on below
/// `setpoint − hysteresis`, off above `setpoint + hysteresis`, unchanged in between), blind to
/// prices and to the peak limit.
#[derive(Debug, Clone, PartialEq)]
pub struct Thermostat {
    hysteresis_c: f64,
    state: Vec<bool>,
}

impl Thermostat {
    /// A thermostat with `hysteresis_c` (finite, `>= 0`) on each side of the setpoint.
    pub fn new(hysteresis_c: f64) -> Result<Self> {
        check::finite("hysteresis_c", hysteresis_c)?;
        if hysteresis_c < 0.0 {
            return Err(ArgumentError::Invalid {
                argument: "hysteresis_c",
                reason: format!("is {hysteresis_c}, must be >= 0"),
            }
            .into());
        }
        Ok(Thermostat {
            hysteresis_c,
            state: Vec::new(),
        })
    }
}

impl Policy for Thermostat {
    fn decide(&mut self, building: &Building, k: usize, temps: &[f64], on: &mut [bool]) -> Result<()> {
        let nt = building.num_steps();
        self.state.resize(temps.len(), false);
        for (z, &t) in temps.iter().enumerate() {
            let set = building.series().setpoint_c[z * nt + k];
            if t < set - self.hysteresis_c {
                self.state[z] = true;
            } else if t > set + self.hysteresis_c {
                self.state[z] = false;
            }
            on[z] = self.state[z];
        }
        Ok(())
    }
}

/// The score of a closed-loop run.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Outcome {
    /// Electrical energy of the units (kWh).
    pub energy_kwh: f64,
    /// What it cost at the step's price.
    pub energy_cost: f64,
    /// Zone-steps whose temperature at the end of the step is outside the comfort band.
    pub comfort_violations: usize,
    /// Σ over zone-steps of the distance to the comfort band × step length (°C·h).
    pub comfort_degree_hours: f64,
    /// Steps whose total electrical power exceeds the peak limit.
    pub peak_violations: usize,
    /// Zone temperatures at the end of each step, `Z × steps` zone-major (°C).
    pub temps_c: Vec<f64>,
    /// Unit states of each step, `Z × steps` zone-major.
    pub on: Vec<u8>,
}

/// Runs `policy` on `building` over steps `start .. start + steps` from the zone temperatures
/// `initial_c` and scores the run.
pub fn simulate(
    building: &Building,
    policy: &mut dyn Policy,
    start: usize,
    steps: usize,
    initial_c: &[f64],
) -> Result<Outcome> {
    let nz = building.zones().len();
    check::len("initial_c", nz, initial_c.len())?;
    check::all_finite("initial_c", initial_c)?;
    let end = start.checked_add(steps).filter(|&e| e <= building.num_steps());
    if end.is_none() {
        return Err(ArgumentError::Invalid {
            argument: "steps",
            reason: format!(
                "{start} + {steps} runs past the building's {} steps",
                building.num_steps()
            ),
        }
        .into());
    }
    let dt = building.step_hours();
    let s = building.series();
    let mut temps = initial_c.to_vec();
    let mut on = vec![false; nz];
    let mut out = Outcome {
        energy_kwh: 0.0,
        energy_cost: 0.0,
        comfort_violations: 0,
        comfort_degree_hours: 0.0,
        peak_violations: 0,
        temps_c: vec![0.0; nz * steps],
        on: vec![0; nz * steps],
    };
    for j in 0..steps {
        let k = start + j;
        policy.decide(building, k, &temps, &mut on)?;
        let power: f64 = building
            .zones()
            .iter()
            .zip(&on)
            .map(|(zone, &u)| if u { zone.rated_power_kw } else { 0.0 })
            .sum();
        if power > building.peak_limit_kw() + 1e-9 {
            out.peak_violations += 1;
        }
        out.energy_kwh += power * dt;
        out.energy_cost += power * dt * s.price_per_kwh[k];
        building.step(k, &mut temps, &on)?;
        for z in 0..nz {
            let [lo, hi] = building.comfort_band(z, k);
            let miss = (lo - temps[z]).max(temps[z] - hi).max(0.0);
            if miss > 0.0 {
                out.comfort_violations += 1;
                out.comfort_degree_hours += miss * dt;
            }
            out.temps_c[z * steps + j] = temps[z];
            out.on[z * steps + j] = u8::from(on[z]);
        }
    }
    Ok(out)
}
