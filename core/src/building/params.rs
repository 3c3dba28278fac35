//! The parameters of a synthetic building.

use crate::Result;
use crate::error::{ArgumentError, check};
use crate::params::{params, params_container};

/// Largest `num_zones × steps` a building simulates (each cell holds a few f64 series).
pub const MAX_BUILDING_CELLS: u64 = 1 << 26;

params! {
    /// A synthetic building: its size, the simulated period, and the seed that draws its zones,
    /// weather and occupancy (see `neuroquant::building`).
    pub struct BuildingParams {
        /// Number of thermal zones, each with one heat pump.
        keyword num_zones: usize = 3,
        /// Simulated days, starting on a Monday at midnight.
        keyword days: usize = 14,
        /// Simulation steps per hour (4: 15-minute steps).
        keyword steps_per_hour: usize = 4,
        /// Seed of the zones, weather and occupancy; None: drawn and reported by `seed()`.
        keyword seed: Option<u64> = None,
        /// Mean outdoor temperature (°C).
        keyword outdoor_mean_c: f64 = 4.0,
        /// Amplitude of the daily outdoor cycle (°C).
        keyword outdoor_amplitude_c: f64 = 4.0,
        /// Largest total electrical power of all units at once (kW); None: 60 % of the total
        /// rated power.
        keyword peak_limit_kw: Option<f64> = None,
    }
}

params_container!(BuildingParams, "building_params");

impl BuildingParams {
    fn check(&self) -> Result<()> {
        for (argument, value) in [
            ("num_zones", self.num_zones),
            ("days", self.days),
            ("steps_per_hour", self.steps_per_hour),
        ] {
            if value == 0 {
                return Err(ArgumentError::Invalid {
                    argument,
                    reason: "is 0, must be at least 1".into(),
                }
                .into());
            }
        }
        let steps = (self.days as u64)
            .saturating_mul(24)
            .saturating_mul(self.steps_per_hour as u64);
        check::at_most(
            "days",
            steps.saturating_mul(self.num_zones as u64),
            MAX_BUILDING_CELLS,
        )?;
        check::finite("outdoor_mean_c", self.outdoor_mean_c)?;
        check::finite("outdoor_amplitude_c", self.outdoor_amplitude_c)?;
        if self.outdoor_amplitude_c < 0.0 {
            return Err(ArgumentError::Invalid {
                argument: "outdoor_amplitude_c",
                reason: format!("is {}, must be >= 0", self.outdoor_amplitude_c),
            }
            .into());
        }
        if let Some(p) = self.peak_limit_kw {
            check::finite("peak_limit_kw", p)?;
            if p < 0.0 {
                return Err(ArgumentError::Invalid {
                    argument: "peak_limit_kw",
                    reason: format!("is {p}, must be >= 0"),
                }
                .into());
            }
        }
        Ok(())
    }

    /// Simulation steps: `days × 24 × steps_per_hour`.
    pub fn num_steps(&self) -> usize {
        self.days * 24 * self.steps_per_hour
    }
}
